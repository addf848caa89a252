"""Prometheus metrics of one newsbot process (``/metrics`` on the ``serve`` port)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

REGISTRY = CollectorRegistry(auto_describe=True)

ITEMS_INGESTED = Counter(
    "newsbot_items_ingested", "Articles stored as new (feeds and seeds)", registry=REGISTRY
)
ITEMS_MATCHED = Counter(
    "newsbot_items_matched",
    "Articles that carried a topic when analysed",
    ["topic"],
    registry=REGISTRY,
)
POSTS_SENT = Counter(
    "newsbot_posts_sent", "Chat messages delivered", ["platform"], registry=REGISTRY
)
POSTS_FAILED = Counter(
    "newsbot_posts_failed",
    "Chat deliveries that failed (retried later or paused)",
    ["platform", "reason"],
    registry=REGISTRY,
)
FEED_ERRORS = Counter("newsbot_feed_errors", "Feed polls that failed", registry=REGISTRY)
POLL_SECONDS = Histogram(
    "newsbot_poll_duration_seconds",
    "Duration of one poll of the due feeds",
    buckets=(0.1, 0.5, 1, 2, 5, 10, 20, 30, 60, 120),
    registry=REGISTRY,
)
LEADER = Gauge(
    "newsbot_scheduler_leader", "1 when this process is the scheduler leader", registry=REGISTRY
)
OUTBOX_PENDING = Gauge("newsbot_outbox_pending", "Deliveries waiting to be sent", registry=REGISTRY)


def exposition() -> bytes:
    return generate_latest(REGISTRY)
