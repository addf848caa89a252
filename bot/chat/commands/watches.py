"""``/news watch …`` (a workspace's own topics), ``/news mute`` and ``/news unmute`` (per
channel).  The rules are :mod:`bot.services.watches` and :mod:`bot.services.mutes`, the same as
``newsbot watch``."""

from __future__ import annotations

from bot.chat.commands.core import Commands, Context, command, usage
from bot.present.i18n import t
from bot.present.reply import Reply
from bot.present.watches import (
    list_reply,
    muted_reply,
    mutes_reply,
    proposal_reply,
    saved_reply,
    show_reply,
)
from bot.services import mutes, watches
from bot.services.watches import CONFIRM_WORD, REAPPLY_DAYS, Workspace


def _public(args: list[str]) -> bool:
    """A watch's preview is for its author; what is saved, listed or removed is for the team."""
    action = args[0].lower() if args else "list"
    return action not in ("add", "edit") or CONFIRM_WORD in (w.lower() for w in args)


@command("watch", slow=True, public=_public)
def watch_command(cmds: Commands, args: list[str], ctx: Context) -> Reply:
    app, tz = cmds.app, cmds.app.settings.timezone
    space = Workspace.of(ctx.place)
    action = args[0].lower() if args else "list"
    if action == "list" and len(args) <= 1:
        return list_reply(watches.list_watches(app, space), ctx.lang)
    if action == "show" and len(args) == 2:
        found = watches.get(app, space, args[1])
        spec = watches.spec_of(found)
        preview = watches.preview(app, found.name, spec, topic=found.topic, tenant=ctx.tenant)
        return show_reply(found, preview, tz, ctx.lang)
    if action in ("add", "edit") and len(args) >= 3:
        words = [w for w in args[2:] if w.lower() != CONFIRM_WORD]
        edit = action == "edit"
        change = watches.WatchChange(space, args[1], words, ctx.user, edit)
        if len(words) == len(args) - 2:  # a preview first; the button (or --yes) saves
            return proposal_reply(watches.propose(app, change), tz, ctx.lang)
        saved = watches.save(app, change)
        return saved_reply(saved, tz, ctx.lang, REAPPLY_DAYS)
    if action in ("remove", "rm", "delete") and len(args) == 2:
        removed = watches.remove(app, space, args[1], user=ctx.user)
        return Reply(text=t("watch.removed", ctx.lang, name=removed.name), ephemeral=False)
    raise usage("watch", ctx.lang)


@command("mute", public=True)
def mute_command(cmds: Commands, args: list[str], ctx: Context) -> Reply:
    if not args:
        return mutes_reply(mutes.mutes(cmds.app, ctx.place), cmds.app.settings.timezone, ctx.lang)
    period = None
    if len(args) >= 3 and args[-2].lower() in ("for", "동안"):
        period, args = args[-1], args[:-2]
    args = _feed_name(args)
    if len(args) != 1:
        raise usage("mute", ctx.lang)
    found, shown = mutes.mute(cmds.app, ctx.place, args[0], period, ctx.user)
    return muted_reply(found, shown, cmds.app.settings.timezone, ctx.lang)


@command("unmute", public=True)
def unmute_command(cmds: Commands, args: list[str], ctx: Context) -> Reply:
    args = _feed_name(args)
    if len(args) != 1:
        raise usage("unmute", ctx.lang)
    word = None if args[0].lower() in ("all", "전체") else args[0]
    n = mutes.unmute(cmds.app, ctx.place, word)
    return Reply(text=t("unmuted", ctx.lang, n=n), ephemeral=False)


def _feed_name(args: list[str]) -> list[str]:
    """``(feed) AI 뉴스 모음`` as typed, unquoted: one source, as digests show it."""
    if len(args) > 1 and args[0].lower() == "(feed)":
        return [" ".join(args)]
    return args
