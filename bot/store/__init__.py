"""The store: the only code that speaks SQL.  Models are data (:mod:`bot.store.models`); the queries
live here, one module per concern, combined into :class:`Store`."""

from __future__ import annotations

from bot.core.clock import Clock
from bot.store import engine as db
from bot.store.articles import ArticleQueries
from bot.store.feeds import FeedQueries
from bot.store.leases import LeaseQueries
from bot.store.meta import MetaQueries
from bot.store.outbox import OutboxQueries
from bot.store.subscriptions import SubscriptionQueries
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

__all__ = [
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
    "open_store",
]


class Store(
    ArticleQueries, FeedQueries, SubscriptionQueries, OutboxQueries, LeaseQueries, MetaQueries
):
    pass


def open_store(url: str, *, migrate: bool = True, clock: Clock | None = None) -> Store:
    """Open the database at ``url``, bringing its schema up to date unless told not to."""
    engine = db.make_engine(url)
    if migrate:
        db.ensure_schema(engine)
    return Store(engine, clock)
