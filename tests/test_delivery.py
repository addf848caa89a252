"""Digests, alerts, notices and sending, in process: a fixed clock, a real SQLite file, the real
kiwi analyser, and the loopback fakes of the Slack and Discord APIs.

What a channel sees: one digest at its hour with the matching stories and nothing a minute later;
the next day only what is new; a digest missed while newsbot was down sent once on start (never
when too old); one alert per big story; rate limits and server errors that cost no duplicate; a
channel the platform refuses paused once and resumed by subscribing again; a broken feed announced
once where it matters; and a per-subscription time zone.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.chat.commands import Commands, Context
from bot.chat.slack.post import SlackPoster
from bot.delivery.leader import Leadership
from bot.delivery.scheduler import Scheduler
from bot.ingest.poller import Poller
from bot.store import Place, Window
from bot.store.drafts import Draft
from tests.helpers.chat import discord_ids, slack_ids, slack_text
from tests.helpers.fakes.discord_api import (
    rate_limited,
    server_error,
)
from tests.helpers.feedserver import FeedServer, Handler, canned, hang, rss
from tests.helpers.stories import (
    gpu_story,
    marker,
    next_nine,
    rewrite,
)
from tests.helpers.world import (
    ALERT_TITLE,
    DIGEST_TITLE,
    DISCORD_CH,
    SLACK_C1,
    SLACK_C2,
    World,
)

# -- acceptance 1: the daily digest ------------------------------------------------------------


async def test_each_channel_gets_one_digest_at_nine_then_nothing_then_only_new_items(
    world: World,
) -> None:
    nine = next_nine()
    world.subscribe(SLACK_C1, DISCORD_CH)
    world.ingest_seeds()
    expected = world.matching("gpu_deal")
    assert len(expected) >= 2, "the seeds hold GPU-deal stories"
    assert len(world.app.store.matched_ids(Window())) > len(expected), "and other stories"

    await world.tick(nine - timedelta(minutes=1))
    assert world.slack_posts(SLACK_C1) == [] and world.discord_posts(DISCORD_CH) == []

    await world.tick(nine)
    [slack] = world.slack_posts(SLACK_C1)
    [discord] = world.discord_posts(DISCORD_CH)
    assert DIGEST_TITLE in slack_text(slack) and DIGEST_TITLE in discord.visible()
    assert slack_ids(slack) == expected
    assert discord_ids(discord) == expected

    await world.tick(nine + timedelta(minutes=1))
    await world.tick(nine + timedelta(minutes=1, seconds=30))
    assert len(world.slack_posts(SLACK_C1)) == 1 and len(world.discord_posts(DISCORD_CH)) == 1
    assert world.slack.problems == [] and world.discord.rejected == []

    world.clock.set(nine + timedelta(hours=3))  # these stories come in during the day
    new = world.ingest([gpu_story(1), gpu_story(2)])
    assert world.matching("gpu_deal", new) == set(new)
    await world.tick(nine + timedelta(days=1))
    slack_next = world.slack_posts(SLACK_C1)[1:]
    discord_next = world.discord_posts(DISCORD_CH)[1:]
    assert [slack_ids(p) for p in slack_next] == [set(new)]
    assert [discord_ids(m) for m in discord_next] == [set(new)]
    assert {r.status for r in world.rows()} == {"sent"}


# -- acceptance 3 at the planner level: a digest missed while down ------------------------------


async def test_a_digest_missed_while_down_is_sent_once_on_start(world: World) -> None:
    nine = next_nine()
    world.subscribe(SLACK_C1)
    world.ingest_seeds()
    assert world.plan(nine - timedelta(minutes=1)) == 0  # up at 08:59, then down until 09:10

    world.restart(at=nine + timedelta(minutes=10))
    assert world.plan() == 1
    assert await world.deliver() == 1
    for minutes in (10.5, 11):  # started twice more
        world.restart(at=nine + timedelta(minutes=minutes))
        assert world.plan() == 0
        assert await world.deliver() == 0
    [post] = world.slack_posts(SLACK_C1)
    assert slack_ids(post) == world.matching("gpu_deal")
    assert [(r.kind, r.status) for r in world.rows()] == [("digest", "sent")]


async def test_a_digest_missed_beyond_the_grace_window_is_not_sent(world: World) -> None:
    nine = next_nine()
    world.subscribe(SLACK_C1)
    world.ingest_seeds()
    world.restart(at=nine + timedelta(hours=6, minutes=30))  # 15:30, grace is 6 h
    assert world.plan() == 0
    assert await world.deliver() == 0
    assert world.slack_posts(SLACK_C1) == [] and world.rows() == []


# -- alerts ------------------------------------------------------------------------------------


async def test_a_big_gpu_deal_alerts_once_per_story_and_not_where_alerts_are_off(
    world: World,
) -> None:
    world.subscribe(SLACK_C1, alerts=True)
    world.subscribe(SLACK_C2, alerts=False)
    story = gpu_story(7, gpus=30_000, source="연합뉴스")
    ids = world.ingest([story, rewrite(story, "뉴시스", 1)])
    items = world.app.store.articles(ids)
    assert len(items) == 2 and items[0].cluster and items[0].cluster.size == 2

    await world.tick(datetime.now(UTC) + timedelta(seconds=5))
    [alert] = world.slack_posts(SLACK_C1)
    assert ALERT_TITLE in slack_text(alert) and marker(7) in slack_text(alert)
    assert "30,000 GPUs" in slack_text(alert)

    world.ingest([rewrite(story, "머니투데이", 2)])  # a third outlet, same story
    world.ingest([reworded(story, "전자신문")])  # a fourth, in its own words
    assert world.app.store.articles(ids)[0].cluster.size == 4  # type: ignore[union-attr]
    await world.tick(datetime.now(UTC) + timedelta(seconds=10))
    await world.tick(datetime.now(UTC) + timedelta(minutes=5))
    assert len(world.slack_posts(SLACK_C1)) == 1
    assert world.slack_posts(SLACK_C2) == []


def reworded(draft: Draft, source: str) -> Draft:
    """The story of :func:`gpu_story` as another outlet wrote it: its own title and lead."""
    company, rest = draft.title.split(", GPU ", 1)
    gpus, rest = rest.split("장 확보…", 1)
    city = rest.split(" AI ", 1)[0]
    return Draft(
        title=f"엔비디아 블랙웰 {gpus}장, {company} 품으로…{city}에 AI 데이터센터",
        body=(
            f"{company}는 {city}에 짓는 AI 데이터센터에 엔비디아 블랙웰 GPU {gpus}장을 "
            "들여오는 공급 계약을 맺었다고 밝혔다. 고대역폭메모리(HBM)를 얹은 AI 가속기 "
            "클러스터가 들어선다. 업계는 국내 AI 연산 능력이 크게 늘 것으로 본다."
        ),
        origin=f"{draft.origin}#reworded",
        source=source,
    )


class LiveFeed:
    """A feed route whose document (or failure) can change between polls."""

    def __init__(self, body: bytes, status: int = 200) -> None:
        self.body, self.status = body, status

    def __call__(self, h: Handler) -> None:
        canned(self.body, status=self.status)(h)


def feed_item(draft: Draft, n: int) -> dict[str, str]:
    return {
        "title": draft.title,
        "link": f"https://news.example.kr/gpu/{n}",
        "guid": f"https://news.example.kr/gpu/{n}",
        "description": draft.body,
    }


async def test_items_from_a_feeds_first_poll_never_alert_later_ones_do(world: World) -> None:
    world.subscribe(SLACK_C1, alerts=True)
    first, later = gpu_story(11, gpus=50_000), gpu_story(12, gpus=70_000)
    with FeedServer() as server:
        live = LiveFeed(rss([feed_item(first, 11)]))
        url = server.route("/gpu.xml", live)
        world.app.store.add_feed(url, "GPU 뉴스", 900)
        watcher = Poller(world.app.store, world.settings)
        world.clock.set(datetime.now(UTC) + timedelta(seconds=1))
        report = await watcher.poll(everything=True, now=world.clock.now())
        world.app.pipeline.process_pending()  # poll, then process
        assert report.items_silent == 1
        await world.tick()
        assert world.slack_posts(SLACK_C1) == []

        live.body = rss([feed_item(first, 11), feed_item(later, 12)])
        report = await watcher.poll(everything=True, now=world.clock.now())
        world.app.pipeline.process_pending()  # poll, then process
        assert report.items_ingested == 1
        await world.tick(world.clock.now() + timedelta(seconds=5))
    [alert] = world.slack_posts(SLACK_C1)
    assert marker(12) in slack_text(alert) and marker(11) not in slack_text(alert)


async def test_one_poll_of_many_big_stories_sends_five_alerts_and_one_more_message(
    world: World,
) -> None:
    """Issue 27, failure 6: a poll that brings 20 alert-worthy stories posts five alerts (the
    biggest) and one "15 more" message in each channel, through the outbox; none again later."""
    world.subscribe(SLACK_C1, DISCORD_CH, alerts=True)
    stories = [gpu_story(n, gpus=(40 + n) * 1000) for n in range(20, 40)]
    with FeedServer() as server:
        live = LiveFeed(rss([feed_item(gpu_story(19), 19)]))
        url = server.route("/gpu.xml", live)
        world.app.store.add_feed(url, "GPU 뉴스", 900)
        watcher = Poller(world.app.store, world.settings)
        world.clock.set(datetime.now(UTC) + timedelta(seconds=1))
        await watcher.poll(everything=True, now=world.clock.now())  # first poll: silent
        world.app.pipeline.process_pending()  # poll, then process
        live.body = rss([feed_item(s, n) for n, s in enumerate(stories, 20)])
        report = await watcher.poll(everything=True, now=world.clock.now())
        world.app.pipeline.process_pending()  # poll, then process
        assert report.items_ingested == 20
    await world.tick(world.clock.now() + timedelta(seconds=5))
    await world.tick(world.clock.now() + timedelta(minutes=5))

    slack = [slack_text(p) for p in world.slack_posts(SLACK_C1)]
    assert len(slack) == 6
    alone, more = slack[:5], slack[5]
    assert all(ALERT_TITLE in text for text in alone)
    biggest = [marker(n) for n in range(39, 34, -1)]  # 59,000 … 55,000 GPUs
    assert sorted(m for text in alone for m in biggest if m in text) == sorted(biggest)
    assert "속보 알림 15건 더" in more
    listed = [n for n in range(20, 35) if marker(n) in more]
    assert len(listed) == 8 and "그 밖에 7건은 /news digest" in more
    discord = world.discord_posts(DISCORD_CH)
    assert len(discord) == 6
    assert any("속보 알림 15건 더" in str(m.body) for m in discord)
    kinds = [r.kind for r in world.rows() if r.status == "pending"]
    assert kinds == []


# -- failures ----------------------------------------------------------------------------------


async def digest_due(world: World, *places: Place) -> datetime:
    nine = next_nine()
    world.subscribe(*places)
    world.ingest_seeds()
    assert world.plan(nine) == len(places)
    return nine


async def test_rate_limited_then_accepted_is_one_message(world: World) -> None:
    await digest_due(world, SLACK_C1, DISCORD_CH)
    world.slack.script("chat.postMessage", status=429, retry_after="1")
    world.discord.script("create_message", rate_limited(0.5))
    assert await world.deliver() == 2
    assert len(world.slack.calls_to("chat.postMessage")) == 2
    assert len(world.slack_posts(SLACK_C1)) == 1
    assert len(world.discord_posts(DISCORD_CH)) == 1
    assert [(r.status, r.attempts) for r in world.rows()] == [("sent", 0)] * 2


async def test_a_server_error_keeps_the_digest_pending_and_it_is_sent_later_once(
    world: World,
) -> None:
    nine = await digest_due(world, SLACK_C1)
    world.slack.script("chat.postMessage", status=503)
    assert await world.deliver() == 0
    [row] = world.rows()
    assert (row.status, row.attempts) == ("pending", 1) and row.last_error
    assert world.slack_posts(SLACK_C1) == []

    assert await world.deliver() == 0  # backing off: not even tried
    assert len(world.slack.calls_to("chat.postMessage")) == 1
    world.restart(at=nine + timedelta(seconds=3))  # a restart does not skip the backoff
    assert await world.deliver() == 0
    assert len(world.slack.calls_to("chat.postMessage")) == 1

    world.clock.set(nine + timedelta(seconds=6))
    assert await world.deliver() == 1
    assert len(world.slack_posts(SLACK_C1)) == 1
    assert world.rows()[0].status == "sent"


async def test_a_discord_502_after_storing_is_retried_without_a_duplicate(world: World) -> None:
    await digest_due(world, DISCORD_CH)
    world.discord.script("create_message", server_error(502, after_store=True))
    assert await world.deliver() == 1
    assert len(world.discord_posts(DISCORD_CH)) == 1
    assert world.rows()[0].status == "sent"


def lines_about(caplog: pytest.LogCaptureFixture, channel: str) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.WARNING and channel in r.getMessage()
    ]


@pytest.mark.parametrize("platform", ["slack", "discord"])
async def test_a_refused_channel_is_paused_said_once_and_resumed_by_subscribing(
    world: World, caplog: pytest.LogCaptureFixture, platform: str
) -> None:
    place = SLACK_C1 if platform == "slack" else DISCORD_CH
    nine = await digest_due(world, place)
    if platform == "slack":
        world.slack.script("chat.postMessage", error="channel_not_found")
    else:
        world.discord.forbidden.add(place.channel)

    def attempts() -> int:
        if platform == "slack":
            return len(world.slack.calls_to("chat.postMessage"))
        return sum(1 for r in world.discord.requests if r[1].endswith("/messages"))

    caplog.set_level(logging.INFO)
    assert await world.deliver() == 0
    assert attempts() == 1
    dest = world.app.store.destination(place, create=False)
    assert dest is not None and dest.paused_at is not None
    said = lines_about(caplog, place.channel)
    assert len([line for line in said if "paused" in line]) == 1, said
    assert ("channel_not_found" if platform == "slack" else "403") in " ".join(said)

    caplog.clear()
    for minutes in (1, 10, 60):
        await world.tick(nine + timedelta(minutes=minutes))
    assert attempts() == 1, "a paused destination is not tried again"
    assert lines_about(caplog, place.channel) == [], "and it is said only once"
    assert world.rows()[0].status == "pending"

    world.discord.forbidden.discard(place.channel)  # someone fixed the permissions
    ctx = Context(place.platform, place.workspace, place.channel, "U1", "ko")
    reply = Commands(world.app).handle("subscribe gpu_deal at 09:00", ctx)
    assert not reply.error
    assert await world.deliver() == 1
    posted = world.slack_posts(place) if platform == "slack" else world.discord_posts(place)
    assert len(posted) == 1
    assert world.rows()[0].status == "sent"


# -- notices -----------------------------------------------------------------------------------


async def test_a_disabled_feed_is_announced_once_in_each_channel_that_follows_its_topics(
    world: World,
) -> None:
    world.subscribe(SLACK_C1, DISCORD_CH)  # gpu_deal: the feed's topic
    world.subscribe(SLACK_C2, topics=["apec"])  # not what the feed carries
    with FeedServer() as server:
        live = LiveFeed(rss([feed_item(gpu_story(n), n) for n in (21, 22)]))
        url = server.route("/gpu.xml", live)
        world.app.store.add_feed(url, "GPU 속보 피드", 900)
        watcher = Poller(world.app.store, world.settings)
        world.clock.set(datetime.now(UTC) + timedelta(seconds=1))
        assert (await watcher.poll(everything=True, now=world.clock.now())).items_silent == 2
        world.app.pipeline.process_pending()  # poll, then process
        live.body, live.status = b"<html>gone</html>", 500
        report = await watcher.poll(everything=True, now=world.clock.now())
        world.app.pipeline.process_pending()  # poll, then process
        assert len(report.disabled) == 1

    for minutes in (0, 1, 30, 600):
        await world.tick(world.clock.now() + timedelta(minutes=minutes))
    notices = [slack_text(p) for p in world.slack_posts(SLACK_C1)]
    notices += [m.visible() for m in world.discord_posts(DISCORD_CH)]
    assert len(notices) == 2
    assert all("GPU 속보 피드" in n and "중지" in n for n in notices)
    assert world.slack_posts(SLACK_C2) == []


# -- per-subscription time zone ----------------------------------------------------------------


async def test_a_new_york_subscription_gets_its_digest_at_nine_new_york_time(
    world: World,
) -> None:
    world.subscribe(SLACK_C1, tz="America/New_York")
    world.subscribe(SLACK_C2)  # Asia/Seoul
    world.ingest_seeds()
    new_york, seoul = next_nine("America/New_York"), next_nine()
    assert new_york.utcoffset() != seoul.utcoffset()
    moments = sorted(
        {
            new_york - timedelta(minutes=1),
            new_york,
            new_york + timedelta(minutes=1),
            seoul - timedelta(minutes=1),
            seoul,
            seoul + timedelta(minutes=1),
        }
    )
    for at in moments:
        await world.tick(at)
        assert len(world.slack_posts(SLACK_C1)) == (1 if at >= new_york else 0), at
        assert len(world.slack_posts(SLACK_C2)) == (1 if at >= seoul else 0), at
    [post] = world.slack_posts(SLACK_C1)
    assert slack_ids(post) == world.matching("gpu_deal")
    day_before = new_york - timedelta(days=1)
    assert f"{day_before:%Y-%m-%d} 09:00 – {new_york:%Y-%m-%d} 09:00" in slack_text(post)


# -- the scheduler: a hung poll does not hold up the digest --------------------------------------


@pytest.mark.slow
async def test_a_hung_feed_poll_does_not_delay_the_digest(world: World) -> None:
    nine = next_nine()
    world.subscribe(SLACK_C1)
    world.ingest_seeds()
    world.clock.set(nine - timedelta(minutes=1))
    settings = dataclasses.replace(world.settings, fetch_timeout=120.0)
    with FeedServer() as server:
        world.app.store.add_feed(server.route("/slow.xml", hang()), "느린 피드", 900)
        poster = {"slack": SlackPoster(world.settings)}
        scheduler = Scheduler(
            world.app,
            Leadership(world.app.store),
            Poller(world.app.store, settings),
            poster,
        )
        scheduler.start()
        try:
            # 08:59: the scheduler leads and its poll hangs on the slow feed
            assert await world.slack.wait_async(lambda: server.hits["/slow.xml"] == 1, 15)
            assert scheduler.role == "leader" and world.slack_posts(SLACK_C1) == []
            world.clock.set(nine)  # 09:00 comes while the poll still hangs
            started = time.monotonic()
            assert await world.slack.wait_async(lambda: world.slack_posts(SLACK_C1), 15)
            assert time.monotonic() - started < 10
            assert scheduler.last_poll is None and server.hits["/slow.xml"] == 1
        finally:
            await asyncio.wait_for(scheduler.shutdown(), 10)
    assert [(r.kind, r.status) for r in world.rows()] == [("digest", "sent")]


async def test_the_planner_remembers_empty_digests_for_one_grace_window_only(
    world: World,
) -> None:
    """A channel with nothing to send, day after day: the planner's memory stays one window."""
    world.subscribe(SLACK_C1)
    nine = next_nine()
    for day in range(20):
        assert world.plan(nine + timedelta(days=day)) == 0
    assert len(world.planner._empty) <= 1
    assert world.rows() == []
