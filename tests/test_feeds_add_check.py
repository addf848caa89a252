"""Issue 26, feeds: ``feeds add`` fetches and parses a new feed once and says what it found (its
title and item count), or why it is no feed (an HTTP error, an HTML page, nothing listening);
such a URL is not added.  In the CLI and in chat alike, against real servers on 127.0.0.1."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from bot.config.settings import Settings
from bot.present.i18n import t
from bot.runtime.app import App
from tests.helpers import run_cli
from tests.helpers.bot import Bot, MakeBot
from tests.helpers.chat import SECRET, sign, slack_endpoint, slash_body
from tests.helpers.fakes.slack_api import FakeSlack, texts
from tests.helpers.feedserver import FeedServer, Handler, Responder, canned, closed_port, rss
from tests.helpers.stories import story

Capsys = pytest.CaptureFixture[str]
HTML = b"<!DOCTYPE html><html><head><title>Home</title></head><body>news</body></html>"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FeedServer]:
    monkeypatch.setenv("NEWSBOT_ALLOW_PRIVATE_FEEDS", "1")
    with FeedServer() as s:
        s.route("/feed.xml", canned(rss([story(1), story(2), story(3)], title="테크 데일리")))
        s.route("/home", canned(HTML, headers={"Content-Type": "text/html; charset=utf-8"}))
        yield s


def listed(db_url: str, capsys: Capsys) -> str:
    code, out, _ = run_cli(["feeds", "list", "--db", db_url], capsys)
    assert code == 0
    return out


@pytest.mark.usefixtures("english")  # the CLI's English lines
def test_the_cli_says_what_a_new_feed_holds(
    server: FeedServer, db_url: str, capsys: Capsys
) -> None:
    url = server.url("/feed.xml")
    code, out, err = run_cli(["feeds", "add", url, "--db", db_url], capsys)
    assert code == 0, err
    assert out.strip() == f"added feed #1: {url} (every 15m): ‘테크 데일리’, 3 items now"
    assert server.hits["/feed.xml"] == 1
    code, out, _ = run_cli(["feeds", "add", url, "--db", db_url], capsys)  # already there
    assert out.strip() == f"already present as feed #1: {url}"
    assert server.hits["/feed.xml"] == 1  # not fetched again


@pytest.mark.usefixtures("english")  # the CLI's English lines
@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing.xml", "HTTP 404"),
        ("/home", "not a feed: this is an HTML page (add the site's RSS or Atom address)"),
    ],
)
def test_the_cli_adds_no_feed_it_cannot_read_and_says_why(
    server: FeedServer, db_url: str, capsys: Capsys, path: str, reason: str
) -> None:
    url = server.url(path)
    code, out, err = run_cli(["feeds", "add", url, "--db", db_url], capsys)
    line = " ".join(err.split())
    assert code == 2 and out == ""
    assert line.startswith(f"error: Not added: {url} — ") and reason in line
    assert "Traceback" not in err
    assert "no feeds yet" in listed(db_url, capsys)


@pytest.mark.usefixtures("english")  # the CLI's English lines
def test_nothing_listening_is_said_and_no_check_adds_it_anyway(
    server: FeedServer, db_url: str, capsys: Capsys
) -> None:
    url = f"http://127.0.0.1:{closed_port()}/rss.xml"
    code, _, err = run_cli(["feeds", "add", url, "--db", db_url], capsys)
    assert code == 2 and " ".join(err.split()).startswith(f"error: Not added: {url} — ")
    assert "no feeds yet" in listed(db_url, capsys)
    code, out, err = run_cli(["feeds", "add", url, "--no-check", "--db", db_url], capsys)
    assert code == 0 and out.strip() == f"added feed #1: {url} (every 15m)"  # unread: no count
    assert url in listed(db_url, capsys)


@pytest.fixture
def bot(make_bot: MakeBot, tmp_path: Path) -> Bot:
    return make_bot(f"sqlite:///{tmp_path / 'chat.db'}", allow_private_feeds=True)


def test_chat_says_what_a_new_feed_holds_in_the_users_language(
    server: FeedServer, bot: Bot
) -> None:
    url = server.url("/feed.xml")
    said = bot(f"/news feeds add {url}", lang="en")
    assert said == f"Added feed #1: {url} — ‘테크 데일리’, 3 items now"
    other = server.route("/other.xml", canned(rss([story(4)], title="")))
    said = bot(f"/news feeds add {other}", lang="ko")
    assert said == f"피드를 추가했습니다 (#2): {other} — 제목 없는 피드, 지금 항목 1개"


def test_chat_adds_no_feed_it_cannot_read(server: FeedServer, bot: Bot) -> None:
    # why, in the channel's language (the stored English cause worded from the catalog)
    http_404, html = t("fetch.http", "ko", status=404, phrase=""), t("fetch.html_page", "ko")
    for path, reason in (("/missing.xml", http_404), ("/home", html)):
        url = server.url(path)
        said = bot(f"/news feeds add {url}")
        assert said.startswith(f"피드를 추가하지 않았습니다: {url} — ")
        assert reason in said and "Traceback" not in said
    assert bot.store.list_feeds() == []


def slow_feed(body: bytes, delay: float) -> Responder:
    def respond(h: Handler) -> None:
        time.sleep(delay)
        canned(body)(h)

    return respond


async def test_slack_acknowledges_at_once_while_the_feed_is_fetched_and_escapes_its_title(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    """Slack gives a command 3 s: `feeds add` says it is working first, then what it found;
    the feed's own title cannot ping the channel."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'slack.db'}",
        slack_bot_token=fake_slack.token,
        slack_signing_secret=SECRET,
        slack_api_url=fake_slack.api_url,
        allow_private_feeds=True,
    )
    app = App(settings)
    try:
        async with slack_endpoint(app) as events:
            with FeedServer() as site:
                feed = rss([story(1)], title="<!channel> 속보 @here")
                url = site.route("/slow.xml", slow_feed(feed, 3.5))
                body = slash_body(f"feeds add {url}", fake_slack.response_url("add"), team="T1")
                headers = {**sign(body), "Content-Type": "application/x-www-form-urlencoded"}
                started = time.monotonic()
                async with (
                    aiohttp.ClientSession() as session,
                    session.post(events, data=body, headers=headers) as resp,
                ):
                    assert resp.status == 200
                    raw = await resp.text()
                assert time.monotonic() - started < 3
                ack = json.loads(raw).get("text", "") if raw.startswith("{") else raw
                assert "찾는 중" in ack  # a "working" line first (Discord defers the same way)
                assert await fake_slack.wait_async(lambda: fake_slack.responses("add"), timeout=15)
            shown = "\n".join(texts(fake_slack.responses("add")))
            assert "피드를 추가했습니다 (#1)" in shown and "지금 항목 1개" in shown
            assert "<!channel>" not in shown and "@here" not in shown  # no ping from its title
            assert "속보" in shown
    finally:
        app.close()
