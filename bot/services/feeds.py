"""Feeds: the one rule for adding, removing, enabling, importing and exporting them, used by the
CLI (``newsbot feeds``) and chat (``/news feeds``) alike.

A feed URL is accepted when it is an http(s) URL of at most :data:`MAX_URL` characters with a
host and no spaces, and its host is not a private, loopback, link-local or otherwise internal
address in any spelling (``localhost``, ``127.1``, ``2130706433``, ``[::1]``) unless
``NEWSBOT_ALLOW_PRIVATE_FEEDS`` allows it.  (The fetcher checks the address it actually connects
to again, on every redirect: a public name that resolves to a private address is refused then.)
A poll interval is a duration from :data:`MIN_INTERVAL` to :data:`MAX_INTERVAL`; without one a
new feed gets ``NEWSBOT_FEED_INTERVAL``.  Adding a URL that is already there updates its name
and interval when they are given, and changes nothing else.  A new URL is fetched and parsed
once first (:mod:`bot.ingest.probe`), as a poll would: what it found is said (the feed's title
and its item count), and a URL that cannot be read as a feed (unreachable, an HTTP error, an
HTML page, not RSS or Atom) is **not added**, with the reason; ``check=False`` (the CLI's
``--no-check``, for a feed that is down for now) adds it unread.  Only ``NEWSBOT_ADMINS`` (when set)
may change feeds from chat; the CLI is the operator's.

Tenancy (``tenant`` is the chat workspace, ``platform:workspace``; None for the CLI and the
console, the operator): a feed added from chat belongs to the workspace that added it.  Only that
workspace lists, renames and removes it, and its items reach only that workspace's digests,
alerts, search and ``why``, until an operator shares it (``newsbot feeds share ID``, or
``/news feeds share ID`` by a user named in ``NEWSBOT_ADMINS``).  The operator's feeds are
everyone's and are listed everywhere, but changed only by the operator.  A workspace cannot add
a URL another workspace holds privately (it is told to ask an operator to share it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bot.config.values import FEED_INTERVAL_MAX, FEED_INTERVAL_MIN
from bot.core.periods import parse_duration
from bot.core.redact import redact_url
from bot.ingest.netguard import host_allowed, is_blocked_ip, parse_host_ip
from bot.ingest.opml import OpmlError, export_opml, parse_opml, parse_opml_sources
from bot.ingest.probe import Probe, probe_feed, run_blocking
from bot.services.errors import Forbidden, NotFound, UserError
from bot.store.views import Feed

if TYPE_CHECKING:
    from bot.config.settings import Settings
    from bot.services.context import ServiceContext

MIN_INTERVAL = FEED_INTERVAL_MIN  # the range NEWSBOT_FEED_INTERVAL is held to as well
MAX_INTERVAL = FEED_INTERVAL_MAX
MAX_URL = 2048
MAX_NAME = 300


def require_admin(settings: Settings, user: str) -> None:
    """:class:`Forbidden` unless ``user`` may manage feeds and watches (``NEWSBOT_ADMINS``)."""
    if settings.admins and user not in settings.admins:
        raise Forbidden("admin_only")


def check_url(raw: str, settings: Settings) -> str:
    """The feed URL, trimmed (also of the ``<…>`` Slack puts around links); :class:`UserError`
    saying what is wrong otherwise."""
    url = raw.strip().strip("<>")
    shown = repr(url[:120])
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError when out of range
    except ValueError as exc:
        raise UserError("feeds.invalid_url", url=shown, reason=str(exc)) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UserError("feeds.not_http", url=shown)
    if len(url) > MAX_URL or any(ch.isspace() for ch in url):
        raise UserError("feeds.url_spaces", url=shown)
    host = parts.hostname
    literal = parse_host_ip(host)
    private = host.rstrip(".").lower() == "localhost" or (
        literal is not None and is_blocked_ip(literal)
    )
    if private and not host_allowed(host, settings.allow_private_feeds):
        raise UserError("feeds.private", host=host)
    return url


def parse_interval(raw: str | None, settings: Settings) -> int:
    """Seconds between polls: ``raw`` (``15m``) or ``NEWSBOT_FEED_INTERVAL``."""
    if raw is None:
        return int(settings.feed_interval)
    try:
        seconds = parse_duration(raw)
    except ValueError:
        seconds = -1
    if not MIN_INTERVAL <= seconds <= MAX_INTERVAL:
        raise UserError("feeds.bad_interval", option="--interval", value=repr(raw[:40]))
    return int(seconds)


def parse_feed_id(raw: str) -> int:
    text = raw.strip().lstrip("#")
    if not text.isdigit() or len(text) > 18:
        raise UserError("feeds.bad_id", value=repr(raw[:40]))
    return int(text)


def clean_name(name: str | None) -> str | None:
    return " ".join((name or "").split())[:MAX_NAME] or None


@dataclass(slots=True)
class FeedChange:
    feed: Feed
    created: bool
    updated: list[str] = field(default_factory=list)  # "name", "interval" (an existing feed)
    probe: Probe | None = None  # what fetching it once found (a new feed, checked)


def add_feed(
    app: ServiceContext,
    url: str,
    name: str | None = None,
    interval: str | None = None,
    *,
    tenant: str | None = None,
    check: bool = True,
) -> FeedChange:
    """Add a feed (rules in the module docstring); ``tenant``: the chat workspace adding it."""
    url = check_url(url, app.settings)
    seconds = parse_interval(interval, app.settings)
    name = clean_name(name)
    probe = None
    if check and app.store.feed_by_url(url) is None:
        probe = try_feed(app, url)
        if not probe.ok:
            raise UserError("feeds.unreadable", url=redact_url(url), reason=probe.error or "?")
    feed, created = app.store.add_feed(url, name, seconds, owner=tenant)
    if created:
        return FeedChange(feed, True, probe=probe)
    if not _reads(feed, tenant):
        raise UserError("feeds.taken")
    if not _changes(feed, tenant):
        return FeedChange(feed, False)
    new_name = name if name is not None and name != feed.name else None
    new_interval = seconds if interval is not None and seconds != feed.interval_s else None
    if new_name is None and new_interval is None:
        return FeedChange(feed, False)
    updated = app.store.update_feed(feed.id, name=new_name, interval_s=new_interval) or feed
    what = [w for w, v in (("name", new_name), ("interval", new_interval)) if v is not None]
    return FeedChange(updated, False, what)


def try_feed(app: ServiceContext, url: str) -> Probe:
    """Fetch and parse ``url`` once, with the poller's limits and network guard."""
    settings = app.settings
    return run_blocking(
        probe_feed(
            url,
            allow_private=settings.allow_private_feeds,
            timeout=settings.fetch_timeout,
            max_bytes=settings.fetch_max_bytes,
        )
    )


def _reads(feed: Feed, tenant: str | None) -> bool:
    return tenant is None or feed.everyone or feed.owner == tenant


def _changes(feed: Feed, tenant: str | None) -> bool:
    return tenant is None or feed.owner == tenant


def _own_feed(app: ServiceContext, raw_id: str, tenant: str | None) -> Feed:
    """The feed ``raw_id`` names, if ``tenant`` may change it: :class:`NotFound` when it cannot
    even read it (another workspace's feed is not revealed), :class:`Forbidden` otherwise."""
    feed_id = parse_feed_id(raw_id)
    feed = app.store.get_feed(feed_id)
    if feed is None or not _reads(feed, tenant):
        raise NotFound("feeds.missing", id=feed_id)
    if not _changes(feed, tenant):
        raise Forbidden("feeds.not_yours", id=feed_id)
    return feed


def remove_feed(app: ServiceContext, raw_id: str, *, tenant: str | None = None) -> Feed:
    """Remove a feed (its stored articles stay, still read only where they were);
    :class:`NotFound` when there is none the workspace may see."""
    feed = _own_feed(app, raw_id, tenant)
    if not app.store.remove_feed(feed.id):
        raise NotFound("feeds.missing", id=feed.id)
    return feed


def rename_feed(app: ServiceContext, raw_id: str, name: str, *, tenant: str | None = None) -> Feed:
    """Give a feed another display name (its items keep the name they were stored with)."""
    feed = _own_feed(app, raw_id, tenant)
    cleaned = clean_name(name)
    if cleaned is None:
        raise UserError("usage", usage="feeds rename ID NAME")
    return app.store.update_feed(feed.id, name=cleaned) or feed


def share_feed(app: ServiceContext, raw_id: str, shared: bool = True) -> Feed:
    """An operator shares a workspace's feed with every workspace (or takes it back)."""
    feed_id = parse_feed_id(raw_id)
    feed = app.store.set_feed_shared(feed_id, shared)
    if feed is None:
        raise NotFound("feeds.missing", id=feed_id)
    app.store.set_owner_of_feed(feed.id, None if feed.everyone else feed.owner)
    return feed


def require_operator(settings: Settings, user: str) -> None:
    """Only a user named in ``NEWSBOT_ADMINS`` acts as the operator from chat."""
    if user not in settings.admins:
        raise Forbidden("feeds.operator_only")


def enable_feed(app: ServiceContext, raw_id: str) -> Feed:
    """Re-enable a disabled feed: errors forgotten, due at once."""
    feed_id = parse_feed_id(raw_id)
    feed = app.store.enable_feed(feed_id, now=app.clock.now())
    if feed is None:
        raise NotFound("feeds.missing", id=feed_id)
    return feed


def list_feeds(
    app: ServiceContext, *, tenant: str | None = None, with_sources: bool = False
) -> list[Feed]:
    """Every feed (the operator), or the ones a workspace reads; keyword sources only
    ``with_sources`` (:func:`bot.services.sources.list_sources` lists them)."""
    return [f for f in app.store.list_feeds(tenant) if with_sources or not f.is_source]


@dataclass(slots=True)
class OpmlImport:
    listed: int
    added: int
    present: int
    skipped: list[tuple[str, UserError]]  # (URL, why: said in the surface's language)
    sources_added: int = 0
    sources_present: int = 0


def import_opml(app: ServiceContext, data: bytes) -> OpmlImport:
    """Add the feeds an OPML document lists (each checked like :func:`add_feed`); a malformed
    document is a :class:`UserError` and adds nothing."""
    try:
        listed = parse_opml(data)
        keyword_sources = parse_opml_sources(data)
    except OpmlError as exc:
        raise UserError(exc.key, detail=exc.detail) from None
    checked: list[tuple[str, str | None]] = []
    skipped: list[tuple[str, UserError]] = []
    for url, name in listed:
        try:
            checked.append((check_url(url, app.settings), clean_name(name)))
        except UserError as exc:
            skipped.append((url[:120], exc))
    interval = int(app.settings.feed_interval)
    added = 0
    for url, name in checked:
        _feed, created = app.store.add_feed(url, name, interval)
        added += created
    report = OpmlImport(len(listed), added, len(checked) - added, skipped)
    from bot.services.sources import add_source  # sources build on this module

    for kind, query, lang, name in keyword_sources:
        try:
            change = add_source(app, kind, query, lang=lang, name=name)
        except UserError as exc:
            skipped.append((f"{kind} {query[:100]}", exc))
            continue
        report.sources_added += change.created
        report.sources_present += not change.created
    return report


def export_feeds(app: ServiceContext, feeds: Sequence[Feed] | None = None) -> bytes:
    """The feeds as an OPML document."""
    feeds = app.store.list_feeds() if feeds is None else feeds
    sources = {f.url: (f.kind, f.query or "", f.lang) for f in feeds if f.is_source}
    return export_opml([(f.url, f.name) for f in feeds], app.clock.now(), sources=sources)
