"""``/news feeds``: list, add and remove feeds (adding and removing is for ``NEWSBOT_ADMINS``,
when set).  The rules are :mod:`bot.services.feeds`, the same as ``newsbot feeds``."""

from __future__ import annotations

from bot.chat.commands.core import Commands, Context, command, usage
from bot.present.compose import feeds_reply
from bot.present.i18n import t
from bot.present.reply import Reply
from bot.services import feeds


@command("feeds")
def feeds_command(cmds: Commands, args: list[str], ctx: Context) -> Reply:
    action = args[0].lower() if args else "list"
    if action == "list" and len(args) <= 1:
        return feeds_reply(feeds.list_feeds(cmds.app), ctx.lang)
    if action not in ("add", "remove") or len(args) < 2:
        raise usage("feeds", ctx.lang)
    feeds.require_admin(cmds.app.settings, ctx.user)
    if action == "add":
        change = feeds.add_feed(cmds.app, args[1], name=" ".join(args[2:]) or None)
        key = "feeds.added" if change.created else "feeds.exists"
        return Reply(text=t(key, ctx.lang, id=change.feed.id, url=change.feed.shown_url))
    if len(args) != 2:
        raise usage("feeds", ctx.lang)
    removed = feeds.remove_feed(cmds.app, args[1])
    return Reply(text=t("feeds.removed", ctx.lang, id=removed.id))
