"""Feed queries: the list of feeds, their health, and the bookkeeping of every poll.

Bookkeeping rules (:meth:`FeedQueries.record_poll`; the watcher decides *when* the next poll is,
the store keeps the facts):

- Every poll sets ``last_polled_at`` and the ``next_due_at`` the watcher computed.
- A success (a 200 that parsed, or a 304) resets ``consecutive_errors`` to 0, sets
  ``last_ok_at``, stores the validators the response gave (``etag`` / ``last_modified``; a 200
  without them clears them, so a stale validator is never sent again), ``last_new_items`` and
  ``first_poll_done``.  ``last_error`` then holds the parse warning of a malformed-but-usable
  document (``None`` when clean); a 304 keeps the previous warning, since the document it
  describes has not changed.
- A failure adds one to ``consecutive_errors`` and keeps the cause in ``last_error``; the
  validators are left alone.  When the count reaches ``max_errors`` the feed is disabled with
  ``disabled_reason`` ("N consecutive failures; last: <cause>") and ``disabled_at`` kept until
  :meth:`FeedQueries.enable_feed`.  A disabled feed is never due.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.exc import IntegrityError

from bot.store.base import StoreBase, from_row
from bot.store.models import ArticleRow, FeedRow, MatchRow
from bot.store.views import Feed

ERROR_TEXT_MAX = 300  # characters of an error kept in the database (one short line)


def _view(f: FeedRow) -> Feed:
    return from_row(Feed, f, shared=bool(f.shared), kind=f.kind or "rss")


def readable_by(tenant: str) -> ColumnElement[bool]:
    """The feeds a workspace reads: the operator's, the shared ones and its own."""
    return or_(FeedRow.owner.is_(None), FeedRow.shared.is_(True), FeedRow.owner == tenant)


def _clip(text: str | None, limit: int) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class FeedQueries(StoreBase):
    def add_feed(
        self,
        url: str,
        name: str | None = None,
        interval_s: int = 900,
        owner: str | None = None,
        *,
        kind: str = "rss",
        query: str | None = None,
        lang: str | None = None,
    ) -> tuple[Feed, bool]:
        """(the feed, True when it was added; False when that URL was already there).

        ``owner`` is the chat workspace adding it (None: the operator's, read everywhere);
        ``kind``/``query``/``lang`` describe a keyword source (``url`` is then its request URL)."""
        with self.read() as s:
            existing = s.scalar(select(FeedRow).where(FeedRow.url == url))
            if existing is not None:
                return _view(existing), False
        try:
            with self.write() as s:
                feed = FeedRow(
                    url=url,
                    name=name,
                    interval_s=interval_s,
                    next_due_at=self.clock.now(),
                    created_at=self.clock.now(),
                    last_new_items=0,
                    consecutive_errors=0,
                    disabled=False,
                    first_poll_done=False,
                    owner=owner,
                    shared=False,
                    kind=kind,
                    query=query,
                    lang=lang,
                )
                s.add(feed)
                s.flush()
                return _view(feed), True
        except IntegrityError:
            with self.read() as s:
                return _view(s.scalars(select(FeedRow).where(FeedRow.url == url)).one()), False

    def feed_by_url(self, url: str) -> Feed | None:
        """The feed (or keyword source) stored under exactly this URL."""
        with self.read() as s:
            row = s.scalar(select(FeedRow).where(FeedRow.url == url))
            return _view(row) if row else None

    def get_feed(self, feed_id: int) -> Feed | None:
        with self.read() as s:
            feed = s.get(FeedRow, feed_id)
            return _view(feed) if feed else None

    def list_feeds(self, tenant: str | None = None) -> list[Feed]:
        """Every feed, or (``tenant``) the ones that workspace reads: its own and everyone's."""
        with self.read() as s:
            q = select(FeedRow).order_by(FeedRow.id)
            if tenant is not None:
                q = q.where(readable_by(tenant))
            return [_view(f) for f in s.scalars(q)]

    def set_feed_shared(self, feed_id: int, shared: bool) -> Feed | None:

        def change(feed: FeedRow) -> None:
            feed.shared = shared

        return self._change_feed(feed_id, change)

    def _change_feed(self, feed_id: int, change: Callable[[FeedRow], None]) -> Feed | None:
        """``change`` one feed in one write; the feed as it is then, or None when it is gone."""
        with self.write() as s:
            feed = s.get(FeedRow, feed_id)
            if feed is None:
                return None
            change(feed)
            s.flush()
            return _view(feed)

    def remove_feed(self, feed_id: int) -> bool:
        with self.write() as s:
            feed = s.get(FeedRow, feed_id)
            if feed is None:
                return False
            s.delete(feed)
            return True

    def due_feeds(self, now: datetime, *, everything: bool = False) -> list[Feed]:
        """Enabled feeds whose next poll is due (all enabled feeds with ``everything``)."""
        with self.read() as s:
            q = select(FeedRow).where(FeedRow.disabled.is_(False))
            if not everything:
                q = q.where(or_(FeedRow.next_due_at.is_(None), FeedRow.next_due_at <= now))
            return [_view(f) for f in s.scalars(q.order_by(FeedRow.next_due_at, FeedRow.id))]

    def next_due(self) -> datetime | None:
        """The earliest ``next_due_at`` among enabled feeds (None when there are none)."""
        with self.read() as s:
            return s.scalar(
                select(FeedRow.next_due_at)
                .where(FeedRow.disabled.is_(False), FeedRow.next_due_at.is_not(None))
                .order_by(FeedRow.next_due_at)
                .limit(1)
            )

    def count_sources(self, kind: str) -> int:
        """How many enabled feed rows of ``kind`` there are (``naver``: what shares the quota)."""
        with self.read() as s:
            return (
                s.scalar(
                    select(func.count())
                    .select_from(FeedRow)
                    .where(FeedRow.kind == kind, FeedRow.disabled.is_(False))
                )
                or 0
            )

    def feed_health(self, tenant: str | None = None) -> dict[str, int]:
        counts = {"ok": 0, "new": 0, "failing": 0, "disabled": 0}
        for f in self.list_feeds(tenant):
            counts[f.health] += 1
        return counts

    # --- polling bookkeeping ------------------------------------------------------------------

    def record_poll(
        self,
        feed_id: int,
        *,
        now: datetime,
        ok: bool,
        next_due_at: datetime,
        not_modified: bool = False,
        etag: str | None = None,
        last_modified: str | None = None,
        new_items: int = 0,
        error: str | None = None,
        max_errors: int = 10,
        fixed_name: str | None = None,
        disable_now: bool = False,
    ) -> Feed | None:
        """Record one poll's outcome (rules in the module docstring).

        ``ok`` with ``error`` records a warning (the document was usable); not ``ok`` records a
        failure whose cause is ``error``.  ``fixed_name`` names a feed that has no name yet (the
        first usable poll fixes it; later titles change nothing).  ``disable_now``: a failure no
        retry can mend (a rejected API key) disables the feed at once, ``error`` its reason.
        Returns the updated feed, or
        None when the feed was removed meanwhile."""

        def record(feed: FeedRow) -> None:
            feed.last_polled_at = now
            feed.next_due_at = next_due_at
            if fixed_name and not feed.name:
                feed.name = fixed_name[:300]
            if ok:
                if not not_modified or feed.consecutive_errors:
                    feed.last_error = _clip(error, ERROR_TEXT_MAX)
                feed.consecutive_errors = 0
                feed.last_ok_at = now
                feed.etag = _clip(etag, 500)
                feed.last_modified = _clip(last_modified, 100)
                feed.last_new_items = new_items
                feed.first_poll_done = True
            else:
                cause = _clip(error or "unknown error", ERROR_TEXT_MAX)
                feed.consecutive_errors = (feed.consecutive_errors or 0) + 1
                feed.last_error = cause
                feed.last_new_items = 0
                if disable_now and not feed.disabled:
                    feed.disabled = True
                    feed.disabled_at = now
                    feed.disabled_reason = cause
                elif feed.consecutive_errors >= max_errors and not feed.disabled:
                    feed.disabled = True
                    feed.disabled_at = now
                    feed.disabled_reason = _clip(
                        f"{feed.consecutive_errors} consecutive failures; last: {cause}",
                        ERROR_TEXT_MAX,
                    )

        return self._change_feed(feed_id, record)

    def update_feed(
        self, feed_id: int, *, name: str | None = None, interval_s: int | None = None
    ) -> Feed | None:
        """Rename a feed and / or change its interval (arguments left as None are kept)."""

        def change(feed: FeedRow) -> None:
            if name is not None:
                feed.name = name.strip() or None
            if interval_s is not None:
                feed.interval_s = interval_s

        return self._change_feed(feed_id, change)

    def enable_feed(self, feed_id: int, *, now: datetime | None = None) -> Feed | None:
        """Re-enable a feed: errors forgotten, due at once; its validators are kept."""

        def change(feed: FeedRow) -> None:
            feed.disabled = False
            feed.disabled_reason = None
            feed.disabled_at = None
            feed.consecutive_errors = 0
            feed.next_due_at = now or self.clock.now()

        return self._change_feed(feed_id, change)

    def disabled_feeds(self) -> list[Feed]:
        with self.read() as s:
            rows = s.scalars(select(FeedRow).where(FeedRow.disabled.is_(True)).order_by(FeedRow.id))
            return [_view(f) for f in rows]

    def feed_topics(self, feed_id: int) -> set[str]:
        """The topics the feed's items have carried."""
        with self.read() as s:
            rows = s.scalars(
                select(MatchRow.topic)
                .join(ArticleRow, ArticleRow.id == MatchRow.article_id)
                .where(ArticleRow.feed_id == feed_id)
                .distinct()
            )
            return set(rows)
