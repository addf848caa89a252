"""``/news subscribe`` and ``/news unsubscribe``: this channel's digests and alerts."""

from __future__ import annotations

import re

from bot.chat.commands.core import Commands, Context, command, usage
from bot.core.workdays import weekday_number
from bot.present.compose import subscribed_reply, subscriptions_reply
from bot.present.i18n import t
from bot.present.reply import Reply
from bot.services import subscriptions
from bot.services.errors import UserError
from bot.services.topics import Catalog

_HHMM = re.compile(r"\d{1,2}:\d{2}")


@command("subscribe", public=True)
def subscribe(cmds: Commands, args: list[str], ctx: Context) -> Reply:
    catalog = cmds.catalog(ctx)
    if not args:
        subs = subscriptions.subscriptions(cmds.app, ctx.place)
        return subscriptions_reply(subs, catalog, ctx.lang)
    at: str | None = None
    tz: str | None = None
    alerts: bool | None = None
    days: str | None = None
    schedule_word: str | None = None  # the word that set ``days``: a second one is refused
    options: list[str] = []  # the words besides topics, to say what a topic-less line asked
    topic_ids: list[str] = []
    rest = list(args)
    while rest:
        word = rest.pop(0)
        low = word.lower()
        schedule: str | None = None
        said = word  # the schedule as written, for the lines below
        if low in ("at", "시각", "tz", "timezone") and not rest:  # the value is missing
            key = "subscribe.no_time" if low in ("at", "시각") else "subscribe.no_zone"
            raise UserError(key, word=word)
        if low in ("at", "시각"):
            at = rest.pop(0)
            options += [word, at]
        elif _HHMM.fullmatch(word):
            at = word
            options.append(word)
        elif low in ("tz", "timezone"):
            tz = rest.pop(0)
            options += [word, tz]
        elif low in ("alerts", "alert", "알림"):
            alerts = True
            options.append(word)
        elif low in ("weekdays", "평일"):
            schedule = "weekdays"
        elif low in ("daily", "매일"):
            schedule = "daily"
        elif low in ("weekly", "매주", "주간"):
            # the next word is the day, unless it names a topic (a watch called 금)
            day = rest.pop(0) if rest and _is_day_word(rest[0], catalog) else None
            schedule = subscriptions.weekly(day)
            said = f"{word} {day}" if day else word
        elif subscriptions.is_unknown_schedule(low):
            raise UserError("bad_schedule", value=word[:20])
        else:
            topic_ids.append(catalog.resolve(word))
        if schedule is None:
            continue
        if schedule_word is not None and days != schedule:
            raise UserError("two_schedules", first=schedule_word[:20], second=said[:20])
        options.append(said)
        days, schedule_word = schedule, said
    if not topic_ids:
        if options:
            raise UserError("subscribe.no_topics", what=" ".join(options)[:60])
        raise usage("subscribe", ctx.lang)
    subs = subscriptions.subscribe(
        cmds.app, ctx.place, topic_ids, at=at, tz=tz, alerts=alerts, days=days, user=ctx.user
    )
    return subscribed_reply(subs, catalog, ctx.lang)


def _is_day_word(word: str, catalog: Catalog) -> bool:
    """Whether the word after ``weekly`` is meant as its day: a weekday, or a word that looks
    like one (``funday``, ``금욜``), unless it names a topic (a watch called 금)."""
    if catalog.find(word, strict=True):
        return False
    return weekday_number(word) is not None or subscriptions.looks_like_day(word)


@command("unsubscribe", public=True)
def unsubscribe(cmds: Commands, args: list[str], ctx: Context) -> Reply:
    if not args:
        raise usage("unsubscribe", ctx.lang)
    catalog = cmds.catalog(ctx)
    everything = [a.lower() for a in args] in (["all"], ["전체"])
    topic_ids = None if everything else catalog.resolve_all(args)
    removed = subscriptions.unsubscribe(cmds.app, ctx.place, topic_ids)
    if not removed:
        names = ", ".join(topic_ids) if topic_ids else "all"
        return Reply(text=t("not_subscribed", ctx.lang, topics=names))
    labels = ", ".join(catalog.label(x, ctx.lang) for x in removed)
    return Reply(text=t("unsubscribed", ctx.lang, topics=labels), ephemeral=False)
