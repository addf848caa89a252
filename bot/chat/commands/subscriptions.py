"""``/news subscribe`` and ``/news unsubscribe``: this channel's digests and alerts."""

from __future__ import annotations

import re

from bot.chat.commands.core import Commands, Context, command, usage
from bot.core.workdays import weekday_number
from bot.present.compose import subscribed_reply, subscriptions_reply
from bot.present.i18n import t
from bot.present.reply import Reply
from bot.services import subscriptions

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
    topic_ids: list[str] = []
    rest = list(args)
    while rest:
        word = rest.pop(0)
        low = word.lower()
        if low in ("at", "시각") and rest:
            at = rest.pop(0)
        elif _HHMM.fullmatch(word):
            at = word
        elif low in ("tz", "timezone") and rest:
            tz = rest.pop(0)
        elif low in ("alerts", "alert", "알림"):
            alerts = True
        elif low in ("weekdays", "평일"):
            days = "weekdays"
        elif low in ("daily", "매일"):
            days = "daily"
        elif low in ("weekly", "매주", "주간"):
            # the next word is the day, unless it names a topic (a watch called 금)
            is_day = (
                rest
                and weekday_number(rest[0]) is not None
                and not catalog.find(rest[0], strict=True)
            )
            day = rest.pop(0) if is_day else None
            days = subscriptions.weekly(day)
        else:
            topic_ids.append(catalog.resolve(word))
    if not topic_ids:
        raise usage("subscribe", ctx.lang)
    subs = subscriptions.subscribe(
        cmds.app, ctx.place, topic_ids, at=at, tz=tz, alerts=alerts, days=days, user=ctx.user
    )
    return subscribed_reply(subs, catalog, ctx.lang)


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
