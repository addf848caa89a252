"""What one poll did: each feed's (or keyword source's) outcome and the poll's report, as the CLI,
the metrics endpoint and ``--format json`` show them (:mod:`bot.ingest.poller` fills them in)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@dataclass(slots=True)
class FeedOutcome:
    """What one feed's poll did."""

    feed_id: int
    url: str
    label: str
    ok: bool = False
    not_modified: bool = False
    entries: int = 0  # entries the document held
    new_items: int = 0  # of which were new to the store
    silent: bool = False  # first poll: stored as already seen
    error: str | None = None  # why it failed (None on success)
    warning: str | None = None  # a usable but malformed document
    disabled_now: bool = False  # this failure disabled the feed
    consecutive_errors: int = 0
    next_due_at: datetime | None = None
    seconds: float = 0.0  # fetch + parse + store
    fixed_name: str | None = None  # the display name this poll gave a feed added without one

    def as_json(self) -> dict[str, Any]:
        return {
            "feed_id": self.feed_id,
            "url": self.url,
            "name": self.label,
            "ok": self.ok,
            "not_modified": self.not_modified,
            "entries": self.entries,
            "new_items": self.new_items,
            "silent": self.silent,
            "error": self.error,
            "warning": self.warning,
            "disabled_now": self.disabled_now,
            "consecutive_errors": self.consecutive_errors,
            "next_due_at": self.next_due_at.isoformat() if self.next_due_at else None,
            "seconds": round(self.seconds, 3),
        }


@dataclass(slots=True)
class PollReport:
    """One poll's outcomes, and the figures the metrics endpoint reports."""

    started_at: datetime
    duration_s: float = 0.0
    outcomes: list[FeedOutcome] = field(default_factory=list)

    @property
    def feeds_polled(self) -> int:
        return len(self.outcomes)

    @property
    def items_ingested(self) -> int:
        """New items stored by this poll (silent first-poll items included)."""
        return sum(o.new_items for o in self.outcomes)

    @property
    def items_silent(self) -> int:
        return sum(o.new_items for o in self.outcomes if o.silent)

    @property
    def not_modified(self) -> int:
        return sum(1 for o in self.outcomes if o.not_modified)

    @property
    def failed(self) -> list[FeedOutcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def feed_errors(self) -> int:
        return len(self.failed)

    @property
    def disabled(self) -> list[FeedOutcome]:
        return [o for o in self.outcomes if o.disabled_now]

    @property
    def warnings(self) -> list[FeedOutcome]:
        return [o for o in self.outcomes if o.ok and o.warning]

    def outcome(self, feed_id: int) -> FeedOutcome | None:
        return next((o for o in self.outcomes if o.feed_id == feed_id), None)

    def summary(self) -> str:
        """One line: feeds polled, new items, not modified, failed."""
        silent = (
            f" ({self.items_silent} from first polls, not alerted)" if self.items_silent else ""
        )
        return (
            f"{_count(self.feeds_polled, 'feed')} polled: "
            f"{_count(self.items_ingested, 'new item')}{silent}, "
            f"{self.not_modified} not modified, {self.feed_errors} failed "
            f"({self.duration_s:.1f} s)"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "started_at": self.started_at.isoformat(),
            "duration_s": round(self.duration_s, 3),
            "feeds_polled": self.feeds_polled,
            "items_ingested": self.items_ingested,
            "not_modified": self.not_modified,
            "feed_errors": self.feed_errors,
            "disabled": [o.feed_id for o in self.disabled],
            "feeds": [o.as_json() for o in self.outcomes],
        }
