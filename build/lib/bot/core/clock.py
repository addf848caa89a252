"""Time: the one place that reads the wall clock.

Every component gets a :class:`Clock` injected (:class:`bot.runtime.app.App` builds one) and asks
it for ``now()``; nothing else in newsbot calls ``datetime.now``.  Tests inject a
:class:`FixedClock`; ``NEWSBOT_TEST_CLOCK=2026-11-24T08:59:50+09:00`` starts a whole process's
clock at that instant and lets it run at normal speed (end-to-end tests put a real
``newsbot serve`` just before a digest time that way).

:func:`wall_now` is the real time whatever the clock says.  It is for comparing with other
machines' timestamps (an HTTP-date ``Retry-After``) and for APScheduler's own triggers, which run
in real time; newsbot's decisions (what is due, what is new) use the injected clock.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta


def wall_now() -> datetime:
    """The real current time (see the module docstring for when to use it)."""
    return datetime.now(UTC)


class Clock:
    """The real clock."""

    def now(self) -> datetime:
        return wall_now()


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
    """The process's clock: shifted when ``NEWSBOT_TEST_CLOCK`` is set, else the real one."""
    value = os.environ.get("NEWSBOT_TEST_CLOCK")
    if value:
        return ShiftedClock(datetime.fromisoformat(value))
    return Clock()
