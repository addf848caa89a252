"""Acceptance 1: ``/news`` through discord.py's own command tree gives the console's answers.

Each test builds the real client (:func:`build_client`), logs it in against the fake Discord
(which also takes the guild command sync), turns a recorded INTERACTION_CREATE payload into a
real :class:`discord.Interaction` on the client's ConnectionState, and awaits
``client.tree._call(interaction)``: the coroutine discord.py runs for every interaction the
gateway delivers.  What reaches the fake's interaction endpoints is compared with what
``newsbot console`` prints for the same line.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.chat.commands import Commands
from bot.chat.discord.adapter import NewsClient, build_client
from bot.config.settings import Settings
from bot.core.clock import FixedClock
from bot.runtime.app import App
from bot.store import Place
from tests.helpers.bot import Bot as ConsoleBot
from tests.helpers.fakes.discord_api import (
    CHANNEL_ID,
    GUILD_ID,
    FakeDiscord,
    Stored,
    wait_until,
)

NOW = datetime(2025, 11, 3, 9, 0, tzinfo=UTC)


@dataclass
class Bot:
    fake: FakeDiscord
    app: App
    core: Commands
    client: NewsClient

    async def invoke(
        self, sub: str, options: dict[str, Any] | None = None, focused: str = ""
    ) -> tuple[str, list[Stored]]:
        payload = self.fake.interaction(sub, options, focused=focused)
        interaction = discord.Interaction(data=payload, state=self.client._connection)  # type: ignore[arg-type]
        await self.client.tree._call(interaction)
        return payload["token"], self.fake.replies(payload["token"])


def settings_for(fake: FakeDiscord, db: str, sync: str = "guild") -> Settings:
    return Settings(
        database_url=db,
        discord_bot_token=fake.token,
        discord_api_url=fake.api_url,
        discord_sync=sync,
        discord_guild_id=int(GUILD_ID),
    )


@pytest.fixture
async def bot(seeded_url: str, tmp_path: Path) -> AsyncIterator[Bot]:
    db = tmp_path / "newsbot.db"  # subscribe writes: a private copy of the seeded database
    shutil.copy(seeded_url.removeprefix("sqlite:///"), db)
    async with FakeDiscord() as fake:
        app = App(settings_for(fake, f"sqlite:///{db}"), clock=FixedClock(NOW))
        core = Commands(app)
        client = build_client(app, core)
        await client.login(fake.token)
        try:
            yield Bot(fake, app, core, client)
        finally:
            await client.close()
            app.close()


def plain_lines(text: str) -> list[str]:
    """The console's answer without its decorations (== title ==, - card <url>, [heading])."""
    lines = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        for pattern in (r"== (.*) ==", r"\[(.*)\]", r"\((.*)\)", r"- (.*?)(?: <\S+>)?"):
            match = re.fullmatch(pattern, line)
            if match:
                line = match.group(1)
                break
        lines.append(line)
    return lines


def discord_lines(messages: list[Stored]) -> list[str]:
    return [line.strip() for m in messages for line in m.visible().split("\n") if line.strip()]


def callbacks(fake: FakeDiscord, token: str) -> list[dict[str, Any]]:
    return [
        body
        for method, path, _, body in fake.requests
        if method == "POST" and path.endswith(f"/{token}/callback")
    ]


@pytest.mark.parametrize(
    ("sub", "options", "line", "public"),
    [
        ("search", {"query": "엔비디아"}, "/news search 엔비디아", False),
        ("digest", {"since": "all"}, "/news digest all", True),
        ("topics", {}, "/news topics", False),
        (
            "subscribe",
            {"topics": "apec gpu_deal", "at": "08:30"},
            "/news subscribe apec gpu_deal at 08:30",
            True,
        ),
        ("why", {"item": "2"}, "/news why 2", False),
        ("help", {}, "/news help", False),
    ],
)
async def test_news_commands_answer_as_the_console_does(
    bot: Bot, sub: str, options: dict[str, Any], line: str, public: bool
) -> None:
    token, messages = await bot.invoke(sub, options)
    expected = ConsoleBot(bot.app)(line)
    assert messages, "nothing reached Discord"
    assert discord_lines(messages) == plain_lines(expected)
    assert all(m.ephemeral is not public for m in messages)
    assert all(m.body["allowed_mentions"]["parse"] == [] for m in messages)
    assert bot.fake.rejected == []
    [first] = callbacks(bot.fake, token)
    if sub in ("search", "digest", "why"):  # slow: acknowledged at once, answered after
        assert first["type"] == 5 and messages[0].kind == "followup"
    else:
        assert first["type"] == 4 and messages[0].kind == "response"


async def test_subscribe_subscribes_this_discord_channel(bot: Bot) -> None:
    await bot.invoke("subscribe", {"topics": "APEC", "alerts": True})
    [sub] = bot.app.store.subscriptions(Place("discord", GUILD_ID, CHANNEL_ID))
    assert (sub.topic, sub.alerts) == ("apec", True)


async def test_an_unknown_topic_is_refused_not_searched_for(bot: Bot) -> None:
    _, [message] = await bot.invoke("search", {"query": "엔비디아", "topic": "bitcoin"})
    assert message.ephemeral and "bitcoin" in message.visible()
    assert "apec" in message.visible()  # the known topics are listed


async def test_topic_autocomplete_offers_matching_topics(bot: Bot) -> None:
    token, _ = await bot.invoke("search", {"query": "x", "topic": "ap"}, focused="topic")
    [body] = callbacks(bot.fake, token)
    assert body["type"] == 8
    assert [c["value"] for c in body["data"]["choices"]] == ["apec"]
    token, _ = await bot.invoke("subscribe", {"topics": "apec g"}, focused="topics")
    [body] = callbacks(bot.fake, token)
    assert [c["value"] for c in body["data"]["choices"]] == ["apec gpu_deal"]


async def test_a_watch_is_added_named_by_autocomplete_and_subscribed_from_discord(bot: Bot) -> None:
    _, messages = await bot.invoke(
        "watch", {"action": "add", "name": "hbm", "terms": "HBM 고대역폭메모리 -주가"}
    )
    shown = "\n".join(m.visible() for m in messages)
    assert "워치 ‘hbm’ 미리보기입니다. 아직 저장하지 않았습니다." in shown and "미리보기:" in shown
    assert bot.app.store.watches("discord", GUILD_ID) == []  # a preview saves nothing
    assert all(m.ephemeral for m in messages)  # a proposal: only its author sees it
    [preview] = [m for m in messages if m.body.get("components")]
    [[button]] = [row["components"] for row in preview.body["components"]]
    assert button["label"] == "저장" and button["custom_id"].startswith("newsbot:confirm:")
    payload = bot.fake.press(preview, button["custom_id"])
    bot.client._connection.parse_interaction_create(payload)  # as the gateway delivers it
    await wait_until(lambda: bot.fake.replies(payload["token"]), timeout=20)
    shown = "\n".join(m.visible() for m in bot.fake.replies(payload["token"]))
    assert "워치 ‘hbm’을 저장했습니다." in shown and "미리보기" in shown
    assert all(not m.ephemeral for m in bot.fake.replies(payload["token"]))  # the team sees it
    assert bot.fake.rejected == []
    [watch] = bot.app.store.watches("discord", GUILD_ID)
    assert watch.spec["terms"] == ["HBM", "고대역폭메모리"] and watch.spec["exclude"] == ["주가"]
    token, _ = await bot.invoke("watch", {"action": "show", "name": "h"}, focused="name")
    [body] = callbacks(bot.fake, token)
    assert [c["value"] for c in body["data"]["choices"]] == ["hbm"]
    token, _ = await bot.invoke("digest", {"topic": "hb"}, focused="topic")
    [body] = callbacks(bot.fake, token)
    assert [c["value"] for c in body["data"]["choices"]] == ["watch:hbm"]  # a name, not an id
    await bot.invoke("subscribe", {"topics": "hbm"})
    [sub] = bot.app.store.subscriptions(Place("discord", GUILD_ID, CHANNEL_ID))
    assert sub.topic == watch.topic
    _, messages = await bot.invoke("watch", {"action": "remove", "name": "hbm"})
    assert bot.app.store.watches("discord", GUILD_ID) == []
    assert bot.app.store.subscriptions(Place("discord", GUILD_ID, CHANNEL_ID)) == []


@pytest.mark.parametrize(
    ("sub", "options", "expected"),
    [
        ("watch", {"action": "add", "name": "7d", "terms": "HBM"}, "워치 이름으로 쓸 수 없습니다"),
        ("watch", {"action": "add", "name": "금", "terms": "HBM"}, "워치 이름으로 쓸 수 없습니다"),
        ("watch", {"action": "add", "name": "에이펙", "terms": "HBM"}, "기본 주제 apec을"),
        ("why", {"item": "²"}, "‘²’은(는) 기사 ID가 아닙니다"),
        ("mute", {"target": "#" + "9" * 30}, "기사 ID가 아닙니다"),
    ],
    ids=["period-name", "weekday-name", "alias-name", "why-superscript", "mute-huge"],
)
async def test_bad_names_and_numbers_get_one_line_not_something_went_wrong(
    bot: Bot, sub: str, options: dict[str, Any], expected: str
) -> None:
    """Issue 27, failure 11: each answered with one line that names the problem."""
    _, messages = await bot.invoke(sub, options)
    shown = [line for line in discord_lines(messages) if line]
    assert len(shown) == 1 and expected in shown[0], shown
    assert bot.app.store.watches("discord", GUILD_ID) == []


async def test_a_trend_chart_comes_as_an_attachment_of_the_follow_up(bot: Bot) -> None:
    _, messages = await bot.invoke("trend", {"topics": "apec gpu_deal", "since": "90d"})
    [message] = [m for m in messages if m.files]
    [(name, data)] = message.files
    assert name == "trend.png" and data.startswith(b"\x89PNG\r\n\x1a\n")
    assert message.embeds[0]["image"]["url"] == "attachment://trend.png"
    assert not message.ephemeral and "스토리" in message.visible()
    assert bot.fake.rejected == []


async def test_news_is_registered_in_the_development_guild_with_every_sub_command(bot: Bot) -> None:
    [news] = bot.fake.commands[GUILD_ID]
    assert news["name"] == "news"
    assert {o["name"] for o in news["options"]} == set(bot.core.handlers)
    assert None not in bot.fake.commands


@pytest.mark.parametrize("sync", ["global", "off"])
async def test_sync_setting_chooses_global_or_no_registration(sync: str, tmp_path: Path) -> None:
    async with FakeDiscord() as fake:
        app = App(settings_for(fake, f"sqlite:///{tmp_path / 'x.db'}", sync))
        client = build_client(app, Commands(app))
        await client.login(fake.token)
        await client.close()
    if sync == "global":
        assert list(fake.commands) == [None] and fake.commands[None][0]["name"] == "news"
    else:
        assert fake.commands == {}
