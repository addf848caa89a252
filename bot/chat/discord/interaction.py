"""One Discord interaction answered by the commands core (rules in
:mod:`bot.chat.discord.adapter`): the command's context, the deferral within 3 s, and the reply
as the response or follow-ups, one message per rendered part, no mentions, a confirm step as a
button under the last part.
"""

from __future__ import annotations

import asyncio
from typing import Any

import discord

from bot.chat.commands import Commands, Context
from bot.chat.commands.core import workspace_of
from bot.chat.discord.confirm import ConfirmButton, confirm_key
from bot.chat.discord.post import embeds_of, file_of
from bot.chat.discord.render import render_reply
from bot.present.reply import Reply

NO_MENTIONS = discord.AllowedMentions.none()
FAST_DEADLINE = 2.0  # seconds before a "fast" command defers anyway (Discord allows 3)


def context_for(interaction: discord.Interaction[Any], lang: str) -> Context:
    return Context(
        platform="discord",
        workspace=workspace_of(interaction.guild_id, interaction.user.id),
        channel=str(interaction.channel_id or ""),
        user=str(interaction.user.id),
        lang=lang,
    )


async def send_reply(interaction: discord.Interaction[Any], reply: Reply) -> None:
    """The reply as the interaction response (or follow-ups after a deferral), one message per
    rendered part, no mentions; a confirm step as a button under the last part."""
    payloads = render_reply(reply)
    for index, payload in enumerate(payloads):
        embeds = embeds_of(payload)
        picture = file_of(payload)
        files = [picture] if picture is not None else discord.utils.MISSING
        view: Any = discord.utils.MISSING
        if reply.confirm is not None and index == len(payloads) - 1:
            view = discord.ui.View(timeout=None)
            view.add_item(ConfirmButton(confirm_key(reply.confirm.command), reply.confirm.label))
        message: dict[str, Any] = {
            "embeds": embeds,
            "files": files,
            "view": view,
            "ephemeral": reply.ephemeral,
            "allowed_mentions": NO_MENTIONS,
        }
        if index == 0 and not interaction.response.is_done():
            await interaction.response.send_message(**message)
        else:
            await interaction.followup.send(**message, wait=True)


async def respond(
    interaction: discord.Interaction[Any], core: Commands, line: str, ctx: Context
) -> None:
    """Run one command line for an interaction: defer when it may be slow, then answer."""
    work = asyncio.ensure_future(asyncio.to_thread(_handle, core, line, ctx))
    if not Commands.is_slow(line):
        await asyncio.wait({work}, timeout=FAST_DEADLINE)
    if not work.done():
        await interaction.response.defer(ephemeral=not Commands.is_public(line), thinking=True)
    await send_reply(interaction, await work)


def _handle(core: Commands, line: str, ctx: Context) -> Reply:
    """The core's answer; a confirm step's command is kept under its button's key."""
    reply = core.handle(line, ctx)
    if reply.confirm is not None:
        command = reply.confirm.command
        core.app.store.set_meta(f"confirm:{confirm_key(command)}", command)
    return reply
