"""Publication dates as feeds write them, to aware UTC datetimes.

Accepted (leading / trailing noise such as a weekday is tolerated):

- RFC 822 / 2822 (``Tue, 01 Oct 2024 12:00:00 +0900``), plus the zone names email.utils does not
  know listed in :data:`ZONES` (``KST`` and ``JST`` are +09:00); ambiguous names (``IST``) are not
  guessed;
- ISO 8601 / W3C-DTF (``2024-10-01T12:00:00Z``, ``2024-10-01 12:00``, ``20241001T120000+0900``);
- Korean forms: ``2024년 5월 1일``, ``2021년 07월 16일 (금)요일 18:00``, ``2024년 5월 1일 오후 3시 20분``,
  ``2025.02.20 11:30``, ``2025. 2. 20.``, ``2025/02/20 11:30``, ``2025-02-20 오전 9:05``.

A time without a zone is Korean local time (Asia/Seoul).  A date without a time means noon in
Seoul (the same calendar day in Seoul and in UTC), but never later than the fetch time.

:func:`parse_date` never raises: a missing, unparseable, zero (``0000-00-00``), pre-1971
(epoch-zero garbage) or far-future (more than one day after the fetch) date, or one whose zone is
no zone on Earth (``+9900``), is unknown (None): the item is then shown with the day it was
collected and never as if published then, and stories and trends treat it as undated.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_tz
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")
FUTURE_SLACK = timedelta(days=1)
EARLIEST = datetime(1971, 1, 1, tzinfo=UTC)
MAX_OFFSET = 14 * 3600  # seconds: the widest zones are UTC-12:00 and UTC+14:00

ZONES = {
    "KST": "+0900",
    "JST": "+0900",
    "HKT": "+0800",
    "SGT": "+0800",
    "AWST": "+0800",
    "CET": "+0100",
    "CEST": "+0200",
    "BST": "+0100",
    "AEST": "+1000",
    "AEDT": "+1100",
    "UTC": "+0000",
}

_ZONE_WORD = re.compile(r"\b(" + "|".join(ZONES) + r")\b", re.I)
_SPACES = re.compile(r"\s+")
_HAS_ZONE = re.compile(r"(?:[+-]\d{4}|\b[A-Za-z]{1,5})\s*$")

# "2024년 5월 1일", optionally "(금)", "(금)요일", "금요일", then a time in one of several shapes.
_KOREAN = re.compile(
    r"(?P<y>\d{4})\s*년\s*(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일"
    r"(?:\s*\(?\s*[월화수목금토일]\s*\)?\s*(?:요일)?)?"
)
# "2025.02.20", "2025. 2. 20.", "2025/02/20", "2025-02-20" followed by anything.
_NUMERIC = re.compile(r"(?P<y>\d{4})\s*[./-]\s*(?P<m>\d{1,2})\s*[./-]\s*(?P<d>\d{1,2})\.?(?!\d)")
_TIME = re.compile(
    r"^[\s,T]*(?:\([^)]{0,6}\))?\s*(?:[월화수목금토일]요일)?\s*"
    r"(?P<ampm>오전|오후|AM|PM|am|pm)?\s*"
    r"(?P<h>\d{1,2})\s*(?::|시)\s*(?:(?P<mi>\d{1,2})\s*(?:분)?)?\s*(?::\s*(?P<s>\d{1,2})\s*(?:초)?)?"
    r"\s*(?P<ampm2>오전|오후|AM|PM|am|pm)?"
    r"\s*(?P<tz>Z|UTC|GMT|KST|[+-]\d{2}:?\d{2})?"
)


def _zone(text: str | None) -> tzinfo:
    if not text or text.upper() == "KST":
        return SEOUL
    if text.upper() in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4]))
    if offset.total_seconds() > MAX_OFFSET:
        raise ValueError(f"no zone on Earth: {text}")
    return timezone(sign * offset)


def _from_rfc822(text: str) -> datetime | None:
    patched = _ZONE_WORD.sub(lambda m: ZONES[m.group(1).upper()], text)
    parsed = parsedate_tz(patched)
    if parsed is None:
        return None
    year, month, day, hour, minute, second = parsed[:6]
    if abs(parsed[9] or 0) > MAX_OFFSET:
        return None  # "+9900": no zone on Earth
    base = datetime(year, month, day, hour, minute, second)
    if not _HAS_ZONE.search(patched):
        return base.replace(tzinfo=SEOUL)  # no zone at all: Korean local time
    return (base - timedelta(seconds=parsed[9] or 0)).replace(tzinfo=UTC)


def _from_iso(text: str) -> datetime | None:
    candidate = text.strip()
    if candidate.endswith(("z", "Z")):
        candidate = candidate[:-1] + "+00:00"
    try:
        value = datetime.fromisoformat(candidate)
    except ValueError:
        return None
    offset = value.utcoffset()
    if offset is not None and abs(offset.total_seconds()) > MAX_OFFSET:
        return None  # no zone on Earth
    return value if value.tzinfo else value.replace(tzinfo=SEOUL)


def _with_time(y: int, m: int, d: int, rest: str) -> tuple[datetime, bool]:
    """The date plus the time at the start of ``rest``; second item: a time was present."""
    match = _TIME.match(rest)
    if not match:
        return datetime(y, m, d, tzinfo=SEOUL), False
    hour = int(match.group("h"))
    minute = int(match.group("mi") or 0)
    second = int(match.group("s") or 0)
    ampm = (match.group("ampm") or match.group("ampm2") or "").lower()
    if ampm in ("오후", "pm") and hour < 12:
        hour += 12
    elif ampm in ("오전", "am") and hour == 12:
        hour = 0
    return datetime(y, m, d, hour, minute, second, tzinfo=_zone(match.group("tz"))), True


def _from_local_forms(text: str) -> tuple[datetime, bool] | None:
    for pattern in (_KOREAN, _NUMERIC):
        match = pattern.search(text)
        if match:
            y, m, d = int(match.group("y")), int(match.group("m")), int(match.group("d"))
            return _with_time(y, m, d, text[match.end() :])
    return None


def try_parse_date(value: str | None) -> tuple[datetime, bool] | None:
    """Parse ``value`` to (aware UTC datetime, has_time) or None; no sanity checks."""
    if value is None:
        return None
    text = _SPACES.sub(" ", str(value)).strip()
    if not text:
        return None
    try:
        found = _from_iso(text)
        if found is not None:
            return found.astimezone(UTC), len(text) > 10
        local = _from_local_forms(text)
        if local is not None:
            return local[0].astimezone(UTC), local[1]
        found = _from_rfc822(text)
        if found is not None:
            return found.astimezone(UTC), True
    except (ValueError, OverflowError, TypeError, IndexError):
        return None
    return None


def sane_date(
    value: datetime | None, fetched_at: datetime, *, has_time: bool = True
) -> datetime | None:
    """``value`` in UTC, or None (unknown) when it is missing, before 1971 or > 1 day ahead.

    A date without a time (``has_time=False``, stored as midnight in Seoul) moves to noon in
    Seoul, capped at the fetch time."""
    if value is None:
        return None
    fetched = _aware(fetched_at)
    value = _aware(value)
    if not has_time:
        value = min(value + timedelta(hours=12), max(fetched, value))
    if value < EARLIEST or value > fetched + FUTURE_SLACK:
        return None
    return value


def parse_date(value: str | None, fetched_at: datetime) -> datetime | None:
    """``value`` as an aware UTC datetime, or None when it cannot be trusted.

    Never raises (rules in the module docstring)."""
    try:
        parsed = try_parse_date(value)
    except Exception:  # belt and braces: a date must never break a feed
        parsed = None
    if parsed is None:
        return None
    return sane_date(parsed[0], fetched_at, has_time=parsed[1])


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
