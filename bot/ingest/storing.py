"""Storing one feed's items so that one item the database refuses never keeps out the rest.

The poller stores a feed's new items in one batch; when the batch fails, :func:`store_items`
stores them one at a time, logs each refused item on one line (its place in the feed and the
exception's type, never its text or the SQL) and reports how many were refused.  Text a
database cannot hold (NUL, control characters, lone surrogates) never gets this far: the engine
drops it from every parameter (:mod:`bot.store.engine`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.store import Feed, Store
from bot.store.drafts import Draft

log = logging.getLogger("bot.ingest.poller")


@dataclass(slots=True)
class Stored:
    new_ids: list[int]
    failed: int = 0
    cause: str = ""  # the first refusal's exception type (never its message: it holds SQL)


def store_items(store: Store, feed: Feed, drafts: list[Draft], silent: bool) -> Stored:
    """Store a feed's items (the new ones); one at a time when the batch fails."""
    try:
        return Stored(store.add_drafts(drafts, silent=silent))
    except Exception as exc:
        if len(drafts) == 1:
            _log_refused(feed, 1, 1, exc)
            return Stored([], 1, type(exc).__name__)
    stored = Stored([])
    for n, draft in enumerate(drafts, 1):
        try:
            stored.new_ids.extend(store.add_drafts([draft], silent=silent))
        except Exception as exc:
            _log_refused(feed, n, len(drafts), exc)
            stored.failed += 1
            stored.cause = stored.cause or type(exc).__name__
    return stored


def _log_refused(feed: Feed, n: int, total: int, exc: Exception) -> None:
    log.warning(
        "feed #%d %s: item %d of %d not stored (%s)",
        feed.id,
        feed.shown_url,
        n,
        total,
        type(exc).__name__,
        exc_info=log.isEnabledFor(logging.DEBUG),
    )
