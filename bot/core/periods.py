"""Periods as users write them: ``24h``, ``7d``, ``90m``, ``2주``, ``2025-10-01``, ``all``.

One grammar for the CLI's ``--since`` and chat's period words: a count and a unit (m, min, h,
d, w, or 분, 시간, 일, 주) back from now, a calendar date (midnight in the given zone), or ``all``
(전체, ever) for no limit.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

UNIT_SECONDS = {
    "m": 60,
    "min": 60,
    "분": 60,
    "h": 3600,
    "시간": 3600,
    "d": 86400,
    "일": 86400,
    "w": 604800,
    "주": 604800,
}
ALL = ("all", "전체", "ever")
FIRST_YEAR = 1970  # the earliest date a period may start
_UNITS = "|".join(sorted(UNIT_SECONDS, key=len, reverse=True))
_RELATIVE = re.compile(rf"(\d{{1,5}})\s*({_UNITS})")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


class PeriodError(ValueError):
    pass


def span_seconds(word: str) -> int | None:
    """The seconds of a span written like a period's count and unit (``2주``, ``7d``, ``12h``),
    or None when ``word`` is not one."""
    m = _RELATIVE.fullmatch(word.strip().lower())
    return int(m.group(1)) * UNIT_SECONDS[m.group(2)] if m else None


def looks_like_period(word: str) -> bool:
    """Whether ``word`` is written as a period (it may still name an impossible date)."""
    raw = word.strip().lower()
    return raw in ALL or bool(_RELATIVE.fullmatch(raw) or _DATE.fullmatch(raw))


def parse_since(value: str | None, now: datetime, tz: str = "Asia/Seoul") -> datetime | None:
    """The start of the period, or None for ``all``.  A date is midnight in ``tz``."""
    if value is None:
        return None
    raw = value.strip().lower()
    if raw in ALL:
        return None
    m = _RELATIVE.fullmatch(raw)
    if m:
        return now - timedelta(seconds=int(m.group(1)) * UNIT_SECONDS[m.group(2)])
    m = _DATE.fullmatch(raw)
    if m:
        year = int(m.group(1))
        if year < FIRST_YEAR:  # no news before it; year 1 in Seoul is before UTC's year 1
            raise PeriodError(value)
        try:
            local = datetime(year, int(m.group(2)), int(m.group(3)), tzinfo=ZoneInfo(tz))
            return local.astimezone(UTC)
        except (ValueError, OverflowError) as exc:
            raise PeriodError(value) from exc
    raise PeriodError(value)
