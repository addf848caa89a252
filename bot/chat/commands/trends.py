"""``/news trend [topic|watch…] [30d|90d]``: the chart of stories a day, posted in the channel."""

from __future__ import annotations

import re

from bot.chat.commands.args import not_a_topic, take_filters
from bot.chat.commands.core import Commands, Context, command
from bot.present.reply import Reply
from bot.present.trends import trend_reply
from bot.services import mutes, trends
from bot.services.errors import UserError

_PERIOD_LIKE = re.compile(r"\d[\w-]*")


@command("trend", slow=True, public=True)
def trend(cmds: Commands, args: list[str], ctx: Context) -> Reply:
    catalog = cmds.catalog(ctx)
    words = take_filters(catalog, args, keep=0, strict=False)
    named: list[str] = []
    for word in words.rest:  # what take_filters left before the last non-topic word
        # a topic, or the start of one name (`trend gpu`: gpu_deal, when no other fits)
        topic = catalog.find(word, strict=False) or catalog.by_prefix(word)
        if topic is not None:
            named.append(topic.id)
            continue
        if _PERIOD_LIKE.fullmatch(word):
            raise UserError("trend.bad_period", value=word[:40], days=trends.MAX_DAYS)
        raise not_a_topic(catalog, word, "trend", ctx.lang)
    topic_ids = list(dict.fromkeys([*named, *words.topics]))
    muted = mutes.mutes(cmds.app, ctx.place)
    result = trends.trend(
        cmds.app, topic_ids, period=words.period, lang=ctx.lang, tenant=ctx.tenant, mutes=muted
    )
    return trend_reply(result, ctx.lang)
