"""Problems found below the surfaces, in the reader's language.

- :func:`problem_text`: a :class:`~bot.core.problem.Problem` (what a value should have been,
  why a seed file was skipped) from its catalog key;
- :func:`os_reason_text`: why the operating system refused, without its English ``strerror``;
- :func:`topics_error_text`: a topics file that cannot be used (``NEWSBOT_TOPICS_FILE``);
- :func:`settings_error_text`: a :class:`~bot.config.settings.SettingsError` (the CLI, ``serve``);
- :func:`fetch_reason`: why a feed could not be fetched.  The poller stores the cause as English
  data (``HTTP 404 Not Found``, ``cannot resolve host``) in ``last_error`` and
  ``disabled_reason``; the known causes are worded here at display time from a small table, so
  rows stored before keep working; anything else (a parser's own detail) is shown as stored.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.core.oserrors import os_reason
from bot.present.i18n import t

if TYPE_CHECKING:
    from bot.config.settings import SettingsError
    from bot.config.topics import TopicsError
    from bot.core.problem import Problem


def problem_text(problem: Problem, lang: str) -> str:
    return t(problem.key, lang, **problem.params)


def os_reason_text(exc: OSError, lang: str) -> str:
    """Why the operating system refused (no such file, a folder, no permission), worded."""
    key, values = os_reason(exc)
    return t(key, lang, **values)


def topics_error_text(exc: TopicsError, lang: str) -> str:
    """A topics file that cannot be used: its path, line and key, and what is wrong there."""
    values = dict(exc.params)
    path, line, dotted = values.pop("path"), values.pop("line", None), values.pop("dotted", None)
    if "reason" in values:  # an os.* key: the file could not be read
        values["reason"] = t(values["reason"], lang, **values)
        values = {"reason": values["reason"]}
    if dotted is None:
        return t(exc.key, lang, path=path, **values)
    where = "topics.at_line" if line else "topics.at"
    at = t(where, lang, path=path, line=line, dotted=dotted)
    return t(exc.key, lang, at=at, **values)


def settings_error_text(exc: SettingsError, lang: str) -> str:
    values = dict(exc.params)
    if exc.problem is not None:
        values["problem"] = problem_text(exc.problem, lang)
    return t(exc.key, lang, **values)


_CAUSES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"HTTP (?P<status>\d{3})(?P<phrase> .*)?"), "fetch.http"),
    (re.compile(r"cannot resolve (?P<host>.+)"), "fetch.no_host"),
    (re.compile(r"cannot connect to (?P<host>.+)"), "fetch.no_connect"),
    (re.compile(r"TLS handshake with (?P<host>\S+) failed: (?P<detail>.*)"), "fetch.tls"),
    (re.compile(r"timed out after (?P<seconds>[\d.]+) s"), "fetch.timeout_after"),
    (re.compile(r"timed out waiting for the server"), "fetch.timeout"),
    (re.compile(r"too many redirects \(more than (?P<limit>\d+)\)"), "fetch.redirects"),
    (re.compile(r"redirect without a Location header"), "fetch.no_location"),
    (re.compile(r"refused non-public address for (?P<host>.+)"), "fetch.private"),
    (
        re.compile(r"response body larger than (?P<size>.+) \(after decompression\)"),
        "fetch.too_large",
    ),
    (re.compile(re.escape(t("fetch.html_page", "en"))), "fetch.html_page"),  # rss.NOT_A_FEED_HTML
    (re.compile(r"empty document"), "fetch.empty"),
    (re.compile(r"cannot parse feed: (?P<detail>.*)"), "fetch.unparsable"),
    (re.compile(r"cannot decode feed: (?P<detail>.*)"), "fetch.undecodable"),
    (re.compile(r"network error: (?P<detail>.*)"), "fetch.network"),
    (re.compile(r"fetch failed: (?P<detail>.*)"), "fetch.failed"),
    (re.compile(r"invalid URL: (?P<detail>.*)"), "fetch.invalid_url"),
    (re.compile(r"cannot store its items \((?P<detail>.*)\)"), "fetch.cannot_store"),
    (re.compile(r"unknown error"), "fetch.unknown"),
]
_DISABLED = re.compile(r"(?P<n>\d+) consecutive failures; last: (?P<cause>.*)", re.S)


def fetch_reason(text: str | None, lang: str) -> str:
    """The stored cause of a failed fetch (``text``) in ``lang``; an unknown one as stored."""
    if not text:
        return text or ""
    m = _DISABLED.fullmatch(text)
    if m:
        cause = fetch_reason(m.group("cause"), lang)
        return t("fetch.disabled_after", lang, n=int(m.group("n")), cause=cause)
    for pattern, key in _CAUSES:
        m = pattern.fullmatch(text)
        if m:
            values = {k: v or "" for k, v in m.groupdict().items()}
            return t(key, lang, **values)
    return text
