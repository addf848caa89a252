"""Time, replaceable in tests.

``NEWSBOT_TEST_CLOCK=2026-11-24T08:59:50+09:00`` starts the process's clock at that instant and
lets it run at normal speed: end-to-end tests use it to put a real ``newsbot serve`` just before
a digest time.  Nothing else in newsbot reads the wall clock directly.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta


class Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ShiftedClock(Clock):
    """Starts at ``start`` and advances with the monotonic clock."""

    def __init__(self, start: datetime) -> None:
        self.start = start.astimezone(UTC)
        self.origin = time.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.origin)


class FixedClock(Clock):
    """A clock that moves only when told to (unit tests)."""

    def __init__(self, at: datetime) -> None:
        self.at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self.at

    def set(self, at: datetime) -> None:
        self.at = at.astimezone(UTC)

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


def from_env() -> Clock:
    value = os.environ.get("NEWSBOT_TEST_CLOCK")
    if value:
        return ShiftedClock(datetime.fromisoformat(value))
    return Clock()
