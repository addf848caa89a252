"""Posting to Slack channels through the fake Web API: digests arrive whole and once, rate limits
are waited out, broken destinations are reported once, connection errors are never re-posted."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.chat.base import DeliveryError, DestinationBroken, TemporaryFailure
from bot.chat.slack.post import SlackPoster, retry_wait
from bot.config.settings import Settings
from bot.config.topics import TopicSet
from bot.core.http import parse_retry_after
from bot.present.compose import digest_reply
from bot.present.i18n import t
from bot.present.reply import Reply
from bot.services.digests import build_digest
from bot.store import open_store
from bot.store.views import Article
from tests.helpers import HEADLINES, SEEDS, run_cli
from tests.helpers.fakes.slack_api import FakeSlack, check_message, live_markup, texts

HOSTILE = "<!channel> 긴급 <@U1> <https://evil|공지> @here &amp;"


def settings_for(slack: FakeSlack, token: str | None = None) -> Settings:
    return Settings(slack_bot_token=token or slack.token, slack_api_url=slack.api_url)


def use_fake(monkeypatch: pytest.MonkeyPatch, slack: FakeSlack) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", slack.token)
    monkeypatch.setenv("SLACK_API_URL", slack.api_url)


def joined(payload: dict[str, object]) -> str:
    return "\n".join(texts(payload.get("blocks")))


def small_reply(text: str = "안녕하세요") -> Reply:
    return Reply(title="알림", text=text, ephemeral=False)


# -- the CLI path: newsbot digest --post slack:CHANNEL ----------------------------------------


def test_cli_digest_posts_each_seed_story_once(
    fake_slack: FakeSlack,
    seeded_copy: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    use_fake(monkeypatch, fake_slack)
    post_args = ["digest", "--since", "all", "--post", "slack:C123", "--db", seeded_copy]
    code, out, err = run_cli(post_args, capsys)
    assert code == 0, err
    assert t("cli.posted", "ko", stories=5, where="slack:C123", parts=1) in out
    [post] = fake_slack.posts("C123")
    body = joined(post)
    for headline in HEADLINES.values():
        assert body.count(headline) == 1, headline
    assert post["link_names"] is False and post["unfurl_links"] is False
    assert (
        fake_slack.calls_to("chat.postMessage")[0]
        .headers["Authorization"]
        .endswith(fake_slack.token)
    )
    assert fake_slack.problems == []


def test_cli_digest_post_goes_through_the_outbox_once_unless_forced(
    fake_slack: FakeSlack,
    seeded_copy: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    use_fake(monkeypatch, fake_slack)
    post_args = ["digest", "--since", "all", "--post", "slack:C123", "--db", seeded_copy]
    assert run_cli(post_args, capsys)[0] == 0
    code, out, err = run_cli(post_args, capsys)  # the same period again
    assert code == 0 and t("cli.post_already", "ko", where="slack:C123", parts=1) in out, err
    assert len(fake_slack.posts("C123")) == 1
    code, out, err = run_cli([*post_args, "--force"], capsys)
    assert code == 0 and t("cli.posted", "ko", stories=5, where="slack:C123", parts=1) in out, err
    assert len(fake_slack.posts("C123")) == 2
    store = open_store(seeded_copy)
    try:
        rows = [r for r in store.deliveries() if r.kind == "post"]
    finally:
        store.close()
    assert [(r.status, r.parts_sent) for r in rows] == [("sent", 1), ("sent", 1)]


def test_cli_hostile_feed_title_arrives_as_plain_text(
    fake_slack: FakeSlack,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A story whose title tries to ping the channel, mention a user and plant a link."""
    source = (SEEDS / "003_59da5a199eed97f7.txt").read_text(encoding="utf-8").splitlines()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "hostile.txt").write_text(
        HOSTILE + "\n\n" + "\n".join(source[7:]), encoding="utf-8"
    )
    db = f"sqlite:///{tmp_path / 'h.db'}"
    assert run_cli(["ingest", str(tmp_path / "in"), "--db", db], capsys)[0] == 0
    use_fake(monkeypatch, fake_slack)
    code, _, err = run_cli(["digest", "--since", "all", "--post", "slack:C9", "--db", db], capsys)
    assert code == 0, err
    [post] = fake_slack.posts("C9")
    everything = list(texts(post))
    assert everything
    for text in everything:
        assert live_markup(text) == [], text
    shown = "&lt;!channel&gt; 긴급 &lt;@U1&gt; &lt;https://evil|공지&gt; @\u2060here &amp;amp;"
    assert shown in joined(post)
    assert shown in post["text"]  # the notification text too


def test_cli_reports_a_broken_channel(
    fake_slack: FakeSlack,
    seeded_copy: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    use_fake(monkeypatch, fake_slack)
    fake_slack.script("chat.postMessage", error="channel_not_found")
    code, _, err = run_cli(
        ["digest", "--since", "all", "--post", "slack:CGONE", "--db", seeded_copy], capsys
    )
    assert code == 1
    assert t("cli.post_paused", "ko", where="slack:CGONE", reason="channel_not_found") in err
    assert fake_slack.token not in err
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


# -- rate limits ------------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["1", "soon"])
async def test_a_rate_limited_post_is_handed_back_with_its_wait(
    fake_slack: FakeSlack, header: str
) -> None:
    """429 with Retry-After: 1 (or a malformed header, read as 1 s): the poster does not post
    again on its own (the outbox's sender waits and claims the row again first)."""
    fake_slack.script("chat.postMessage", status=429, retry_after=header)
    poster = SlackPoster(settings_for(fake_slack))
    try:
        with pytest.raises(TemporaryFailure) as caught:
            await poster.send("C1", small_reply(), key="k1")
        assert caught.value.retry_after == pytest.approx(1.0)
        ids = await poster.send("C1", small_reply(), key="k1")
    finally:
        await poster.close()
    assert len(fake_slack.calls_to("chat.postMessage")) == 2
    assert len(fake_slack.posts("C1")) == 1
    assert len(ids) == 1 and re.fullmatch(r"\d+\.\d+", ids[0])


async def test_long_retry_after_is_left_to_the_caller(fake_slack: FakeSlack) -> None:
    fake_slack.script("chat.postMessage", status=429, retry_after="120")
    poster = SlackPoster(settings_for(fake_slack))
    with pytest.raises(TemporaryFailure) as caught:
        await poster.send("C1", small_reply(), key="k2")
    assert caught.value.retry_after == pytest.approx(120)
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_retry_after_values() -> None:
    """One parser for feeds and posts; a rate-limited post waits a second without a value."""
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(" 1.5 ") == 1.5
    assert parse_retry_after("soon") is None and retry_wait({"Retry-After": "soon"}) == 1.0
    assert parse_retry_after(None) is None and retry_wait({}) == 1.0
    assert parse_retry_after("-4") == 0.0
    assert parse_retry_after("nan") is None and retry_wait({"retry-after": "nan"}) == 1.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past
    later = datetime(2015, 10, 21, 7, 27, 30, tzinfo=UTC)
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=later) == 30.0
    assert retry_wait({"Retry-After": "2"}) == 2.0


# -- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code", ["invalid_auth", "channel_not_found", "not_in_channel", "is_archived"]
)
async def test_broken_destination_is_reported_once(
    fake_slack: FakeSlack, code: str, caplog: pytest.LogCaptureFixture
) -> None:
    fake_slack.script("chat.postMessage", error=code)
    poster = SlackPoster(settings_for(fake_slack))
    caplog.set_level(logging.DEBUG, logger="bot")
    with pytest.raises(DestinationBroken) as caught:
        await poster.send("C77", Reply(title="다이제스트", text="x"), key="k3")
    assert caught.value.reason == code  # the caller (outbox sender, CLI) reports it, once
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("bot.")]
    assert lines == [f"slack: cannot post to C77: {code}"]
    assert all(r.levelno == logging.DEBUG for r in caplog.records if r.name.startswith("bot."))
    assert fake_slack.token not in caplog.text
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


async def test_a_revoked_token_pauses_too(fake_slack: FakeSlack) -> None:
    poster = SlackPoster(settings_for(fake_slack, token="xoxb-revoked"))
    with pytest.raises(DestinationBroken) as caught:
        await poster.send("C1", small_reply(), key="k4")
    assert caught.value.reason == "invalid_auth"


async def test_connection_drop_is_not_reposted(fake_slack: FakeSlack) -> None:
    """The server took the post and hung up: maybe it arrived, so the poster must not resend."""
    fake_slack.script("chat.postMessage", drop=True)
    poster = SlackPoster(settings_for(fake_slack))
    with pytest.raises(TemporaryFailure) as caught:
        await poster.send("C1", small_reply(), key="k5")
    assert "may or may not have arrived" in caught.value.reason
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


async def test_server_errors_are_temporary_and_refusals_are_not(fake_slack: FakeSlack) -> None:
    poster = SlackPoster(settings_for(fake_slack))
    fake_slack.script("chat.postMessage", status=503)
    with pytest.raises(TemporaryFailure):
        await poster.send("C1", small_reply(), key="k6")
    fake_slack.script("chat.postMessage", error="msg_too_long")
    with pytest.raises(DeliveryError) as caught:
        await poster.send("C1", small_reply(), key="k6")
    assert not isinstance(caught.value, (TemporaryFailure, DestinationBroken))
    assert len(fake_slack.calls_to("chat.postMessage")) == 2  # no retries of either


async def test_unreachable_api_is_temporary() -> None:
    with FakeSlack() as slack:
        settings = settings_for(slack)
    poster = SlackPoster(settings)  # the port is closed now
    with pytest.raises(TemporaryFailure):
        await poster.send("C1", small_reply(), key="k7")


# -- long digests -----------------------------------------------------------------------------


def long_items(n: int) -> list[Article]:
    now = datetime(2025, 10, 1, tzinfo=UTC)
    body = ("엔비디아가 한국 정부와 GPU 26만 장 공급 계약을 맺었다. " * 200)[:5000]
    return [
        Article(
            id=i + 1,
            title=f"[{i + 1:02d}] 엔비디아 GPU 공급 기사 <!here> {i + 1}",
            url=f"https://news.example/{i + 1}?a=1&b=2",
            source=f"매체{i % 7}",
            origin="https://feeds.example/rss",
            published=now,
            seen_at=now,
            body=body,
            topics=["gpu_deal"],
            scores={"gpu_deal": 10.0 + i % 5},
            evidence=[
                {"topic": "gpu_deal", "term": t, "surface": t, "field": "body"}
                for t in ("GPU", "공급", "데이터센터", "26만 장", "엔비디아")
            ],
            entities=[
                {"kind": "gpu_count", "text": "26만 장", "value": 260000, "unit": "GPU"},
                {"kind": "money", "text": "5000억달러", "value": 5e11, "unit": "USD"},
            ],
        )
        for i in range(n)
    ]


async def test_sixty_item_digest_arrives_whole_in_several_messages(
    fake_slack: FakeSlack, topics: TopicSet
) -> None:
    items = long_items(60)
    digest = build_digest(items, topics, lang="ko")
    reply = digest_reply(digest, topics, "Asia/Seoul", "ko")
    poster = SlackPoster(settings_for(fake_slack))
    parts: list[tuple[int, str]] = []
    ids = await poster.send(
        "C60", reply, key="digest-60", on_part=lambda i, ts: parts.append((i, ts))
    )
    posts = fake_slack.posts("C60")
    assert 1 < len(posts) == len(ids)
    assert [i for i, _ in parts] == list(range(len(posts))) and [ts for _, ts in parts] == ids
    assert fake_slack.problems == []
    for post in posts:
        assert check_message(post) == []
    text = "\n".join(joined(p) for p in posts)
    for item in items:
        assert text.count(f"[{item.id:02d}] 엔비디아 GPU 공급 기사") == 1
    links = live_markup(text)
    assert len(links) == 60 and all(m.startswith("<https://news.example/") for m in links)
    assert "&lt;!here&gt;" in text
    metadata = [p["metadata"]["event_payload"] for p in posts]
    assert metadata == [
        {"key": "digest-60", "part": i, "parts": len(posts)} for i in range(len(posts))
    ]


async def test_resume_posts_only_the_remaining_parts(
    fake_slack: FakeSlack, topics: TopicSet
) -> None:
    digest = build_digest(long_items(60), topics, lang="ko")
    reply = digest_reply(digest, topics, "Asia/Seoul", "ko")
    poster = SlackPoster(settings_for(fake_slack))
    total = len(poster.render(reply))
    ids = await poster.send("C61", reply, key="digest-61", start_part=1)
    posts = fake_slack.posts("C61")
    assert len(ids) == len(posts) == total - 1
    assert posts[0]["blocks"] == poster.render(reply)[1]["blocks"]
