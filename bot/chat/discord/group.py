"""``/news`` as Discord app commands: typed options (topic with autocomplete, ``since`` as
choices) turned into the text line a console user would type (rules in
:mod:`bot.chat.discord.adapter`).
"""

from __future__ import annotations

import asyncio
import re
import shlex
from collections.abc import Sequence
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice

from bot.chat.commands import Commands, Context
from bot.chat.commands.core import split_words
from bot.chat.discord.interaction import context_for, respond
from bot.core.workdays import WEEKDAYS, WEEKDAYS_KO
from bot.services import watches
from bot.services.context import ServiceContext
from bot.services.topics import shown_id

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


class NewsGroup(app_commands.Group):
    """``/news …``: every callback turns its options into the core's command line."""

    def __init__(self, app: ServiceContext, core: Commands) -> None:
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
