"""``/news feeds``: list, add, rename and remove feeds (changing them is for ``NEWSBOT_ADMINS``,
when set), and ``share``/``unshare`` (for ``NEWSBOT_ADMINS`` only).  A feed added here belongs
to this workspace; the rules are :mod:`bot.services.feeds`, the same as ``newsbot feeds``: a
new feed is fetched once first and the reply says what it holds, or why it was not added."""

from __future__ import annotations

from bot.chat.commands.core import Commands, Context, command, usage
from bot.present.compose import feeds_reply
from bot.present.feeds import found_text
from bot.present.i18n import t
from bot.present.reply import Reply
from bot.services import feeds


def _adds(words: list[str]) -> bool:
    """``feeds add`` fetches the feed first: slow (adapters acknowledge before answering)."""
    return bool(words) and words[0].lower() == "add"


@command("feeds", slow=_adds)
def feeds_command(cmds: Commands, args: list[str], ctx: Context) -> Reply:
    action = args[0].lower() if args else "list"
    app = cmds.app
    if action == "list" and len(args) <= 1:
        return feeds_reply(feeds.list_feeds(app, tenant=ctx.tenant), ctx.lang)
    if action not in ("add", "remove", "rename", "share", "unshare") or len(args) < 2:
        raise usage("feeds", ctx.lang)
    if action in ("share", "unshare"):
        if len(args) != 2:
            raise usage("feeds", ctx.lang)
        feeds.require_operator(app.settings, ctx.user)
        feed = feeds.share_feed(app, args[1], action == "share")
        return Reply(text=t(f"feeds.{action}d", ctx.lang, id=feed.id))
    feeds.require_admin(app.settings, ctx.user)
    if action == "add":
        name = " ".join(args[2:]) or None
        change = feeds.add_feed(app, args[1], name=name, tenant=ctx.tenant)
        key = "feeds.added" if change.created else "feeds.exists"
        text = t(key, ctx.lang, id=change.feed.id, url=change.feed.shown_url)
        if change.probe is not None:  # what fetching it once found
            text += " — " + found_text(change.probe, ctx.lang)
        return Reply(text=text)
    if action == "rename":
        if len(args) < 3:
            raise usage("feeds", ctx.lang)
        feed = feeds.rename_feed(app, args[1], " ".join(args[2:]), tenant=ctx.tenant)
        return Reply(text=t("feeds.renamed", ctx.lang, id=feed.id, name=feed.label))
    if len(args) != 2:
        raise usage("feeds", ctx.lang)
    removed = feeds.remove_feed(app, args[1], tenant=ctx.tenant)
    return Reply(text=t("feeds.removed", ctx.lang, id=removed.id))
