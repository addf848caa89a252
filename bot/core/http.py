"""HTTP header values every stage reads the same way (feeds, Slack, Discord)."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from bot.core.clock import wall_now

# seconds a handler waits for a request body (``serve``'s listener, the Slack route)
BODY_TIMEOUT = 10.0


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value, or None when it is missing or garbage.

    Delta seconds may carry decimals (``1.5``; Slack and Discord send them); a negative delay is
    0.  An HTTP date is measured from ``now`` (default: the real time, since the date comes from
    another machine's clock); a date in the past is 0.  What to do without a usable value is the
    caller's policy (a feed simply keeps its interval; a rate-limited post waits a second)."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or wall_now())).total_seconds()
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)
