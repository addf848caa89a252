"""Periods as users write them: ``24h``, ``7d``, ``90m``, ``2025-10-01``, ``all``."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo


class PeriodError(ValueError):
    pass


def parse_since(value: str | None, now: datetime, tz: str = "Asia/Seoul") -> datetime | None:
    """The start of the period, or None for ``all``.  A date is midnight in ``tz``."""
    if value is None:
        return None
    raw = value.strip().lower()
    if raw in ("all", "전체", "ever"):
        return None
    m = re.fullmatch(r"(\d{1,5})\s*(m|min|h|d|w|분|시간|일|주)", raw)
    if m:
        n = int(m.group(1))
        unit = m.group(2)
        seconds = {
            "m": 60,
            "min": 60,
            "분": 60,
            "h": 3600,
            "시간": 3600,
            "d": 86400,
            "일": 86400,
            "w": 604800,
            "주": 604800,
        }[unit]
        return now - timedelta(seconds=n * seconds)
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", raw)
    if m:
        try:
            local = datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), tzinfo=ZoneInfo(tz))
        except ValueError as exc:
            raise PeriodError(value) from exc
        return local.astimezone(UTC)
    raise PeriodError(value)
