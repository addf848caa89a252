"""Durations and periods as users write them: ``30s``, ``15m``, ``1.5h``, ``7d``, ``1w``, ``2주``,
``12시간``, ``2025-10-01``, ``all``.

One duration grammar for settings (``NEWSBOT_FEED_INTERVAL=15m``), feed intervals
(``--interval 1w``), mutes (``for 2주``) and periods (``/news digest 7d``): a count, decimals
allowed, and a unit in English or Korean (ms; s, sec, 초; m, min, 분; h, hr, 시간; d, 일;
w, 주).  A setting may leave the unit out (seconds); a period or a mute may not, so that a bare
number stays an article id or a count.  A period is a duration back from now, a calendar date
(midnight in the given zone), or ``all`` (전체, ever) for no limit.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.problem import Problem

UNIT_SECONDS: dict[str, float] = {
    "ms": 0.001,
    "s": 1,
    "sec": 1,
    "초": 1,
    "m": 60,
    "min": 60,
    "분": 60,
    "h": 3600,
    "hr": 3600,
    "시간": 3600,
    "d": 86400,
    "일": 86400,
    "w": 604800,
    "주": 604800,
}
PERIOD_UNITS = frozenset({"m", "min", "분", "h", "hr", "시간", "d", "일", "w", "주"})
ALL = ("all", "전체", "ever")
FIRST_YEAR = 1970  # the earliest date a period may start
DURATION_HINT = "expected a duration such as 30s, 15m, 6h, 1d or 2w"
_UNITS = "|".join(sorted(UNIT_SECONDS, key=len, reverse=True))
_DURATION = re.compile(rf"(\d{{1,12}}(?:\.\d{{1,6}})?)\s*({_UNITS})?")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def duration_seconds(word: str, *, bare: bool = False) -> float | None:
    """The seconds of a duration (``15m`` -> 900.0, ``2주``, ``1.5h``), or None when ``word`` is
    not one; ``bare``: a number without a unit is seconds (settings), else it is not a duration."""
    m = _DURATION.fullmatch(word.strip().lower())
    if not m or (m.group(2) is None and not bare):
        return None
    return float(m.group(1)) * UNIT_SECONDS[m.group(2) or "s"]


def parse_duration(raw: str) -> float:
    """``'15m'`` -> 900.0 seconds; a bare number is seconds.  :class:`ValueError` otherwise."""
    seconds = duration_seconds(raw, bare=True)
    if seconds is None:
        raise Problem("expect.duration", DURATION_HINT)
    return seconds


class PeriodError(ValueError):
    pass


def span_seconds(word: str) -> int | None:
    """The whole seconds of a period or mute length: a duration in minutes or longer units
    (``2주``, ``7d``, ``1.5h``, ``90m``), or None when ``word`` is not one.  Seconds and
    milliseconds are the settings' units only, so a search ending in ``16s`` or ``10초`` keeps
    that word as a search word."""
    m = _DURATION.fullmatch(word.strip().lower())
    if not m or m.group(2) not in PERIOD_UNITS:
        return None
    return round(float(m.group(1)) * UNIT_SECONDS[m.group(2)])


def looks_like_period(word: str) -> bool:
    """Whether ``word`` is written as a period (it may still name an impossible date)."""
    raw = word.strip().lower()
    return raw in ALL or span_seconds(raw) is not None or bool(_DATE.fullmatch(raw))


def parse_since(value: str | None, now: datetime, tz: str = "Asia/Seoul") -> datetime | None:
    """The start of the period, or None for ``all``.  A date is midnight in ``tz``."""
    if value is None:
        return None
    raw = value.strip().lower()
    if raw in ALL:
        return None
    seconds = span_seconds(raw)
    if seconds is not None:
        try:
            start = now - timedelta(seconds=seconds)
        except OverflowError as exc:  # further back than datetime reaches
            raise PeriodError(value) from exc
        if start.year < FIRST_YEAR:  # the same bound a date has: no news before it
            raise PeriodError(value)
        return start
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
