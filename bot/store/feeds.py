"""Feed queries: the list of feeds and their health.  Polling bookkeeping (ETag, due times,
backoff) is recorded through :meth:`FeedQueries.record_poll`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from bot.models import Feed, utcnow
from bot.store.base import StoreBase


@dataclass(slots=True)
class FeedView:
    id: int
    url: str
    name: str | None
    interval_s: int
    etag: str | None
    last_modified: str | None
    next_due_at: datetime | None
    last_polled_at: datetime | None
    last_ok_at: datetime | None
    consecutive_errors: int
    last_error: str | None
    disabled: bool
    disabled_reason: str | None
    first_poll_done: bool
    last_new_items: int

    @property
    def health(self) -> str:
        if self.disabled:
            return "disabled"
        if self.consecutive_errors:
            return "failing"
        if self.last_ok_at is None:
            return "new"
        return "ok"

    @property
    def label(self) -> str:
        return self.name or self.url


def _view(f: Feed) -> FeedView:
    return FeedView(
        id=f.id, url=f.url, name=f.name, interval_s=f.interval_s, etag=f.etag,
        last_modified=f.last_modified, next_due_at=f.next_due_at,
        last_polled_at=f.last_polled_at, last_ok_at=f.last_ok_at,
        consecutive_errors=f.consecutive_errors, last_error=f.last_error, disabled=f.disabled,
        disabled_reason=f.disabled_reason, first_poll_done=f.first_poll_done,
        last_new_items=f.last_new_items,
    )


class FeedQueries(StoreBase):
    def add_feed(self, url: str, name: str | None = None,
                 interval_s: int = 900) -> tuple[FeedView, bool]:
        """(the feed, True when it was added; False when that URL was already there)."""
        with self.read() as s:
            existing = s.scalar(select(Feed).where(Feed.url == url))
            if existing is not None:
                return _view(existing), False
        try:
            with self.write() as s:
                feed = Feed(url=url, name=name, interval_s=interval_s, next_due_at=utcnow(),
                            last_new_items=0, consecutive_errors=0, disabled=False,
                            first_poll_done=False)
                s.add(feed)
                s.flush()
                return _view(feed), True
        except IntegrityError:
            with self.read() as s:
                return _view(s.scalars(select(Feed).where(Feed.url == url)).one()), False

    def get_feed(self, feed_id: int) -> FeedView | None:
        with self.read() as s:
            feed = s.get(Feed, feed_id)
            return _view(feed) if feed else None

    def list_feeds(self) -> list[FeedView]:
        with self.read() as s:
            return [_view(f) for f in s.scalars(select(Feed).order_by(Feed.id))]

    def remove_feed(self, feed_id: int) -> bool:
        with self.write() as s:
            feed = s.get(Feed, feed_id)
            if feed is None:
                return False
            s.delete(feed)
            return True

    def due_feeds(self, now: datetime, *, everything: bool = False) -> list[FeedView]:
        """Enabled feeds whose next poll is due (all enabled feeds with ``everything``)."""
        with self.read() as s:
            q = select(Feed).where(Feed.disabled.is_(False))
            if not everything:
                q = q.where(or_(Feed.next_due_at.is_(None), Feed.next_due_at <= now))
            return [_view(f) for f in s.scalars(q.order_by(Feed.next_due_at, Feed.id))]

    def feed_health(self) -> dict[str, int]:
        counts = {"ok": 0, "new": 0, "failing": 0, "disabled": 0}
        for f in self.list_feeds():
            counts[f.health] += 1
        return counts
