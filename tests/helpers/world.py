"""The delivery world: one newsbot "process" at a time over a SQLite file, a fixed clock, the
real analyser and the loopback fakes of Slack and Discord (the ``world`` fixture)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.chat.discord.post import DiscordPoster
from bot.chat.slack.post import SlackPoster
from bot.config.settings import Settings
from bot.core.clock import FixedClock
from bot.delivery.planner import Planner
from bot.delivery.sender import Sender
from bot.ingest.seeds import find_seed_files, read_seeds
from bot.runtime.app import App
from bot.store import Place, Window
from bot.store.drafts import Draft
from bot.store.views import OutboxEntry, Schedule
from tests.helpers import SEEDS
from tests.helpers.fakes.discord_api import GUILD_ID, FakeDiscord, Stored
from tests.helpers.fakes.slack_api import FakeSlack
from tests.helpers.stories import SEOUL

SLACK_C1 = Place("slack", "T1", "C1")
SLACK_C2 = Place("slack", "T1", "C2")
DISCORD_CH = Place("discord", GUILD_ID, "1300000000000000004")
DIGEST_TITLE = "뉴스 다이제스트"
ALERT_TITLE = "속보 알림"


@dataclass
class World:
    """One newsbot "process" at a time over a SQLite file, with the fakes and a fixed clock."""

    settings: Settings
    slack: FakeSlack
    discord: FakeDiscord
    clock: FixedClock
    apps: list[App] = field(default_factory=list)
    senders: list[Sender] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.restart()

    @property
    def app(self) -> App:
        return self.apps[-1]

    def restart(self, at: datetime | None = None) -> None:
        """A new process over the same database (its planner and sender start afresh)."""
        if at is not None:
            self.clock.set(at)
        self.apps.append(App(self.settings, clock=self.clock))
        self.planner = Planner(self.app)
        posters = {"slack": SlackPoster(self.settings), "discord": DiscordPoster(self.settings)}
        self.senders.append(Sender(self.app, posters, holder=f"test-{len(self.senders)}"))

    def subscribe(
        self,
        *places: Place,
        topics: Sequence[str] = ("gpu_deal",),
        at: str = "09:00",
        tz: str = SEOUL,
        alerts: bool = False,
    ) -> None:
        for place in places:
            self.app.store.subscribe(
                place, {t: Schedule(at, tz, alerts) for t in topics}, user="U1"
            )

    def ingest(self, drafts: Sequence[Draft]) -> list[int]:
        return self.app.pipeline.ingest(list(drafts))

    def ingest_seeds(self) -> list[int]:
        return self.ingest(list(read_seeds(find_seed_files([str(SEEDS)]))))

    def matching(self, topic: str, ids: Sequence[int] = ()) -> set[int]:
        return set(self.app.store.matched_ids(Window(topics=[topic], ids=tuple(ids))))

    def plan(self, at: datetime | None = None) -> int:
        if at is not None:
            self.clock.set(at)
        return self.planner.plan(self.clock.now())

    async def deliver(self) -> int:
        return await self.senders[-1].deliver()

    async def tick(self, at: datetime | None = None) -> None:
        """What the scheduler does at ``at``: plan, then send."""
        self.plan(at)
        await self.deliver()

    def slack_posts(self, place: Place) -> list[dict[str, Any]]:
        return self.slack.posts(place.channel)

    def discord_posts(self, place: Place) -> list[Stored]:
        return self.discord.channel_messages(place.channel)

    def rows(self) -> list[OutboxEntry]:
        return self.app.store.deliveries()

    async def close(self) -> None:
        for sender in self.senders:
            for poster in sender.posters.values():
                await poster.close()
        for app in self.apps:
            app.close()


@pytest.fixture
async def world(tmp_path: Path, analyser: object, fake_slack: FakeSlack) -> AsyncIterator[World]:
    async with FakeDiscord() as discord:
        settings = Settings.from_env(
            {
                "NEWSBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'newsbot.db'}",
                "SLACK_BOT_TOKEN": fake_slack.token,
                "SLACK_API_URL": fake_slack.api_url,
                "DISCORD_BOT_TOKEN": discord.token,
                "DISCORD_API_URL": discord.api_url,
                "NEWSBOT_ALLOW_PRIVATE_FEEDS": "1",
                "NEWSBOT_FEED_MAX_ERRORS": "1",
            }
        )
        w = World(settings, fake_slack, discord, FixedClock(datetime.now(UTC)))
        try:
            yield w
        finally:
            await w.close()
