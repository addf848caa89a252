"""``/news trend [topic|watch…] [30d|90d]``: the chart of stories a day, posted in the channel."""

from __future__ import annotations

import re

from bot.chat.commands.args import take_filters
from bot.chat.commands.core import Commands, Context, command, usage
from bot.present.reply import Reply
from bot.present.trends import trend_reply
from bot.services import mutes, trends
from bot.services.errors import UserError
from bot.services.topics import UnknownTopic

_ID_LIKE = re.compile(r"[a-z_][\w-]{0,39}")
_PERIOD_LIKE = re.compile(r"\d[\w-]*")


@command("trend", slow=True, public=True)
def trend(cmds: Commands, args: list[str], ctx: Context) -> Reply:
    catalog = cmds.catalog(ctx)
    words = take_filters(catalog, args, keep=0, strict=False)
    for word in words.rest:  # what take_filters left: neither a topic nor a period
        if catalog.find(word, strict=False) is not None:
            continue
        if _PERIOD_LIKE.fullmatch(word):
            raise UserError("trend.bad_period", value=word[:40], days=trends.MAX_DAYS)
        if not _ID_LIKE.fullmatch(word.lower()):
            raise usage("trend", ctx.lang)
        raise UnknownTopic(word, catalog.names())
    muted = mutes.mutes(cmds.app, ctx.place)
    result = trends.trend(cmds.app, words.topics, period=words.period, lang=ctx.lang, mutes=muted)
    return trend_reply(result, ctx.lang)
