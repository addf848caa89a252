"""Outlets known by their domain: who a link belongs to, and whether a feed may speak for it.

The table is ``outlets.toml`` (outlet name → registrable domains), plus the operator's own
``[outlets]`` table in ``NEWSBOT_OUTLETS_FILE`` when set (an in-house wire, a new outlet; a
domain named there overrides the built-in one).  A host belongs to the outlet
whose domain is the longest suffix of it on a label boundary (``news.yna.co.kr`` → 연합뉴스;
``notyna.co.kr`` → nobody).  The rules built on it (used by the watcher, and by keyword sources):

- an item's ``source`` is the outlet its link's domain names, when the feed that brought it is
  on that outlet's own domain; otherwise the feed's fixed display name shown as ``(feed) name``
  (:func:`feed_label`).  A feed's own ``<title>`` never names an outlet;
- an item whose link is on a known outlet's domain but which arrives through a feed on another
  domain is a *foreign claim*: it does not stand for that outlet, and it is not shown under that
  link (:func:`claims_foreign_outlet`);
- where no feed is involved (a search result), an unknown domain is shown as the bare domain
  (:func:`outlet_label`).
"""

from __future__ import annotations

import logging
import os
import tomllib
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from bot.core.problem import Problem

TABLE = Path(__file__).with_name("outlets.toml")
FEED_MARK = "(feed) "
ENV = "NEWSBOT_OUTLETS_FILE"

log = logging.getLogger(__name__)


def _read(path: Path) -> dict[str, str]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    outlets = data.get("outlets")
    if not isinstance(outlets, dict):
        raise ValueError("no [outlets] table")
    table: dict[str, str] = {}
    for name, domains in outlets.items():
        if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
            raise ValueError(f"{name!r}: give a list of domains")
        for domain in domains:
            table[domain.strip().lower().strip(".")] = str(name).strip()
    return table


def check_outlets_file(raw: str) -> str:
    """``NEWSBOT_OUTLETS_FILE`` as the settings read it: the path of a readable ``[outlets]``
    table, or a :class:`~bot.core.problem.Problem` saying why it is not one, so a malformed or
    missing file stops newsbot with the variable named instead of being ignored."""
    path = raw.strip()
    if path:
        try:
            _read(Path(path))
        except (OSError, ValueError) as exc:  # TOMLDecodeError and UnicodeDecodeError too
            reason = f"{path}: {exc.strerror or exc}" if isinstance(exc, OSError) else str(exc)
            raise Problem(
                "expect.outlets_file", f"not a readable outlets table: {reason}", reason=reason
            ) from None
    return path


@cache
def _tables(extra: str) -> dict[str, str]:
    table = _read(TABLE)
    if extra:
        try:
            table.update(_read(Path(extra)))
        except (OSError, ValueError, tomllib.TOMLDecodeError) as exc:
            log.warning("%s: %s is not used: %s", ENV, extra, exc)
    return table


def _table() -> dict[str, str]:
    return _tables(os.environ.get(ENV, "").strip())


def host_of(url: str | None) -> str | None:
    """The lower-case host of ``url`` without a trailing dot (None when it has none)."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return host.rstrip(".").lower() if host else None


def outlet_of_host(host: str | None) -> str | None:
    """The outlet whose domain ``host`` is on (None when no known outlet's)."""
    if not host:
        return None
    return _outlet(host, os.environ.get(ENV, "").strip())


@lru_cache(maxsize=4096)
def _outlet(host: str, extra: str) -> str | None:
    table = _tables(extra)
    labels = host.split(".")
    for i in range(len(labels) - 1):  # longest suffix first; never a bare TLD
        name = table.get(".".join(labels[i:]))
        if name is not None:
            return name
    return None


def outlet_of(url: str | None) -> str | None:
    """The outlet a link belongs to, by its domain (None when unknown)."""
    return outlet_of_host(host_of(url))


def outlet_label(url: str | None) -> str | None:
    """The outlet a link belongs to, or its bare domain when the outlet is unknown."""
    host = host_of(url)
    return outlet_of_host(host) or (host.removeprefix("www.") if host else None)


def feed_label(name: str) -> str:
    """How an item is attributed to the feed that brought it: ``(feed) name``."""
    return FEED_MARK + name


def is_feed_label(source: str | None) -> bool:
    return bool(source) and str(source).startswith(FEED_MARK)


def speaks_for(feed_url: str, link: str | None) -> str | None:
    """The outlet an item stands for: its link's outlet, when the feed is on that same outlet's
    domain; None otherwise."""
    outlet = outlet_of(link)
    if outlet is None or outlet_of(feed_url) != outlet:
        return None
    return outlet


def outlet_claim(feed_url: str, link: str | None) -> tuple[str | None, bool]:
    """(the outlet the item stands for, whether it borrows another outlet's link)."""
    outlet = outlet_of(link)
    if outlet is None:
        return None, False
    own = outlet_of(feed_url) == outlet
    return (outlet if own else None), not own


def claims_foreign_outlet(feed_url: str, link: str | None) -> bool:
    """Whether an item's link is on a known outlet's domain that the feed is not on."""
    outlet = outlet_of(link)
    return outlet is not None and outlet_of(feed_url) != outlet


def is_outlet_report(source: str | None, url: str | None) -> bool:
    """Whether a stored report is a known outlet's own: its link on that outlet's domain and
    its source that outlet."""
    return source is not None and outlet_of(url) == source


def rank(source: str | None, url: str | None, owner: str | None) -> int:
    """Which of two holders of one article wins (the higher): 2 for an outlet's own report, +1
    when every workspace reads it."""
    return (2 if is_outlet_report(source, url) else 0) + (1 if owner is None else 0)
