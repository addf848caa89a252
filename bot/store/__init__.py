"""The store: the only code that speaks SQL.  Models are data (:mod:`bot.store.models`); the queries
live here, one module per concern, combined into :class:`Store`; :class:`~bot.store.drafts.Draft`
is what the store is asked to keep.

May import: ``core``, ``config``.
"""

from __future__ import annotations

from bot.core.clock import Clock
from bot.store import engine as db
from bot.store.articles import ArticleQueries
from bot.store.feeds import FeedQueries
from bot.store.leases import LeaseQueries
from bot.store.meta import MetaQueries
from bot.store.outbox import OutboxQueries
from bot.store.subscriptions import SubscriptionQueries
from bot.store.trends import TrendQueries
from bot.store.views import (
    AnalysedRecord,
    Article,
    Delivery,
    Destination,
    Feed,
    PendingArticle,
    Place,
    Subscription,
    Window,
)
from bot.store.watches import WatchQueries

__all__ = [
    "DEMO_MARK",
    "AnalysedRecord",
    "Article",
    "Delivery",
    "Destination",
    "Feed",
    "PendingArticle",
    "Place",
    "Store",
    "Subscription",
    "Window",
    "is_demo_database",
    "open_store",
]


class Store(
    ArticleQueries,
    FeedQueries,
    WatchQueries,
    SubscriptionQueries,
    TrendQueries,
    OutboxQueries,
    LeaseQueries,
    MetaQueries,
):
    pass


def open_store(url: str, *, migrate: bool = True, clock: Clock | None = None) -> Store:
    """Open the database at ``url``, bringing its schema up to date unless told not to."""
    engine = db.make_engine(url)
    if migrate:
        db.ensure_schema(engine)
    return Store(engine, clock)


DEMO_MARK = "demo"  # meta key set in a database `newsbot demo` made (and may delete)


def is_demo_database(url: str) -> bool:
    """Whether the database at ``url`` was made by ``newsbot demo`` (False for any other, or
    for one that cannot be read)."""
    try:
        store = open_store(url, migrate=False)
    except Exception:
        return False
    try:
        return store.get_meta(DEMO_MARK) == "1"
    except Exception:
        return False
    finally:
        store.close()
