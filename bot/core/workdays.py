"""Korean workdays: Monday to Friday, except Korean public holidays (the ``holidays`` package,
``KR``, substitute holidays included: 2025-10-08 makes up for Chuseok falling on a Sunday)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS_KO = "월화수목금토일"
_WEEKDAY_WORDS = {
    **{name: n for n, name in enumerate(WEEKDAYS)},
    **{name.lower(): n for n, name in enumerate(WEEKDAY_NAMES)},
    **{ko: n for n, ko in enumerate(WEEKDAYS_KO)},
    **{ko + "요일": n for n, ko in enumerate(WEEKDAYS_KO)},
}
MAX_GAP = 14  # days searched back for the previous workday (the longest Korean break is ~10)


@lru_cache(maxsize=64)
def _korean_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("KR", years=year)


def weekday_number(word: str) -> int | None:
    """``mon``, ``Monday``, ``월`` or ``월요일`` → 0 … ``sun``/``일`` → 6; None for anything else."""
    return _WEEKDAY_WORDS.get(word.strip().lower())


def is_workday(day: date) -> bool:
    return day.weekday() < 5 and day not in _korean_holidays(day.year)


def previous_workday_instant(instant: datetime) -> datetime:
    """The same local time on the last workday before ``instant`` (aware, in its zone)."""
    at = instant
    for _ in range(MAX_GAP):
        at -= timedelta(days=1)
        if is_workday(at.date()):
            return at
    return instant - timedelta(days=1)
