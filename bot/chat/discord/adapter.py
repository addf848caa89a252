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
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import shlex
from collections.abc import Sequence
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice

from bot.chat.base import DestinationBroken, not_set
from bot.chat.commands import Commands, Context
from bot.chat.commands.core import split_words, workspace_of
from bot.chat.discord.confirm import ConfirmButton, confirm_key
from bot.chat.discord.post import TOKEN_REJECTED, embeds_of, file_of, login, use_api_url
from bot.chat.discord.render import render_reply
from bot.config.settings import Settings
from bot.core.workdays import WEEKDAYS, WEEKDAYS_KO
from bot.present.i18n import t
from bot.present.reply import Reply, error
from bot.runtime.app import App
from bot.services import watches
from bot.services.topics import shown_id

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
FAST_DEADLINE = 2.0  # seconds before a "fast" command defers anyway (Discord allows 3)
SINCE = [
    Choice(name="24시간 (24h)", value="24h"),
    Choice(name="7일 (7d)", value="7d"),
    Choice(name="30일 (30d)", value="30d"),
    Choice(name="전체 (all)", value="all"),
]
TREND_PERIODS = [
    Choice(name="7일 (7d)", value="7d"),
    Choice(name="30일 (30d)", value="30d"),
    Choice(name="90일 (90d)", value="90d"),
    Choice(name="1년 (365d)", value="365d"),
    Choice(name="2년 (730d)", value="730d"),
]
DAYS = [
    Choice(name="매일 (daily)", value="daily"),
    Choice(name="평일, 공휴일 제외 (weekdays)", value="weekdays"),
    *(
        Choice(name=f"매주 {ko}요일 (weekly, {en})", value=f"weekly {en}")
        for ko, en in zip(WEEKDAYS_KO, WEEKDAYS, strict=True)
    ),
]
FEED_ACTIONS = [
    Choice(name="list", value="list"),
    Choice(name="add", value="add"),
    Choice(name="remove", value="remove"),
]
SOURCE_KINDS = [Choice(name="Google News", value="google"), Choice(name="Naver", value="naver")]
WATCH_ACTIONS = [Choice(name=a, value=a) for a in ("list", "show", "add", "edit", "remove")]


def _topic(topic: str | None) -> str:
    """A typed topic option as the core reads it: always a topic, never a search word."""
    return f"topic:{topic.strip()}" if topic and topic.strip() else ""


def _since(since: Choice[str] | None) -> str:
    return f"since:{since.value}" if since else ""


def command_line(words: Sequence[str]) -> str:
    """The text command for the core, each value one shell-quoted word."""
    return shlex.join(w for w in words if w)


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
        if index == 0 and not interaction.response.is_done():
            await interaction.response.send_message(
                embeds=embeds,
                files=files,
                view=view,
                ephemeral=reply.ephemeral,
                allowed_mentions=NO_MENTIONS,
            )
        else:
            await interaction.followup.send(
                embeds=embeds,
                files=files,
                view=view,
                ephemeral=reply.ephemeral,
                allowed_mentions=NO_MENTIONS,
                wait=True,
            )


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


class NewsGroup(app_commands.Group):
    """``/news …``: every callback turns its options into the core's command line."""

    def __init__(self, app: App, core: Commands) -> None:
        super().__init__(
            name="news",
            description="뉴스 검색·다이제스트·구독 (news search, digests, subscriptions)",
        )
        self.app = app
        self.core = core

    # -- helpers ---------------------------------------------------------------------------

    def topic_choices(self, ctx: Context, current: str, several: bool = False) -> list[Choice[str]]:
        """Autocomplete: the topics and this server's watches that start with what was typed
        (after those already chosen, when the option takes several).  Reads the store: call it
        in a thread (:meth:`suggest`)."""
        words = re.split(r"[\s,]+", current.strip()) if several else [current.strip()]
        done, typed = [w for w in words[:-1] if w], (words[-1] if words else "")
        lang = self.app.settings.language
        out: list[Choice[str]] = []
        for topic in self.core.catalog(ctx).suggest(typed, lang, done):
            shown = shown_id(topic)  # a watch as watch:<name>, never its row id
            value = " ".join([*done, shown])
            out.append(Choice(name=f"{topic.label(lang)} ({shown})"[:100], value=value[:100]))
        return out

    def watch_choices(self, ctx: Context, current: str) -> list[Choice[str]]:
        typed = current.strip().lower()
        found = watches.list_watches(self.app, watches.Workspace.of(ctx.place))
        return [Choice(name=w.name, value=w.name) for w in found if w.name.startswith(typed)][:25]

    async def suggest(
        self, interaction: discord.Interaction[Any], current: str, *, several: bool = False
    ) -> list[Choice[str]]:
        ctx = context_for(interaction, self.app.settings.language)
        return await asyncio.to_thread(self.topic_choices, ctx, current, several)

    async def run(self, interaction: discord.Interaction[Any], words: list[str]) -> None:
        ctx = context_for(interaction, self.app.settings.language)
        await respond(interaction, self.core, command_line(words), ctx)

    # -- sub-commands ----------------------------------------------------------------------

    @app_commands.command(name="search", description="기사 검색 (search the news)")
    @app_commands.describe(query="검색어 (query)", topic="주제 (topic)", since="기간 (period)")
    @app_commands.choices(since=SINCE)
    async def search(
        self,
        interaction: discord.Interaction[Any],
        query: app_commands.Range[str, 1, 200],
        topic: str | None = None,
        since: Choice[str] | None = None,
    ) -> None:
        await self.run(interaction, ["search", query, _topic(topic), _since(since)])

    @app_commands.command(name="digest", description="주제별 다이제스트 (digest)")
    @app_commands.describe(topic="주제 (topic)", since="기간, 기본 24시간 (period, default 24h)")
    @app_commands.choices(since=SINCE)
    async def digest(
        self,
        interaction: discord.Interaction[Any],
        topic: str | None = None,
        since: Choice[str] | None = None,
    ) -> None:
        await self.run(interaction, ["digest", _topic(topic), _since(since)])

    @app_commands.command(
        name="weekly", description="주간 리포트 미리보기 (a preview of the weekly report)"
    )
    @app_commands.describe(topics="주제, 여러 개 가능; 비우면 전체 (topics; all when empty)")
    async def weekly(
        self,
        interaction: discord.Interaction[Any],
        topics: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        named = [_topic(w) for w in re.split(r"[\s,]+", topics or "") if w]
        await self.run(interaction, ["weekly", *named])

    @app_commands.command(name="topics", description="주제 목록 (the topics)")
    async def topics(self, interaction: discord.Interaction[Any]) -> None:
        await self.run(interaction, ["topics"])

    @app_commands.command(
        name="subscribe", description="이 채널에 다이제스트 구독 (subscribe this channel)"
    )
    @app_commands.describe(
        topics="주제, 여러 개 가능 (topics)",
        at="시각 HH:MM (time)",
        alerts="큰 기사 즉시 알림 (instant alerts)",
        days="보내는 날 (which days)",
    )
    @app_commands.choices(days=DAYS)
    async def subscribe(
        self,
        interaction: discord.Interaction[Any],
        topics: app_commands.Range[str, 1, 200],
        at: app_commands.Range[str, 1, 5] | None = None,
        alerts: bool = False,
        days: Choice[str] | None = None,
    ) -> None:
        words = ["subscribe", *(w for w in re.split(r"[\s,]+", topics) if w)]
        words += ["at", at] if at else []
        words += ["alerts"] if alerts else []
        words += days.value.split() if days else []
        await self.run(interaction, words)

    @app_commands.command(name="trend", description="하루 스토리 수 그래프 (trend chart)")
    @app_commands.describe(
        topics="주제, 여러 개 가능; 비우면 전체 (topics; all when empty)",
        since="기간, 기본 30일 (period, default 30d)",
    )
    @app_commands.choices(since=TREND_PERIODS)
    async def trend(
        self,
        interaction: discord.Interaction[Any],
        topics: app_commands.Range[str, 1, 200] | None = None,
        since: Choice[str] | None = None,
    ) -> None:
        named = [_topic(w) for w in re.split(r"[\s,]+", topics or "") if w]
        await self.run(interaction, ["trend", *named, _since(since)])

    @app_commands.command(name="unsubscribe", description="구독 해지 (unsubscribe this channel)")
    @app_commands.describe(topics="주제 또는 all (topics, or all)")
    async def unsubscribe(
        self, interaction: discord.Interaction[Any], topics: app_commands.Range[str, 1, 200]
    ) -> None:
        words = [w for w in re.split(r"[\s,]+", topics) if w]
        await self.run(interaction, ["unsubscribe", *words])

    @app_commands.command(name="feeds", description="피드 관리 (manage feeds)")
    @app_commands.describe(
        action="list · add · remove", value="URL [이름] 또는 ID (URL [name] or id)"
    )
    @app_commands.choices(action=FEED_ACTIONS)
    async def feeds(
        self, interaction: discord.Interaction[Any], action: Choice[str], value: str | None = None
    ) -> None:
        await self.run(interaction, ["feeds", action.value, *(value or "").split()])

    @app_commands.command(
        name="sources", description="키워드 소스: 구글 뉴스·네이버 (keyword sources)"
    )
    @app_commands.describe(
        action="list · add · remove",
        kind="google · naver (add)",
        value="검색어 또는 ID (query, or id)",
    )
    @app_commands.choices(action=FEED_ACTIONS, kind=SOURCE_KINDS)
    async def sources(
        self,
        interaction: discord.Interaction[Any],
        action: Choice[str],
        kind: Choice[str] | None = None,
        value: app_commands.Range[str, 1, 300] | None = None,
    ) -> None:
        words = ["sources", action.value]
        if action.value == "add":
            words.append(kind.value if kind else "")
        await self.run(interaction, [w for w in words if w] + ([value] if value else []))

    @app_commands.command(name="why", description="기사가 분류된 근거 (why an item matched)")
    @app_commands.describe(item="기사 ID (item id)")
    async def why(
        self, interaction: discord.Interaction[Any], item: app_commands.Range[str, 1, 80]
    ) -> None:
        await self.run(interaction, ["why", item])

    @app_commands.command(name="watch", description="워치: 직접 정하는 주제 (your own topics)")
    @app_commands.describe(
        action="add · edit · list · show · remove",
        name="워치 이름 (watch name)",
        terms="단어, -제외어 (terms; -word excludes)",
    )
    @app_commands.choices(action=WATCH_ACTIONS)
    async def watch(
        self,
        interaction: discord.Interaction[Any],
        action: Choice[str],
        name: app_commands.Range[str, 1, 32] | None = None,
        terms: app_commands.Range[str, 1, 1000] | None = None,
    ) -> None:
        words = split_words(terms or "")  # the core's reading of quotes
        await self.run(interaction, ["watch", action.value, name or "", *words])

    @app_commands.command(name="mute", description="이 채널에서 매체·기사 숨기기 (mute here)")
    @app_commands.describe(target="매체 이름 또는 #기사ID (outlet or #item id)", days="며칠 동안")
    async def mute(
        self,
        interaction: discord.Interaction[Any],
        target: app_commands.Range[str, 1, 300] | None = None,
        days: app_commands.Range[int, 1, 366] | None = None,
    ) -> None:
        words = ["mute", target or ""] + (["for", f"{days}d"] if days and target else [])
        await self.run(interaction, words)

    @app_commands.command(name="unmute", description="숨김 풀기 (unmute)")
    @app_commands.describe(target="매체, #기사ID 또는 all (outlet, #item id or all)")
    async def unmute(
        self, interaction: discord.Interaction[Any], target: app_commands.Range[str, 1, 300]
    ) -> None:
        await self.run(interaction, ["unmute", target])

    @app_commands.command(name="stats", description="최근 7일 통계 (last 7 days)")
    async def stats(self, interaction: discord.Interaction[Any]) -> None:
        await self.run(interaction, ["stats"])

    @app_commands.command(name="help", description="사용법 (usage)")
    async def help(self, interaction: discord.Interaction[Any]) -> None:
        await self.run(interaction, ["help"])

    # -- autocomplete ----------------------------------------------------------------------

    @search.autocomplete("topic")
    async def _search_topic(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[Choice[str]]:
        return await self.suggest(interaction, current)

    @digest.autocomplete("topic")
    async def _digest_topic(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[Choice[str]]:
        return await self.suggest(interaction, current)

    @subscribe.autocomplete("topics")
    async def _subscribe_topics(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[Choice[str]]:
        return await self.suggest(interaction, current, several=True)

    @watch.autocomplete("name")
    async def _watch_name(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[Choice[str]]:
        ctx = context_for(interaction, self.app.settings.language)
        return await asyncio.to_thread(self.watch_choices, ctx, current)

    @trend.autocomplete("topics")
    async def _trend_topics(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[Choice[str]]:
        return await self.suggest(interaction, current, several=True)

    @weekly.autocomplete("topics")
    async def _weekly_topics(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[Choice[str]]:
        return await self.suggest(interaction, current, several=True)

    @unsubscribe.autocomplete("topics")
    async def _unsubscribe_topics(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[Choice[str]]:
        return await self.suggest(interaction, current, several=True)


class NewsClient(discord.Client):
    """The bot: no privileged intents, no mentions, ``/news`` synced in ``setup_hook``."""

    def __init__(self, app: App, core: Commands) -> None:
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
        cause = exc.__cause__ or exc
        name = interaction.command.qualified_name if interaction.command else "?"
        log.error("discord: /%s failed: %s: %s", name, cause.__class__.__name__, cause)
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


def build_client(app: App, commands: Commands) -> NewsClient:
    use_api_url(app.settings.discord_api_url)
    return NewsClient(app, commands)


async def check_token(settings: Settings) -> str:
    """``name (id)`` of the bot when DISCORD_BOT_TOKEN works; else :class:`DestinationBroken`
    saying "DISCORD_BOT_TOKEN was rejected by Discord (401)" (never the token)."""
    http, me = await login(settings)
    await http.close()
    return f"{me.get('username', '?')} ({me.get('id', '?')})"


async def run_discord(app: App, commands: Commands) -> None:
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
