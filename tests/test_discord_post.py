"""Channel posts against a loopback fake of Discord's REST API (limits, nonces, failures)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.chat.base import DestinationBroken
from bot.chat.discord.adapter import check_token
from bot.chat.discord.post import TOKEN_REJECTED, DiscordPoster
from bot.config.settings import Settings
from bot.present.i18n import t
from bot.present.reply import Card, Fact, Reply, Section
from tests.helpers import run_cli
from tests.helpers.fakes.discord_api import (
    FakeDiscord,
    disconnect,
    rate_limited,
    server_error,
    unknown_channel,
)

CHANNEL = "1300000000000000777"
HOSTILE = "@everyone @here <@&123> <@456> [공지](https://phish)"


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server


@pytest.fixture
async def poster(fake: FakeDiscord) -> AsyncIterator[DiscordPoster]:
    settings = Settings(discord_bot_token=fake.token, discord_api_url=fake.api_url)
    p = DiscordPoster(settings, retry_delay=0.05)
    yield p
    await p.close()


def big_digest() -> Reply:
    """12 stories whose texts run to 5,000 characters each."""
    body = "엔비디아 GPU 26만 장 공급 계약 " * 250
    cards = [
        Card(
            n,
            f"{n}번 기사 {body}",
            f"https://news.example/{n}",
            f"출처 · #{n}",
            [Fact("근거", body), Fact("수치", body)],
            snippet=body,
        )
        for n in range(1, 13)
    ]
    return Reply(title="뉴스 다이제스트", sections=[Section("GPU (12)", cards)], footer="기간: all")


def posts(fake: FakeDiscord) -> list[tuple[str, str, dict[str, str], object]]:
    return [r for r in fake.requests if r[0] == "POST" and r[1].endswith(f"/{CHANNEL}/messages")]


async def test_a_twelve_story_digest_is_accepted_split_and_complete(
    fake: FakeDiscord, poster: DiscordPoster
) -> None:
    ids = await poster.send(CHANNEL, big_digest(), key="delivery-1")
    stored = fake.channel_messages(CHANNEL)
    assert fake.rejected == []  # not one 400
    assert len(stored) == len(ids) > 1
    assert [m.id for m in stored] == ids
    seen = "\n".join(m.visible() for m in stored)
    assert [n for n in range(1, 13) if f"{n}번 기사" in seen] == list(range(1, 13))
    assert seen.index("1번 기사") < seen.index("12번 기사")
    nonces = [m.body["nonce"] for m in stored]
    assert len(set(nonces)) == len(nonces) and all(len(n) <= 25 for n in nonces)
    for message in stored:
        assert message.body["allowed_mentions"] == {"parse": []}
        assert message.body["enforce_nonce"] is True


async def test_resending_a_delivery_posts_nothing_twice(
    fake: FakeDiscord, poster: DiscordPoster
) -> None:
    first = await poster.send(CHANNEL, big_digest(), key="delivery-2")
    sent: list[tuple[int, str]] = []
    again = await poster.send(
        CHANNEL,
        big_digest(),
        key="delivery-2",
        start_part=1,
        on_part=lambda i, mid: sent.append((i, mid)),
    )
    assert again == first[1:]
    assert sent == list(enumerate(first))[1:]
    assert len(fake.channel_messages(CHANNEL)) == len(first)


async def test_a_429_is_waited_out_and_exactly_one_message_arrives(
    fake: FakeDiscord, poster: DiscordPoster
) -> None:
    fake.script("create_message", rate_limited(1.5))
    started = time.monotonic()
    ids = await poster.send(CHANNEL, Reply(text="하나"), key="rl")
    assert time.monotonic() - started >= 1.4  # discord.py's limiter waited retry_after
    assert len(posts(fake)) == 2
    assert [m.id for m in fake.channel_messages(CHANNEL)] == ids


@pytest.mark.parametrize(
    "failure",
    [server_error(502, after_store=True), disconnect()],
    ids=["502-after-store", "connection-dropped-after-store"],
)
async def test_a_failure_after_the_message_was_stored_does_not_duplicate_it(
    fake: FakeDiscord, poster: DiscordPoster, failure: object
) -> None:
    fake.script("create_message", failure)  # type: ignore[arg-type]
    ids = await poster.send(CHANNEL, Reply(text="한 번만"), key="once")
    stored = fake.channel_messages(CHANNEL)
    assert len(posts(fake)) == 2  # it was sent again…
    assert [m.id for m in stored] == ids  # …and the nonce made Discord return the first one


@pytest.mark.parametrize("status", [403, 404])
async def test_a_forbidden_or_missing_channel_pauses_the_destination_with_one_log_line(
    fake: FakeDiscord, poster: DiscordPoster, caplog: pytest.LogCaptureFixture, status: int
) -> None:
    if status == 403:
        fake.forbidden.add(CHANNEL)
    else:
        fake.script("create_message", unknown_channel())
    caplog.set_level(logging.DEBUG, logger="bot")
    with pytest.raises(DestinationBroken) as info:
        await poster.send(CHANNEL, big_digest(), key="broken")
    assert str(status) in info.value.reason
    ours = [r for r in caplog.records if r.name.startswith("bot.")]
    assert len(ours) == 1
    assert CHANNEL in ours[0].getMessage() and str(status) in ours[0].getMessage()
    assert all(fake.token not in r.getMessage() for r in caplog.records)
    assert fake.channel_messages(CHANNEL) == [] and len(posts(fake)) == 1  # stopped at once


async def test_a_rejected_token_is_named_without_showing_it(
    fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(discord_bot_token="wrong-secret-token", discord_api_url=fake.api_url)
    with pytest.raises(DestinationBroken) as info:
        await check_token(settings)
    assert info.value.reason == TOKEN_REJECTED
    poster = DiscordPoster(settings)
    with pytest.raises(DestinationBroken):
        await poster.send(CHANNEL, Reply(text="x"), key="k")
    await poster.close()
    assert all("wrong-secret-token" not in r.getMessage() for r in caplog.records)
    good = Settings(discord_bot_token=fake.token, discord_api_url=fake.api_url)
    assert "newsbot" in await check_token(good)


async def test_cli_digest_post_pings_nobody_and_links_nothing_from_a_hostile_feed(
    fake: FakeDiscord,
    tmp_path: Path,
    analyser: Any,
    topics: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bot.analysis.pipeline import Pipeline
    from bot.ingest.seeds import find_seed_files, read_seeds
    from bot.store import open_store

    page = tmp_path / "hostile.html"
    title = f"{HOSTILE} 엔비디아 GPU 26만 장 공급"
    page.write_text(
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        "<p>엔비디아가 한국 정부와 기업에 GPU 26만 장을 공급하기로 했다. AI 데이터센터 구축과 "
        "AI 인프라 확충을 위한 대규모 GPU 공급 계약이다.</p></article></body></html>",
        encoding="utf-8",
    )
    url = f"sqlite:///{tmp_path / 'newsbot.db'}"
    store = open_store(url)
    Pipeline(store, topics, analyser).ingest(list(read_seeds(find_seed_files([str(page)]))))
    store.close()
    monkeypatch.setenv("DISCORD_BOT_TOKEN", fake.token)
    monkeypatch.setenv("DISCORD_API_URL", fake.api_url)
    args = ["digest", "--since", "all", "--post", f"discord:{CHANNEL}", "--db", url]
    code, out, err = await asyncio.to_thread(run_cli, args, capsys)
    assert code == 0, err
    assert t("cli.posted", "ko", stories=1, where=f"discord:{CHANNEL}", parts=1) in out
    [message] = fake.channel_messages(CHANNEL)
    assert message.body["allowed_mentions"] == {"parse": []}
    assert message.pings() == [] and message.links() == []
    assert title in message.visible()  # shown as the feed wrote it, inert
