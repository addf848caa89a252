"""How each setting's text is read (:data:`bot.config.settings.SPECS` names one reader a
setting): each returns the value or raises a :class:`~bot.core.problem.Problem` (a
:class:`ValueError`) whose catalog key says what was expected.
Durations are :func:`bot.core.periods.parse_duration`, the one duration grammar."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.config.shown import format_duration
from bot.core.periods import parse_duration
from bot.core.problem import Problem


def parse_bool(raw: str) -> bool:
    low = raw.strip().lower()
    if low in ("1", "true", "yes", "on"):
        return True
    if low in ("0", "false", "no", "off", ""):
        return False
    raise Problem("expect.bool", "expected 1/0, true/false, yes/no or on/off")


def parse_int(lo: int, hi: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            value = int(raw.strip())
        except ValueError:
            value = lo - 1
        if not lo <= value <= hi:
            raise Problem("expect.int", f"expected a whole number from {lo} to {hi}", lo=lo, hi=hi)
        return value

    return parse


def parse_hhmm(raw: str) -> time:
    m = re.fullmatch(r"\s*([01]?\d|2[0-3]):([0-5]\d)\s*", raw)
    if not m:
        raise Problem("expect.hhmm", "expected HH:MM, 24-hour clock")
    return time(int(m.group(1)), int(m.group(2)))


def parse_tz(raw: str) -> str:
    try:
        ZoneInfo(raw.strip())
    except (ZoneInfoNotFoundError, ValueError) as exc:
        zone = repr(raw.strip()[:60])
        raise Problem("expect.tz", f"unknown time zone {zone}", zone=zone) from exc
    return raw.strip()


def parse_db_url(raw: str) -> str:
    url = raw.strip()
    if not re.match(r"^(sqlite|postgres|postgresql)(\+\w+)?://", url):
        raise Problem("expect.db_url", "expected sqlite:///path or postgresql://user@host/db")
    return url


def parse_host(raw: str) -> str:
    host = raw.strip()
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        if not re.fullmatch(r"[A-Za-z0-9.-]{1,253}", host):
            raise Problem(
                "expect.host", "expected an IP address such as 127.0.0.1 or 0.0.0.0, or a host name"
            ) from None
    return host.strip("[]")


# a feed's poll interval, set (``NEWSBOT_FEED_INTERVAL``) or given (``feeds add --interval``)
FEED_INTERVAL_MIN = 60
FEED_INTERVAL_MAX = 7 * 86400


def parse_duration_in(lo: float, hi: float) -> Callable[[str], float]:
    """A duration from ``lo`` to ``hi`` seconds, both included: ``0`` or ``30d`` is refused
    where a setting cannot mean it (a feed polled every 0 s, a fetch that may never finish)."""

    def parse(raw: str) -> float:
        seconds = parse_duration(raw)
        if not lo <= seconds <= hi:
            low, high = format_duration(lo), format_duration(hi)
            raise Problem(
                "expect.duration_range",
                f"expected a duration from {low} to {high}",
                lo=low,
                hi=high,
            )
        return seconds

    return parse


parse_feed_interval = parse_duration_in(FEED_INTERVAL_MIN, FEED_INTERVAL_MAX)  # 1m..7d
parse_fetch_timeout = parse_duration_in(1, 300)  # 1s..5m
parse_grace = parse_duration_in(60, 7 * 86400)  # 1m..7d
parse_retention = parse_duration_in(3600, 3650 * 86400)  # 1h..3650d
# a lease, a claim, how often leadership is renewed: 100ms..1h
parse_interval = parse_duration_in(0.1, 3600)


def parse_http_url(raw: str) -> str:
    url = raw.strip()
    if not re.match(r"^https?://[^/\s]+", url):
        raise Problem("expect.http_url", "expected an http(s) URL")
    return url


def parse_list(raw: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in raw.split(",") if p.strip())


def parse_private(raw: str) -> tuple[str, ...] | bool:
    """``1``/``true`` allows every private address; a comma list allows those hosts only."""
    try:
        return parse_bool(raw)
    except ValueError:
        hosts = parse_list(raw.lower())
        if not hosts:
            raise
        return hosts


def parse_lang(raw: str) -> str:
    lang = raw.strip().lower()
    if lang not in ("ko", "en"):
        raise Problem("expect.lang", "expected ko or en")
    return lang


def parse_log_level(raw: str) -> str:
    level = raw.strip().upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise Problem("expect.log_level", "expected DEBUG, INFO, WARNING or ERROR")
    return level


def parse_sync(raw: str) -> str:
    mode = raw.strip().lower()
    if mode not in ("global", "guild", "off"):
        raise Problem("expect.sync", "expected global, guild or off")
    return mode
