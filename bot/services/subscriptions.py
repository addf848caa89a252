"""Subscriptions: which topics a chat channel gets, when, and with or without alerts.

``subscribe`` changes only what it is told: ``/news subscribe apec alerts`` turns alerts on for
APEC and keeps its 08:30.  A topic new to the channel takes the channel's digest time and zone
when it already has a digest (so its stories join that digest), else ``NEWSBOT_DIGEST_TIME`` and
``NEWSBOT_TIMEZONE``; alerts stay off unless asked for.  ``weekdays`` sends the digest Monday to
Friday except Korean public holidays, covering everything since the last one sent (``daily``
goes back to every day).  ``weekly`` (with a day, Monday by default: ``weekly fri``) sends a weekly
report instead: the week's top stories per topic with their briefs and the trend picture
(:mod:`bot.delivery.planner`); a topic has one schedule per channel, so ``weekly`` replaces its
daily digest there, and ``daily`` brings it back.  Subscribing again resumes a channel that
was paused because the platform refused a post.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.config.values import parse_hhmm
from bot.core.workdays import WEEKDAYS, weekday_number
from bot.services.errors import UserError
from bot.store.views import Place, Schedule, Subscription

if TYPE_CHECKING:
    from bot.services.context import ServiceContext


def check_time(raw: str) -> str:
    """``8:30`` → ``08:30``; :class:`UserError` when it is not a 24-hour HH:MM."""
    try:
        return parse_hhmm(raw).strftime("%H:%M")
    except ValueError:
        raise UserError("bad_time", value=raw[:20]) from None


def weekly(day: str | None = None) -> str:
    """The ``days`` value of a weekly subscription: ``weekly:mon`` (Monday when no day given);
    :class:`UserError` for a word that is no weekday."""
    number = 0 if day is None else weekday_number(day)
    if number is None:
        raise UserError("bad_weekday", value=(day or "")[:20])
    return f"weekly:{WEEKDAYS[number]}"


# schedules people ask for that newsbot does not have: refused as schedules, not read as topics
NOT_SCHEDULES = frozenset(
    """monthly hourly yearly annually quarterly biweekly fortnightly weekends weekend
    매월 매달 월간 매시간 매년 연간 격주 분기 주말""".split()  # noqa: SIM905 (a list of words)
)


def is_unknown_schedule(word: str) -> bool:
    """Whether ``word`` asks for a schedule newsbot does not have (``monthly``, ``매월``)."""
    return word.strip().lower() in NOT_SCHEDULES


def looks_like_day(word: str) -> bool:
    """Whether ``word`` was meant as a weekday though it is none (``funday``, ``tues``,
    ``금욜``): it ends like one."""
    low = word.strip().lower()
    return (
        low.endswith("day")
        or low.endswith("요일")
        or low.endswith("욜")
        or (low[:3] in WEEKDAYS and low.isascii() and low.isalpha() and len(low) <= 5)
    )


def weekly_day(days: str) -> int | None:
    """The weekday (0 = Monday) of a weekly subscription's ``days``; None for daily ones."""
    if not days.startswith("weekly:"):
        return None
    return weekday_number(days.removeprefix("weekly:"))


def check_zone(raw: str) -> str:
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError("bad_zone", value=raw[:60]) from None
    return raw


def subscribe(
    app: ServiceContext,
    place: Place,
    topics: Sequence[str],
    *,
    at: str | None = None,
    tz: str | None = None,
    alerts: bool | None = None,
    days: str | None = None,
    user: str | None = None,
) -> list[Subscription]:
    """Subscribe ``place`` to the topic ids (rules in the module docstring); returns the
    subscriptions of the given topics."""
    at = check_time(at) if at is not None else None
    tz = check_zone(tz) if tz is not None else None
    existing = {s.topic: s.schedule for s in app.store.subscriptions(place)}
    if existing:
        (base_time, base_tz), _ = Counter(
            (s.digest_time, s.timezone) for s in existing.values()
        ).most_common(1)[0]
    else:
        base_time = app.settings.digest_time.strftime("%H:%M")
        base_tz = app.settings.timezone
    schedules = {}
    for topic in topics:
        old = existing.get(topic) or Schedule(base_time, base_tz, False)
        schedules[topic] = Schedule(
            at if at is not None else old.digest_time,
            tz if tz is not None else old.timezone,
            alerts if alerts is not None else old.alerts,
            days if days is not None else old.days,
        )
    subs = app.store.subscribe(place, schedules, user=user)
    return [s for s in subs if s.topic in schedules]


def unsubscribe(app: ServiceContext, place: Place, topics: Sequence[str] | None) -> list[str]:
    """Remove the given topic ids (every one when None); returns those removed."""
    return app.store.unsubscribe(place, None if topics is None else list(topics))


def subscriptions(app: ServiceContext, place: Place) -> list[Subscription]:
    return app.store.subscriptions(place)
