"""One poll of a keyword source (a feed row of kind ``google`` or ``naver``): fetch, page, count.

The watcher (:mod:`bot.ingest.poller`) polls keyword sources with the feeds: same due times,
fetcher (private-address guard, deadlines, body caps), store, silence of the first poll, error
bookkeeping and pausing.  What differs is here:

- **Google News** is one conditional GET of the source's RSS URL; its items are adapted by
  :func:`bot.ingest.google_news.adapt`.
- **Naver** is one call per page of 100 (:mod:`bot.ingest.naver`), with the application's keys,
  and each call counts against the day's quota (``NEWSBOT_NAVER_DAILY_QUOTA``, 25,000 by default;
  the day is Seoul's, as Naver's).  The newest ``pubDate`` read is kept in the row's
  ``last_modified`` as the cursor that ends the next poll's paging.  When the day's quota is
  spent no call is made until midnight (Seoul); polls are spread so the rest of the day's quota
  lasts: after a success the next poll of a Naver source is at least
  ``seconds left today × Naver sources ÷ calls left today`` away.  A 429 backs off (doubling, at
  least ``Retry-After``) without ever pausing the source; a 401/403 pauses it at once, and the
  channels are told once, like a broken feed (:mod:`bot.delivery.planner`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config.settings import Settings
from bot.ingest import google_news, naver
from bot.ingest.fetch import Fetcher, FetchResult
from bot.ingest.rss import parse_feed
from bot.store import Feed, Store
from bot.store.drafts import Draft

SEOUL = ZoneInfo("Asia/Seoul")
QUOTA_KEY = "naver.calls."  # + the Seoul date: calls made that day


@dataclass(slots=True)
class Harvest:
    """What one keyword source's poll brought, and how to record it."""

    drafts: list[Draft] = field(default_factory=list)
    error: str | None = None  # the poll failed
    warning: str | None = None  # it succeeded, but not completely
    fatal: bool = False  # pause the source now (a rejected key)
    rate_limited: bool = False  # a 429 or a spent quota: back off, never pause for it
    not_modified: bool = False
    result: FetchResult = field(default_factory=FetchResult)  # the last response
    cursor: str | None = None  # Naver: the newest pubDate read (kept as last_modified)
    min_delay: float | None = None  # seconds the next poll waits at least (quota spreading)
    calls: int = 0  # requests made


def quota_key(now: datetime) -> str:
    return QUOTA_KEY + now.astimezone(SEOUL).date().isoformat()


def seconds_to_midnight(now: datetime) -> float:
    local = now.astimezone(SEOUL)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(60.0, (midnight - local).total_seconds())


def quota_used(store: Store, now: datetime) -> int:
    raw = store.get_meta(quota_key(now))
    return int(raw) if raw and raw.isdigit() else 0


async def harvest(
    fetcher: Fetcher,
    feed: Feed,
    settings: Settings,
    store: Store,
    now: datetime,
    naver_sources: int,
) -> Harvest:
    """Poll one keyword source (rules in the module docstring)."""
    kind = _KINDS.get(feed.kind)
    if kind is None:
        return Harvest(error=f"unknown source kind {feed.kind!r}")
    return await kind(_Round(fetcher, settings, store, now, naver_sources), feed)


@dataclass(frozen=True, slots=True)
class _Round:
    """What one poll gives a keyword source's reader: the fetcher, the settings, the store, the
    time and how many Naver sources share the day's quota."""

    fetcher: Fetcher
    settings: Settings
    store: Store
    now: datetime
    naver_sources: int


async def _google(r: _Round, feed: Feed) -> Harvest:
    result = await r.fetcher.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
    out = Harvest(result=result, calls=1)
    if result.error:
        out.error = result.error
        return out
    if result.not_modified:
        out.not_modified = True
        return out
    parsed = await asyncio.to_thread(
        parse_feed,
        result.body or b"",
        url=result.final_url or feed.url,
        charset=result.charset,
        fetched_at=r.store.clock.now(),
        feed_name=google_news.NAME,
    )
    if parsed.refused or (parsed.error and not parsed.entries):
        out.error = parsed.error or "refused"
        return out
    out.warning = parsed.error
    out.drafts = [google_news.adapt(d, r.settings.google_news_url) for d in parsed.entries]
    return out


async def _naver(r: _Round, feed: Feed) -> Harvest:
    out = Harvest(cursor=feed.last_modified)
    if not r.settings.naver_client_id or not r.settings.naver_client_secret:
        out.error = "NAVER_CLIENT_ID and NAVER_CLIENT_SECRET are not set"
        return out
    keys = naver.headers(r.settings.naver_client_id, r.settings.naver_client_secret)
    quota = r.settings.naver_daily_quota
    key = quota_key(r.now)
    seen_until = _parse_cursor(feed.last_modified)
    newest: datetime | None = seen_until
    start = 1
    while True:
        used = await asyncio.to_thread(quota_used, r.store, r.now)
        if used >= quota:
            out.error = f"Naver daily quota spent ({used:,}/{quota:,} calls today)"
            out.rate_limited = True
            out.result = FetchResult(retry_after=seconds_to_midnight(r.now))
            break
        await asyncio.to_thread(r.store.add_to_counter, key)
        out.calls += 1
        result = await r.fetcher.fetch(naver.page_url(feed.url, start), headers=keys)
        out.result = result
        if result.error:
            out.error = (
                naver.error_of(result.status, result.body) if result.status else result.error
            )
            out.fatal = naver.is_fatal(result.status)
            out.rate_limited = result.status == 429
            break
        try:
            page = await asyncio.to_thread(
                naver.parse_page, result.body or b"", fetched_at=r.store.clock.now()
            )
        except naver.NaverError as exc:
            out.error = str(exc)
            break
        out.drafts.extend(page.drafts)
        for d in page.drafts:
            if d.published_at and (newest is None or d.published_at > newest):
                newest = d.published_at
        reached = seen_until is None or any(
            d.published_at is not None and d.published_at < seen_until for d in page.drafts
        )
        start += naver.DISPLAY
        if reached or page.listed < naver.DISPLAY or start > min(naver.MAX_START, page.total):
            break
    if out.error and out.drafts and not out.fatal:  # a later page failed: keep what came
        out.warning, out.error = f"read {out.calls - 1} pages, then: {out.error}", None
        return out  # the cursor stays: the next poll reads those pages again
    if not out.error:
        out.cursor = newest.isoformat() if newest else feed.last_modified
        left = quota - await asyncio.to_thread(quota_used, r.store, r.now)
        spread = seconds_to_midnight(r.now) * max(1, r.naver_sources) / max(1, left)
        out.min_delay = spread
    return out


_KINDS = {"google": _google, "naver": _naver}


def _parse_cursor(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return value if value.tzinfo else None
