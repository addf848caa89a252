"""Dates as labelled sets write them: a year (``2024``), a year-month (``2025-11``), a date, or a
date-time with or without a zone.  Read as they are, never refused: a partial date stands for its
first day, a zone-less time is taken in UTC (only the order matters to the callers)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{1,2}))?$")


def parse_loose(value: object) -> datetime | None:
    """``value`` as an aware datetime, or None when it is empty or no date at all."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    m = _PARTIAL.match(text)
    if m:
        return datetime(int(m.group(1)), int(m.group(2) or 1), 1, tzinfo=UTC)
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def order_key(value: object) -> tuple[int, datetime]:
    """Sort key: dated items by date, undated ones after them (in their given order when the
    sort is stable)."""
    when = parse_loose(value)
    return (0, when) if when else (1, datetime.max.replace(tzinfo=UTC))
