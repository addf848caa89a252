"""Issue 27, failures 8 and 12: tenants kept apart.

- 8: every Discord DM was workspace ``discord:``, so any DM user could list, show, edit and
  remove another's watches (and autocomplete offered them).  Interactions from two users' DMs go
  through discord.py's own command tree against the fake Discord.
- 12: feeds were global.  Two Slack workspaces post signed ``/news`` requests to the real
  endpoint; a feed served on 127.0.0.1 added by one is listed, removed and read by it alone until
  the operator shares it (``newsbot feeds share``); on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import discord
import pytest

from bot.chat.commands import Commands
from bot.chat.discord.adapter import NewsClient, build_client
from bot.config.settings import Settings
from bot.runtime.app import App
from tests.helpers import run_cli
from tests.helpers.chat import SECRET, sign, slack_endpoint, slash_body
from tests.helpers.fakes.discord_api import FakeDiscord, Stored, wait_until
from tests.helpers.fakes.slack_api import FakeSlack, texts
from tests.helpers.feedserver import FeedServer, canned, rss
from tests.helpers.stories import GPU_BODY, GPU_TITLE

# -- 8: a Discord DM is its own workspace -----------------------------------------------------

ALICE, BOB = "1300000000000000101", "1300000000000000202"
DM_OF = {ALICE: "1300000000000000111", BOB: "1300000000000000222"}


@dataclass
class DiscordBot:
    fake: FakeDiscord
    app: App
    client: NewsClient

    async def dm(
        self, user: str, sub: str, options: dict[str, Any], focused: str = ""
    ) -> tuple[str, str]:
        """``/news <sub>`` from ``user``'s DM with the bot: (token, what the user sees)."""
        payload = self.fake.interaction(
            sub, options, focused=focused, dm=True, user_id=user, channel_id=DM_OF[user]
        )
        interaction = discord.Interaction(data=payload, state=self.client._connection)  # type: ignore[arg-type]
        await self.client.tree._call(interaction)
        replies: list[Stored] = self.fake.replies(payload["token"])
        return payload["token"], "\n".join(m.visible() for m in replies)


@pytest.fixture
async def discord_bot(seeded_copy: str) -> AsyncIterator[DiscordBot]:
    async with FakeDiscord() as fake:
        settings = Settings(
            database_url=seeded_copy,
            discord_bot_token=fake.token,
            discord_api_url=fake.api_url,
            discord_sync="none",
        )
        app = App(settings)
        client = build_client(app, Commands(app))
        await client.login(fake.token)
        try:
            yield DiscordBot(fake, app, client)
        finally:
            await client.close()
            app.close()


async def test_8_each_discord_dm_is_its_own_workspace(discord_bot: DiscordBot) -> None:
    bot = discord_bot
    token, shown = await bot.dm(ALICE, "watch", {"action": "add", "name": "hbm", "terms": "HBM"})
    assert "hbm" in shown
    [preview] = [m for m in bot.fake.replies(token) if m.body.get("components")]
    [[button]] = [row["components"] for row in preview.body["components"]]
    payload = bot.fake.press(preview, button["custom_id"], user_id=ALICE, dm=True)
    bot.client._connection.parse_interaction_create(payload)  # Alice saves her watch
    await wait_until(lambda: bot.app.store.watches("discord", f"dm:{ALICE}"), timeout=20)
    _, listed = await bot.dm(BOB, "watch", {"action": "list"})
    assert "hbm" not in listed
    token, _ = await bot.dm(BOB, "watch", {"action": "show", "name": "h"}, focused="name")
    [choices] = bot.fake.callbacks(token)
    assert choices["data"]["choices"] == []  # autocomplete offers Bob nothing of Alice's
    for action in ("show", "remove"):
        _, answer = await bot.dm(BOB, "watch", {"action": action, "name": "hbm"})
        assert "hbm" in answer and ("없습니다" in answer or "찾을 수 없" in answer)
    _, edited = await bot.dm(BOB, "watch", {"action": "edit", "name": "hbm", "terms": "주가"})
    _, mine = await bot.dm(ALICE, "watch", {"action": "show", "name": "hbm"})
    assert "HBM" in mine and "주가" not in mine  # Bob's edit did not reach Alice's watch
    [watch] = bot.app.store.watches("discord", f"dm:{ALICE}")
    assert watch.spec["terms"] == ["HBM"]


# -- 12: a workspace's feeds are its own ------------------------------------------------------


@dataclass
class SlackBot:
    url: str
    slack: FakeSlack
    session: aiohttp.ClientSession
    db: str
    n: int = 0

    async def ask(self, team: str, text: str) -> str:
        """A signed ``/news <text>`` from ``team``; what it answers (ack and response)."""
        self.n += 1
        rid = f"r{self.n}"
        body = slash_body(text, self.slack.response_url(rid), team=team, user=f"U-{team}")
        headers = {**sign(body), "Content-Type": "application/x-www-form-urlencoded"}
        async with self.session.post(self.url, data=body, headers=headers) as resp:
            assert resp.status == 200
            raw = await resp.text()
        ack = json.loads(raw).get("text", "") if raw.startswith("{") else raw
        if "찾는 중" in ack or not ack:
            assert await self.slack.wait_async(lambda: self.slack.responses(rid), timeout=10)
            return "\n".join(texts(self.slack.responses(rid)))
        return str(ack)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def slack_bot(
    request: pytest.FixtureRequest, fake_slack: FakeSlack, db_url: str
) -> AsyncIterator[SlackBot]:
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else db_url
    settings = Settings(
        database_url=url,
        slack_bot_token=fake_slack.token,
        slack_signing_secret=SECRET,
        slack_api_url=fake_slack.api_url,
        allow_private_feeds=True,
    )
    app = App(settings)
    try:
        async with slack_endpoint(app) as events, aiohttp.ClientSession() as session:
            yield SlackBot(events, fake_slack, session, url)
    finally:
        app.close()


async def test_12_a_feed_added_from_chat_is_its_workspaces_until_shared(
    slack_bot: SlackBot, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = slack_bot
    link = "http://127.0.0.1/team-one/1"
    item = {"title": GPU_TITLE, "link": link, "guid": link, "description": GPU_BODY}
    with FeedServer() as site:
        feed_url = site.route("/private.xml", canned(rss([item], title="팀원 전용 피드")))
        added = await bot.ask("T1", f"feeds add {feed_url}")
        assert "#1" in added
        monkeypatch.setenv("NEWSBOT_ALLOW_PRIVATE_FEEDS", "1")
        code, _, err = await asyncio.to_thread(run_cli, ["poll", "--all", "--db", bot.db], capsys)
        assert code == 0, err
        # a third workspace's own feed carries the same item: it is T3's too, neither
        # suppressed by T1's copy nor suppressing it
        other = site.route("/other.xml", canned(rss([item], title="셋째 팀 피드")))
        assert "#2" in await bot.ask("T3", f"feeds add {other}")
        code, _, err = await asyncio.to_thread(run_cli, ["poll", "--all", "--db", bot.db], capsys)
        assert code == 0, err
    assert GPU_TITLE in await bot.ask("T3", "search 블랙웰")

    assert "#1" not in await bot.ask("T2", "feeds list")  # T2 does not even see it
    name = "팀원 전용 피드"  # the feed's title when it was first polled: its name for good
    assert name in await bot.ask("T1", "feeds list")
    assert "피드 #1이 없습니다" in await bot.ask("T2", "feeds remove 1")
    assert "다른 워크스페이스" in await bot.ask("T2", f"feeds add {feed_url}")
    assert name in await bot.ask("T1", "feeds list")  # still there, still T1's

    assert GPU_TITLE in await bot.ask("T1", "search 블랙웰")
    assert GPU_TITLE not in await bot.ask("T2", "search 블랙웰")
    assert GPU_TITLE not in await bot.ask("T2", "digest 7d")
    assert GPU_TITLE not in await bot.ask("T2", "why 1")

    code, out, err = await asyncio.to_thread(
        run_cli, ["feeds", "share", "1", "--db", bot.db], capsys
    )
    assert code == 0, err
    assert GPU_TITLE in await bot.ask("T2", "search 블랙웰")  # shared by the operator
    assert name in await bot.ask("T2", "feeds list")
    assert "피드 #1은 운영자나 다른 워크스페이스의 피드" in await bot.ask("T2", "feeds remove 1")
    assert "피드를 삭제했습니다 (#2)" in await bot.ask("T3", "feeds remove 2")  # its own
    assert "셋째 팀 피드" not in await bot.ask("T3", "feeds list")
