"""``/news sources``: follow a query across every outlet through Google News or Naver search —
``add google|naver QUERY [lang:en]``, ``list`` (last poll, new items, errors, today's Naver
quota), ``remove ID``.  Changing them is for ``NEWSBOT_ADMINS`` when set, like feeds; a source
added here belongs to this workspace.  The rules are :mod:`bot.services.sources`, the same as
``newsbot sources``."""

from __future__ import annotations

from bot.chat.commands.core import Commands, Context, command, usage
from bot.present.compose import sources_reply
from bot.present.i18n import t
from bot.present.reply import Reply
from bot.services import feeds, sources


@command("sources")
def sources_command(cmds: Commands, args: list[str], ctx: Context) -> Reply:
    action = args[0].lower() if args else "list"
    app = cmds.app
    if action == "list" and len(args) <= 1:
        listing = sources.list_sources(app, tenant=ctx.tenant)
        return sources_reply(listing, app.settings.timezone, ctx.lang)
    if action not in ("add", "remove") or len(args) < 2:
        raise usage("sources", ctx.lang)
    feeds.require_admin(app.settings, ctx.user)
    if action == "add":
        if len(args) < 3:
            raise usage("sources", ctx.lang)
        query, lang = sources.split_chat_words(args[2:])
        change = sources.add_source(app, args[1], query, lang=lang, tenant=ctx.tenant)
        key = "sources.added" if change.created else "sources.exists"
        text = t(key, ctx.lang, id=change.feed.id, label=change.feed.label)
        if change.needs_keys:
            text += t("sources.needs_keys", ctx.lang)
        return Reply(text=text)
    if len(args) != 2:
        raise usage("sources", ctx.lang)
    removed = sources.remove_source(app, args[1], tenant=ctx.tenant)
    return Reply(text=t("sources.removed", ctx.lang, id=removed.id, label=removed.label))
