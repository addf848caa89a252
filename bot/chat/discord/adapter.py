"""The Discord bot: ``/news`` app commands on discord.py, answered by the commands core.

Rules:

- One app-command group ``/news`` with the core's sub-commands and typed options (topic with
  autocomplete from :meth:`bot.services.topics.Catalog.suggest`, ``since`` as choices).  Each
  callback builds the same text line a console user would type (values shell-quoted, so a query
  stays one query; a typed topic as ``topic:X`` so the core refuses an unknown one instead of
  searching for it) and runs :meth:`Commands.handle` in a thread, so the answers are the
  console's.  The adapter translates and decides nothing.
- Interactions die after 3 s: a slow command (:meth:`Commands.is_slow`) defers first; any other
  defers as soon as it has taken :data:`FAST_DEADLINE` seconds.  A deferral is public only for
  the commands whose answer is for the channel (:meth:`Commands.is_public`), else ephemeral; answers are sent
  as the response or follow-ups, one message per rendered part, ephemeral when the reply is.
- The client is created with ``AllowedMentions.none()`` (``AllowedMentions()`` would still allow
  @everyone) and every send passes it again; untrusted text is escaped by
  :mod:`bot.chat.discord.render`.
- No privileged intents: only ``guilds`` (channel and server names); interactions need none.
- Command registration (``NEWSBOT_DISCORD_SYNC``): ``guild`` copies the commands to
  ``NEWSBOT_DISCORD_GUILD_ID`` and syncs there (instant, for development), ``global`` syncs
  globally (production), ``off`` leaves the registration alone.  A failed sync is one log line.
- ``DISCORD_API_URL`` is applied with :func:`bot.chat.discord.post.use_api_url`.

The app-command group is :mod:`bot.chat.discord.group`, one interaction's answer
:mod:`bot.chat.discord.interaction`; this module is the client, its registration and its token.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import discord
from discord import app_commands

from bot.chat.base import DestinationBroken, not_set
from bot.chat.commands import Commands
from bot.chat.discord.confirm import ConfirmButton
from bot.chat.discord.group import NewsGroup
from bot.chat.discord.interaction import NO_MENTIONS, context_for, respond, send_reply
from bot.chat.discord.post import TOKEN_REJECTED, login, use_api_url
from bot.config.settings import Settings
from bot.core.logcause import cause
from bot.present.i18n import t
from bot.present.reply import error
from bot.services.context import ServiceContext

log = logging.getLogger(__name__)


class NewsClient(discord.Client):
    """The bot: no privileged intents, no mentions, ``/news`` synced in ``setup_hook``."""

    def __init__(self, app: ServiceContext, core: Commands) -> None:
        super().__init__(intents=discord.Intents(guilds=True), allowed_mentions=NO_MENTIONS)
        self.app = app
        self.core = core
        self.tree = app_commands.CommandTree(self)
        self.tree.add_command(NewsGroup(app, core))
        self.tree.error(self.on_command_error)
        self.add_dynamic_items(ConfirmButton)

    async def confirm(self, interaction: discord.Interaction[Any], key: str) -> None:
        """A Save button pressed: run the command kept under its key, as the user who pressed
        it (the admin rule applies to them)."""
        lang = self.app.settings.language
        ctx = context_for(interaction, lang)
        command = await asyncio.to_thread(self.app.store.get_meta, f"confirm:{key}")
        if not command or not command.startswith("watch "):
            await send_reply(interaction, error(t("confirm.gone", lang)))
            return
        await respond(interaction, self.core, command, ctx)

    async def setup_hook(self) -> None:
        await sync_commands(self.tree, self.app.settings)

    async def on_ready(self) -> None:
        log.info("discord: connected as %s to %d server(s)", self.user, len(self.guilds))

    async def on_command_error(
        self, interaction: discord.Interaction[Any], exc: app_commands.AppCommandError
    ) -> None:
        name = interaction.command.qualified_name if interaction.command else "?"
        log.error("discord: /%s failed: %s", name, cause(exc.__cause__ or exc))
        with contextlib.suppress(discord.HTTPException):
            await send_reply(interaction, error(t("internal_error", self.app.settings.language)))


async def sync_commands(tree: app_commands.CommandTree[Any], settings: Settings) -> list[Any]:
    """Register ``/news`` as NEWSBOT_DISCORD_SYNC says; a failure is one log line."""
    try:
        if settings.discord_sync == "guild" and settings.discord_guild_id:
            guild = discord.Object(id=settings.discord_guild_id)
            tree.copy_global_to(guild=guild)
            synced = await tree.sync(guild=guild)
            log.info("discord: /news registered in guild %s", settings.discord_guild_id)
            return synced
        if settings.discord_sync == "global":
            synced = await tree.sync()
            log.info("discord: /news registered globally")
            return synced
    except discord.HTTPException as exc:
        log.error("discord: registering /news failed: HTTP %s %s", exc.status, exc.text[:200])
    return []


def build_client(app: ServiceContext, commands: Commands) -> NewsClient:
    use_api_url(app.settings.discord_api_url)
    return NewsClient(app, commands)


async def check_token(settings: Settings) -> str:
    """``name (id)`` of the bot when DISCORD_BOT_TOKEN works; else :class:`DestinationBroken`
    saying "DISCORD_BOT_TOKEN was rejected by Discord (401)" (never the token)."""
    http, me = await login(settings)
    await http.close()
    return f"{me.get('username', '?')} ({me.get('id', '?')})"


async def run_discord(app: ServiceContext, commands: Commands) -> None:
    """Run the bot until cancelled (for ``newsbot serve``)."""
    token = app.settings.discord_bot_token
    if not token:
        raise DestinationBroken(not_set("DISCORD_BOT_TOKEN"))
    client = build_client(app, commands)
    async with client:
        try:
            await client.start(token.strip())
        except discord.LoginFailure:
            log.error("discord: %s", TOKEN_REJECTED)
            raise DestinationBroken(TOKEN_REJECTED) from None
