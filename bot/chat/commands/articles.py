"""``/news search``, ``/news digest``, ``/news weekly``, ``/news why``, ``/news topics`` and ``/news stats``."""

from __future__ import annotations

from bot.chat.commands.args import not_a_topic, take_filters
from bot.chat.commands.core import Commands, Context, command, usage
from bot.present.compose import digest_reply, search_reply, stats_reply, topics_reply, why_reply
from bot.present.reply import Reply
from bot.present.weekly import weekly_reply
from bot.services import articles, briefs, digests, mutes, periods, weekly
from bot.services import search as searching
from bot.store.views import Window

SEARCH_LIMIT = 5  # results shown in chat


@command("search", slow=True)
def search(cmds: Commands, args: list[str], ctx: Context) -> Reply:
    catalog = cmds.catalog(ctx)
    words = take_filters(catalog, args, keep=1, strict=True)
    query = " ".join(words.rest).strip()
    if not query:
        raise usage("search", ctx.lang)
    since = periods.since(cmds.app, words.period)
    result = searching.search(
        cmds.app, query, topics=words.topics, since=since, limit=SEARCH_LIMIT, tenant=ctx.tenant
    )
    return search_reply(result, catalog.topics, cmds.app.settings.timezone, ctx.lang)


@command("digest", slow=True, public=True)
def digest(cmds: Commands, args: list[str], ctx: Context) -> Reply:
    catalog = cmds.catalog(ctx)
    words = take_filters(catalog, args, keep=0, strict=False)
    if words.rest:
        raise not_a_topic(catalog, words.rest[0], "digest", ctx.lang)
    since = periods.since(cmds.app, words.period or "24h")
    window = Window(topics=words.topics, since=since, tenant=ctx.tenant)
    muted = mutes.mutes(cmds.app, ctx.place)  # this channel's mutes, as its scheduled digests
    result = digests.collect(cmds.app, window, lang=ctx.lang, until=cmds.now(), mutes=muted)
    return digest_reply(result, catalog.topics, cmds.app.settings.timezone, ctx.lang)


@command("weekly", slow=True, public=True)
def weekly_command(cmds: Commands, args: list[str], ctx: Context) -> Reply:
    """A preview of the weekly report a channel subscribed ``… weekly`` gets."""
    catalog = cmds.catalog(ctx)
    words = take_filters(catalog, args, keep=0, strict=False)
    if words.period is not None:  # a weekly report always covers the last 7 days
        raise usage("weekly", ctx.lang)
    if words.rest:
        raise not_a_topic(catalog, words.rest[0], "weekly", ctx.lang)
    muted = mutes.mutes(cmds.app, ctx.place)  # this channel's mutes, as its weekly reports
    report = weekly.preview(
        cmds.app, words.topics, lang=ctx.lang, tenant=ctx.tenant, mutes=muted, now=cmds.now()
    )
    return weekly_reply(report, ctx.lang)


@command("topics")
def topics(cmds: Commands, args: list[str], ctx: Context) -> Reply:
    return topics_reply(cmds.catalog(ctx).topics, ctx.lang)


@command("why", slow=True)
def why(cmds: Commands, args: list[str], ctx: Context) -> Reply:
    if len(args) != 1:
        raise usage("why", ctx.lang)
    article = articles.why(cmds.app, args[0], tenant=ctx.tenant)
    brief = briefs.story_brief(cmds.app, article)
    tz = cmds.app.settings.timezone
    return why_reply(article, cmds.catalog(ctx).topics, tz, ctx.lang, brief)


@command("stats", slow=True)
def stats(cmds: Commands, args: list[str], ctx: Context) -> Reply:
    topics = cmds.catalog(ctx).topics  # the built-in topics and this workspace's watches
    return stats_reply(articles.stats(cmds.app, topics, tenant=ctx.tenant), topics, ctx.lang)
