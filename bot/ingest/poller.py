"""The feed watcher: poll the feeds that are due, politely and safely, and keep only what is new.

One poll:

1. The due feeds (every enabled feed with ``everything``) are fetched concurrently through one
   :class:`bot.ingest.fetch.Fetcher`: at most ``per_host`` fetches per host:port at a time, each
   under its own total deadline (``settings.fetch_timeout``) and body cap
   (``settings.fetch_max_bytes``), with the stored ``ETag`` / ``Last-Modified`` sent as
   ``If-None-Match`` / ``If-Modified-Since``.  A hung feed costs its own deadline, nothing more.
2. Each body is parsed with :func:`bot.ingest.rss.parse_feed` in a worker thread; its drafts
   get the feed's id and URL and are stored (only what is new), one feed at a time, in a worker
   thread, while other feeds keep downloading.  The event loop itself never blocks.  Analysing
   the poll's new items is the caller's next step (the scheduler's job reads poll → process →
   plan; ``newsbot poll`` polls, then processes), so ingest never calls analysis.
3. The outcome is recorded with :meth:`bot.store.feeds.FeedQueries.record_poll`.

Outcomes:

- **success**: a 200 whose document parsed, or a 304 (nothing to do).  A malformed document from
  which entries were recovered (feedparser's *bozo*) is a success: its entries are stored and the
  problem is kept as a warning in ``last_error`` and on the report, without counting as an error.
- **one item refused**: when the store refuses an item (a bug, a value the database cannot
  hold), the feed's other items are stored one at a time, the refused one is logged on one line
  (its place in the feed and the exception's type, never its text or the SQL) and the poll is
  a success with a short warning; only a feed none of whose items can be stored fails.
- **failure**: a fetch error (network, deadline, body cap, HTTP status), a document refused for
  safety (DTD / entity declarations), or one that yielded no entries and an error (not a feed).

Scheduling (seconds from the poll's ``now``; every server hint is capped at :data:`MAX_HINT`):

- after a success: ``max(interval, Cache-Control max-age, <ttl> minutes, Retry-After)``;
- after the n-th consecutive failure: ``interval * 2**n`` capped at ``max(MAX_BACKOFF,
  interval)``, and never sooner than a ``Retry-After``;
- after ``settings.feed_max_errors`` consecutive failures the feed is disabled, its reason kept.

Provenance: a feed's display name is fixed by its first usable poll (its ``<title>`` then, or its
host) unless one was given; an item's source is the outlet its link's domain names when the feed
is on that outlet's domain, else ``(feed) name``; a link on another outlet's domain is not kept
as the item's link (:mod:`bot.config.outlets`).  Items of a workspace's own feed are that
workspace's (``owner``) until an operator shares the feed.

Dedup and silence: the store keeps an item once by content hash, canonical URL and (feed,
identity), so repeated GUIDs, re-minted GUIDs and one story in two feeds are stored once; an
outlet's own report replaces a copy stored first (:mod:`bot.store.articles`).  The
first successful poll of a feed stores its items *silent* (searchable, never alerted or digested);
later polls store only what is new, not silent.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.config.outlets import feed_label, host_of, outlet_claim
from bot.config.settings import Settings
from bot.ingest.fetch import Fetcher, FetchResult
from bot.ingest.keyword_poll import Harvest, harvest
from bot.ingest.pollreport import FeedOutcome, PollReport, _count
from bot.ingest.rss import parse_feed
from bot.ingest.storing import store_items
from bot.store import Feed, Store
from bot.store.drafts import Draft

log = logging.getLogger(__name__)

MAX_HINT = 24 * 3600.0  # a server may stretch the next poll by at most a day
MAX_BACKOFF = 24 * 3600.0  # failures back off to at most a day (or the interval, if longer)
LAST_POLL_KEY = "watcher.last_poll"

Progress = Callable[[int, int], None]  # (feeds done, feeds in this poll)


# --- scheduling rules (pure) ------------------------------------------------------------------


def _hint(*values: float | None) -> float:
    return min(MAX_HINT, max((v for v in values if v is not None and v > 0), default=0.0))


def success_delay(
    interval_s: float,
    *,
    max_age: float | None = None,
    ttl_minutes: int | None = None,
    retry_after: float | None = None,
) -> float:
    """Seconds until the next poll after a success: the interval, stretched by the server's
    hints (max-age, RSS ttl, Retry-After), each capped at :data:`MAX_HINT`."""
    ttl = ttl_minutes * 60.0 if ttl_minutes else None
    return max(float(interval_s), _hint(max_age, ttl, retry_after))


def failure_delay(interval_s: float, errors: int, *, retry_after: float | None = None) -> float:
    """Seconds until the next try after the ``errors``-th consecutive failure:
    ``interval * 2**errors`` capped at ``max(MAX_BACKOFF, interval)``, at least Retry-After."""
    cap = max(MAX_BACKOFF, float(interval_s))
    backoff = min(cap, float(interval_s) * 2.0 ** min(max(errors, 1), 32))
    return max(backoff, _hint(retry_after))


# --- the watcher ------------------------------------------------------------------------------


class Poller:
    """Polls feeds into the store (rules in the module docstring).

    ``log_failures=False`` leaves the per-feed failure lines to the caller (the CLI prints its
    own); otherwise each failing feed logs one warning line with its cause."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        per_host: int = 2,
        max_concurrency: int = 32,
        log_failures: bool = True,
    ) -> None:
        self.store = store
        self.settings = settings
        self.per_host = per_host
        self.max_concurrency = max_concurrency
        self.log_failures = log_failures

    def poll_sync(
        self,
        *,
        everything: bool = False,
        progress: Progress | None = None,
        now: datetime | None = None,
    ) -> PollReport:
        """:meth:`poll` from synchronous code (not from inside a running event loop)."""
        return asyncio.run(self.poll(everything=everything, progress=progress, now=now))

    async def poll(
        self,
        *,
        everything: bool = False,
        progress: Progress | None = None,
        now: datetime | None = None,
    ) -> PollReport:
        """Poll the due feeds (every enabled feed with ``everything``) once.

        ``now`` is the poll's clock for due times and scheduling (default: the store's clock)."""
        now = now or self.store.clock.now()
        started = time.perf_counter()
        report = PollReport(started_at=now)
        feeds = await asyncio.to_thread(self.store.due_feeds, now, everything=everything)
        if progress:
            progress(0, len(feeds))
        if feeds:
            store_lock = asyncio.Lock()  # one writer / analyser at a time; fetching goes on
            async with Fetcher(
                allow_private=self.settings.allow_private_feeds,
                timeout=self.settings.fetch_timeout,
                max_bytes=self.settings.fetch_max_bytes,
                per_host=self.per_host,
                max_concurrency=self.max_concurrency,
            ) as fetcher:
                naver_sources = 0
                if any(f.kind == "naver" for f in feeds):
                    naver_sources = await asyncio.to_thread(self.store.count_sources, "naver")

                async def one(feed: Feed) -> None:
                    outcome = await self._poll_one(fetcher, feed, now, store_lock, naver_sources)
                    report.outcomes.append(outcome)
                    if progress:
                        progress(len(report.outcomes), len(feeds))

                await asyncio.gather(*(one(feed) for feed in feeds))
            order = {f.id: i for i, f in enumerate(feeds)}
            report.outcomes.sort(key=lambda o: order[o.feed_id])
        report.duration_s = time.perf_counter() - started
        await asyncio.to_thread(self.store.set_meta, LAST_POLL_KEY, now.isoformat())
        return report

    async def _poll_one(
        self,
        fetcher: Fetcher,
        feed: Feed,
        now: datetime,
        store_lock: asyncio.Lock,
        naver_sources: int = 0,
    ) -> FeedOutcome:
        started = time.perf_counter()
        outcome = FeedOutcome(feed_id=feed.id, url=feed.shown_url, label=feed.label)
        if feed.is_source:
            got = await harvest(fetcher, feed, self.settings, self.store, now, naver_sources)
            outcome.error, outcome.not_modified = got.error, got.not_modified
            outcome.ok = got.error is None
            outcome.entries = len(got.drafts)
            if outcome.ok and not got.not_modified:
                outcome.warning = got.warning
                outcome.silent = not feed.first_poll_done
                for draft in got.drafts:
                    draft.feed_id = feed.id
                    draft.owner = None if feed.everyone else feed.owner
                await self._store(feed, got.drafts, outcome, store_lock)
            await self._record(feed, outcome, got.result, None, now, store_lock, got)
            outcome.seconds = time.perf_counter() - started
            return outcome
        result = await fetcher.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        ttl: int | None = None
        if result.error:
            outcome.error = result.error
        elif result.not_modified:
            outcome.ok = outcome.not_modified = True
        else:
            parsed = await asyncio.to_thread(
                parse_feed,
                result.body or b"",
                url=result.final_url or feed.url,  # relative links resolve against the last hop
                charset=result.charset,
                fetched_at=self.store.clock.now(),
                feed_name=feed.name,
            )
            ttl = parsed.ttl_minutes
            outcome.entries = len(parsed.entries)
            if parsed.refused or (parsed.error and not parsed.entries):
                outcome.error = parsed.error or "refused"
            else:
                outcome.ok = True
                outcome.warning = parsed.error
                outcome.silent = not feed.first_poll_done
                name = feed.name or parsed.title or host_of(feed.url) or feed.shown_url
                if feed.name is None:  # the display name is fixed by the first usable poll
                    outcome.fixed_name = name
                for draft in parsed.entries:
                    draft.feed_id = feed.id
                    draft.origin = feed.shown_url
                    draft.kind = "feed"
                    draft.owner = None if feed.everyone else feed.owner
                    attribute(draft, feed.url, name)
                await self._store(feed, parsed.entries, outcome, store_lock)
        await self._record(feed, outcome, result, ttl, now, store_lock)
        outcome.seconds = time.perf_counter() - started
        return outcome

    async def _store(
        self, feed: Feed, drafts: list[Draft], outcome: FeedOutcome, store_lock: asyncio.Lock
    ) -> None:
        """Store what is new of ``drafts``: one refused item never blocks the rest (see
        :func:`bot.ingest.storing.store_items`), and polling goes on."""
        if not drafts:
            return
        async with store_lock:
            stored = await asyncio.to_thread(store_items, self.store, feed, drafts, outcome.silent)
        outcome.new_items = len(stored.new_ids)
        if stored.failed == len(drafts):  # none stored: a database fault
            outcome.ok = False
            outcome.error = f"cannot store its items ({stored.cause})"
        elif stored.failed:  # the rest are stored; the feed is fine
            outcome.warning = (
                f"{_count(stored.failed, 'item')} of {len(drafts)} not stored ({stored.cause})"
            )

    async def _record(
        self,
        feed: Feed,
        outcome: FeedOutcome,
        result: FetchResult,
        ttl: int | None,
        now: datetime,
        store_lock: asyncio.Lock,
        got: Harvest | None = None,
    ) -> None:
        if outcome.ok:
            delay = success_delay(
                feed.interval_s,
                max_age=result.max_age,
                ttl_minutes=ttl,
                retry_after=max(result.retry_after or 0.0, (got and got.min_delay) or 0.0),
            )
        else:
            delay = failure_delay(
                feed.interval_s, feed.consecutive_errors + 1, retry_after=result.retry_after
            )
        outcome.next_due_at = now + timedelta(seconds=delay)
        async with store_lock:
            view = await asyncio.to_thread(
                self.store.record_poll,
                feed.id,
                now=now,
                ok=outcome.ok,
                next_due_at=outcome.next_due_at,
                not_modified=outcome.not_modified,
                etag=result.etag if got is None or feed.kind != "naver" else None,
                last_modified=(
                    got.cursor if got is not None and feed.kind == "naver" else result.last_modified
                ),
                new_items=outcome.new_items,
                error=outcome.error if not outcome.ok else outcome.warning,
                max_errors=(10**9 if got and got.rate_limited else self.settings.feed_max_errors),
                fixed_name=outcome.fixed_name,
                disable_now=bool(got and got.fatal),
            )
        if view is not None:
            outcome.consecutive_errors = view.consecutive_errors
            outcome.disabled_now = not outcome.ok and view.disabled and not feed.disabled
        if not outcome.ok and self.log_failures:
            disabled = (
                f" (disabled after {outcome.consecutive_errors} consecutive failures)"
                if outcome.disabled_now
                else ""
            )
            log.warning("feed #%d %s: %s%s", feed.id, feed.shown_url, outcome.error, disabled)
        elif outcome.warning and self.log_failures:
            log.info("feed #%d %s: %s", feed.id, feed.shown_url, outcome.warning)


def attribute(draft: Draft, feed_url: str, feed_name: str) -> None:
    """Set a feed item's ``source`` by the rules of :mod:`bot.config.outlets`.  A foreign claim
    loses its link: it is kept as ``claimed_url``."""
    outlet, borrowed = outlet_claim(feed_url, draft.url)
    if outlet is not None:
        draft.source = outlet
        return
    draft.source = feed_label(feed_name)
    if borrowed:
        draft.claimed_url = draft.canonical_url or draft.url
        draft.url = draft.canonical_url = None
