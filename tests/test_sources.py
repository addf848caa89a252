"""Issue 25: keyword sources — Google News and Naver News search — one item per article.

Real HTTP on loopback: :class:`NewsSearchFake` answers in both services' formats, a
:class:`FeedServer` on 127.0.0.2 is an outlet's own site (named 연합뉴스 in an operator's outlets
file, as yna.co.kr is in the built-in table).  Everything goes through ``newsbot`` or the chat
surfaces a user has.

The fixture of the acceptance test: Google News and Naver both return the same two articles
(A, 연합뉴스; B, 한국경제), the outlet's feed carries A and one more (C).  Three articles, so
exactly three items: Google's A and B meet the others on outlet + title + time (Google gives
only a redirect link), Naver's A and the feed's A share the publisher's URL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest

from bot.chat.commands import Commands
from bot.chat.discord.adapter import build_client
from bot.chat.slack.post import SlackPoster
from bot.config.settings import Settings
from bot.delivery.planner import Planner
from bot.delivery.sender import Sender
from bot.ingest.poller import Poller
from bot.present.i18n import t
from bot.runtime.app import App
from bot.store import Place
from bot.store.views import Schedule
from tests.helpers import run_cli
from tests.helpers.chat import SECRET, sign, slack_endpoint, slack_text, slash_body
from tests.helpers.fakes.discord_api import FakeDiscord
from tests.helpers.fakes.news_search import (
    CLIENT_ID,
    CLIENT_SECRET,
    RATE_LIMITED,
    NewsSearchFake,
    Story,
)
from tests.helpers.fakes.slack_api import FakeSlack, texts
from tests.helpers.feedserver import FeedServer, canned, rss

OUTLET, OUTLET_HOST = "연합뉴스", "127.0.0.2"
QUERY = "소버린 AI"
A_TITLE = '과기정통부, "소버린 AI" 독자 파운데이션 모델 2차 평가 일정 공개'
B_TITLE = "국내 클라우드 3사, 소버린 AI 데이터센터에 GPU 1만장 추가 배치"
C_TITLE = "소버린 AI 인재 양성 사업 공모에 대학 40곳 지원"
A_TIME = datetime(2025, 10, 31, 1, 0, tzinfo=UTC)
B_TIME = datetime(2025, 10, 31, 2, 30, tzinfo=UTC)
C_TIME = datetime(2025, 10, 31, 0, 15, tzinfo=UTC)


@dataclass
class World:
    db: str
    fake: NewsSearchFake
    outlet: FeedServer

    def cli(self, capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> str:
        got, out, err = run_cli([*args, "--db", self.db], capsys)
        assert got == code, err
        return out + err

    def json(self, capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> Any:
        got, out, err = run_cli([*args, "--db", self.db, "--format", "json"], capsys)
        assert got == code, err
        return json.loads(out)

    def site(self, path: str) -> str:
        return self.outlet.url(path, host=OUTLET_HOST)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(
    request: pytest.FixtureRequest, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[World]:
    if request.param == "postgres":
        db_url = request.getfixturevalue("pg_url")
    table = tmp_path / "outlets.toml"
    table.write_text(f'[outlets]\n"{OUTLET}" = ["{OUTLET_HOST}"]\n', encoding="utf-8")
    monkeypatch.setenv("NEWSBOT_OUTLETS_FILE", str(table))
    monkeypatch.setenv("NEWSBOT_ALLOW_PRIVATE_FEEDS", "1")
    monkeypatch.setenv("NAVER_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("NAVER_CLIENT_SECRET", CLIENT_SECRET)
    with NewsSearchFake() as fake, FeedServer(OUTLET_HOST) as outlet:
        monkeypatch.setenv("NEWSBOT_GOOGLE_NEWS_URL", fake.url)
        monkeypatch.setenv("NEWSBOT_NAVER_API_URL", fake.url)
        yield World(db_url, fake, outlet)


def two_articles(w: World) -> tuple[Story, Story]:
    a = Story(
        title=A_TITLE,
        url=w.site("/view/AKR20251031000100017?input=1195m"),
        outlet=OUTLET,
        home=w.site("/"),
        published=A_TIME,
        description="정부가 소버린 AI 프로젝트에 참여한 정예팀의 2차 평가 일정을 공개했다.",
        naver_aid="0015700001",
    )
    b = Story(
        title=B_TITLE,
        url="https://www.hankyung.com/article/2025103112345",
        outlet="한국경제",
        home="https://www.hankyung.com",
        published=B_TIME,
        description="클라우드 기업들이 소버린 AI 수요에 맞춰 GPU를 추가로 들여온다.",
        naver_oid="015",
        naver_aid="0005200002",
    )
    return a, b


def outlet_feed(w: World, a: Story) -> None:
    items = [
        {
            "title": A_TITLE,
            "link": w.site("/view/AKR20251031000100017?utm_source=rss"),
            "guid": "AKR20251031000100017",
            "description": a.description + " 평가는 다음 달 초 진행된다.",
            "pubDate": "Fri, 31 Oct 2025 10:00:00 +0900",
        },
        {
            "title": C_TITLE,
            "link": w.site("/view/AKR20251031000200017"),
            "guid": "AKR20251031000200017",
            "description": "소버린 AI 전문 인력을 기르는 사업에 대학 40곳이 지원했다.",
            "pubDate": "Fri, 31 Oct 2025 09:15:00 +0900",
        },
    ]
    w.outlet.route("/rss/news.xml", canned(rss(items, title=OUTLET)))


@pytest.mark.usefixtures("english")  # the CLI's English lines
def test_google_naver_and_a_feed_store_each_article_once(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    w = world
    a, b = two_articles(w)
    w.fake.google[QUERY] = [a, b]
    w.fake.naver[QUERY] = [a, b]
    outlet_feed(w, a)
    assert "added source #1" in w.cli(capsys, "sources", "add", "google", QUERY)
    assert "added source #2" in w.cli(capsys, "sources", "add", "naver", "소버린", "AI")
    w.cli(capsys, "feeds", "add", w.site("/rss/news.xml"))

    report = w.json(capsys, "poll", "--all")
    assert report["items_ingested"] == 3, report
    items = w.json(capsys, "search", "소버린", "--since", "all")["items"]
    got = {i["title"]: (i["source"], i["published"], i["url"]) for i in items}
    assert got == {
        # Google's copy (a redirect link) was replaced by the publisher's URL, tracking dropped
        A_TITLE: (OUTLET, "2025-10-31T01:00:00+00:00", w.site("/view/AKR20251031000100017")),
        B_TITLE: ("한국경제", "2025-10-31T02:30:00+00:00", b.url),
        C_TITLE: (OUTLET, "2025-10-31T00:15:00+00:00", w.site("/view/AKR20251031000200017")),
    }
    # Naver was asked as documented, with the application's keys
    [call] = w.fake.naver_calls()
    assert call == {"query": QUERY, "display": "100", "start": "1", "sort": "date"}
    naver_headers = next(h for p, _, h in w.fake.requests if p == "/v1/search/news.json")
    assert naver_headers["X-Naver-Client-Id"] == CLIENT_ID
    google = next(p for path, p, _ in w.fake.requests if path == "/rss/search")
    assert google == {"q": QUERY, "hl": "ko", "gl": "KR", "ceid": "KR:ko"}

    again = w.json(capsys, "poll", "--all")
    assert again["items_ingested"] == 0 and again["feed_errors"] == 0
    assert len(w.fake.naver_calls()) == 2  # one page: the newest item was already seen
    listed = w.cli(capsys, "sources", "list")
    assert t("sources.quota", "en", used="2", quota="25,000", share="0.0%") in listed
    assert "Google News “소버린 AI”" in listed and "Naver “소버린 AI”" in listed


def test_naver_pages_back_to_what_the_last_poll_saw_and_no_further(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    w = world

    def batch(first: int, n: int, start: datetime) -> list[Story]:
        return [
            Story(
                title=f"반도체 수출 동향 {i}호",
                url=f"https://www.etnews.com/2025103{i:04d}",
                outlet="전자신문",
                home="https://www.etnews.com",
                published=start + timedelta(minutes=i - first),
                description=f"반도체 수출 동향 {i}호 기사 본문.",
                naver_oid="030",
                naver_aid=f"{i:010d}",
            )
            for i in range(first, first + n)
        ]

    w.fake.naver["반도체"] = batch(0, 150, datetime(2025, 10, 30, tzinfo=UTC))
    w.cli(capsys, "sources", "add", "naver", "반도체")
    first = w.json(capsys, "poll", "--all")
    assert first["items_ingested"] == 100  # a first poll reads one page (the newest 100)
    w.fake.naver["반도체"] += batch(150, 120, datetime(2025, 10, 31, tzinfo=UTC))
    second = w.json(capsys, "poll", "--all")
    assert second["items_ingested"] == 120
    starts = [c["start"] for c in w.fake.naver_calls()]
    assert starts == ["1", "1", "101"]  # page 2 reached what the first poll saw: no page 3


def test_naver_markup_and_entities_come_out_clean(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    w = world
    a, _ = two_articles(w)
    w.fake.naver["AI"] = [a]  # the title's quotes arrive as &quot;, the query word in <b>
    w.cli(capsys, "sources", "add", "naver", "AI")
    w.cli(capsys, "poll", "--all")
    raw = w.fake.requests[-1]
    assert raw[0] == "/v1/search/news.json"
    [item] = w.json(capsys, "search", "파운데이션", "--since", "all")["items"]
    assert item["title"] == A_TITLE  # no <b>, no &quot;
    assert item["origin"] == "https://n.news.naver.com/mnews/article/001/0015700001?sid=105"
    why = w.json(capsys, "why", str(item["id"]))
    assert "<b>" not in json.dumps(why, ensure_ascii=False)


def test_google_titles_lose_the_outlet_and_english_is_asked_for(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    w = world
    _, b = two_articles(w)
    b.home = "https://www.unknown-outlet.example"
    w.fake.google["sovereign AI"] = [b]
    out = w.cli(capsys, "sources", "add", "google", "sovereign AI", "--lang", "en")
    assert "Google News “sovereign AI”" in out
    w.cli(capsys, "poll", "--all")
    google = next(p for path, p, _ in w.fake.requests if path == "/rss/search")
    assert (google["hl"], google["gl"], google["ceid"]) == ("en-US", "US", "US:en")
    [item] = w.json(capsys, "search", "클라우드", "--since", "all")["items"]
    assert item["title"] == B_TITLE  # " - 한국경제" dropped
    assert item["source"] == "unknown-outlet.example"  # an unknown domain shows the domain
    assert item["url"].startswith(w.fake.url + "/rss/articles/")  # the link as given


def test_a_google_link_that_names_the_article_gives_the_publishers_url(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    w = world
    _, b = two_articles(w)
    b.google_url_param = True
    w.fake.google[QUERY] = [b]
    w.cli(capsys, "sources", "add", "google", QUERY)
    w.cli(capsys, "poll", "--all")
    [item] = w.json(capsys, "search", "클라우드", "--since", "all")["items"]
    assert (item["url"], item["source"]) == (b.url, "한국경제")
    assert item["origin"].startswith(w.fake.url + "/news/url?")  # Google's link, kept as given


@pytest.mark.usefixtures("english")  # the CLI's English lines
def test_bad_input_is_one_line_and_adds_nothing(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    w = world
    assert "a source is google or naver" in w.cli(capsys, "sources", "add", "bing", "x", code=2)
    out = w.cli(capsys, "sources", "add", "naver", "AI", "--lang", "en", code=2)
    assert "Korean only" in out and "Traceback" not in out
    assert "a query is needed" in w.cli(capsys, "sources", "add", "google", '""', code=2)
    w.cli(capsys, "db", "upgrade")  # the bad adds made no database; `list` reads one
    assert "no keyword sources yet" in w.cli(capsys, "소스", "list")  # the Korean word too
    assert "No keyword source #7" in w.cli(capsys, "sources", "remove", "7", code=1)
    shown = w.cli(capsys, "config")
    assert "NAVER_CLIENT_SECRET" in shown and CLIENT_SECRET not in shown


def test_the_service_urls_pass_the_private_address_guard(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSBOT_NAVER_API_URL", "http://127.0.0.1:9")
    code, out, err = run_cli(["sources", "add", "naver", QUERY, "--db", db_url], capsys)
    assert code == 2 and "127.0.0.1" in err and "NEWSBOT_ALLOW_PRIVATE_FEEDS" in err


@pytest.mark.usefixtures("english")  # the CLI's English lines
def test_naver_429_backs_off_and_401_pauses_the_source_and_tells_the_channel_once(
    world: World, capsys: pytest.CaptureFixture[str], fake_slack: FakeSlack
) -> None:
    w = world
    a, b = two_articles(w)
    w.fake.naver[QUERY] = [a, b]
    w.cli(capsys, "sources", "add", "naver", QUERY)
    w.fake.fail(429, RATE_LIMITED, **{"Retry-After": "3600"})
    first = w.json(capsys, "poll", "--all", code=1)["feeds"][0]  # every source failed: 1
    assert not first["ok"] and "errorCode 012" in first["error"]
    assert not first["disabled_now"]
    due = datetime.fromisoformat(first["next_due_at"])
    polled = datetime.fromisoformat(
        w.json(capsys, "sources", "list")["sources"][0]["last_polled_at"]
    )
    assert (due - polled).total_seconds() >= 3600  # at least Retry-After, and doubling
    assert "no feeds due" in w.cli(capsys, "poll")  # backing off: not asked again
    assert len(w.fake.naver_calls()) == 1
    for _ in range(12):  # rate limits never pause a source, however many
        w.cli(capsys, "poll", "--all", code=1)
    assert w.json(capsys, "sources", "list")["sources"][0]["disabled"] is False

    w.fake.fail(None)
    settings = Settings.from_env(
        database_url=w.db,
        naver_client_secret="a-revoked-secret",
        slack_bot_token=fake_slack.token,
        slack_api_url=fake_slack.api_url,
    )
    app = App(settings)
    try:
        app.store.subscribe(
            Place("slack", "T1", "C1"), {"sovereign_ai": Schedule("09:00", "Asia/Seoul", False)}
        )
        report = Poller(app.store, app.settings).poll_sync(everything=True)
        [outcome] = report.outcomes
        assert outcome.disabled_now and "errorCode 024" in (outcome.error or "")
        planner = Planner(app)
        sender = Sender(app, {"slack": SlackPoster(settings)}, holder="test")
        import asyncio

        for _ in range(2):
            planner.plan(app.clock.now())
            asyncio.run(sender.deliver())
    finally:
        app.close()
    notices = [
        p for p in fake_slack.posts("C1") if "paused" in slack_text(p) or "중지" in slack_text(p)
    ]
    assert len(notices) == 1
    assert "Naver “소버린 AI”" in slack_text(notices[0])
    assert "a-revoked-secret" not in slack_text(notices[0])
    listed = w.cli(capsys, "sources", "list")
    assert "paused" in listed and "NAVER_CLIENT_ID" in listed
    calls = len(w.fake.naver_calls())
    w.cli(capsys, "poll", "--all")
    assert len(w.fake.naver_calls()) == calls  # a paused source is left alone


@pytest.mark.usefixtures("english")  # the CLI's English lines
def test_sources_go_to_opml_and_come_back(
    world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    w = world
    w.cli(capsys, "sources", "add", "google", QUERY)
    w.cli(capsys, "sources", "add", "naver", QUERY)
    opml = tmp_path / "feeds.opml"
    w.cli(capsys, "feeds", "export", "-o", str(opml))
    text = opml.read_text(encoding="utf-8")
    assert 'type="google"' in text and 'type="naver"' in text and f'query="{QUERY}"' in text
    other = f"sqlite:///{tmp_path / 'other.db'}"
    code, out, err = run_cli(["feeds", "import", str(opml), "--db", other], capsys)
    assert code == 0, err
    assert "2 keyword sources: 2 added" in out
    code, out, _ = run_cli(["sources", "list", "--format", "json", "--db", other], capsys)
    back = json.loads(out)["sources"]
    assert [(s["kind"], s["query"], s["lang"]) for s in back] == [
        ("google", QUERY, "ko"),
        ("naver", QUERY, "ko"),
    ]


# -- chat: Slack (signed) and Discord ---------------------------------------------------------


async def test_sources_add_from_slack_and_discord_is_fetched_by_the_next_poll(
    world: World, fake_slack: FakeSlack
) -> None:
    w = world
    a, b = two_articles(w)
    w.fake.naver[QUERY] = [a]
    w.fake.naver["GPU 계약"] = [b]
    settings = Settings.from_env(
        database_url=w.db,
        slack_bot_token=fake_slack.token,
        slack_signing_secret=SECRET,
        slack_api_url=fake_slack.api_url,
        discord_sync="none",
    )
    app = App(settings)
    try:
        async with slack_endpoint(app) as events, aiohttp.ClientSession() as session:
            asked: list[str] = []

            async def slack(text: str) -> str:
                """A signed ``/news <text>``: its answer (the ack, or the response it posts)."""
                rid = f"r{len(asked)}"
                asked.append(rid)
                body = slash_body(text, fake_slack.response_url(rid))
                headers = {**sign(body), "Content-Type": "application/x-www-form-urlencoded"}
                url = events
                async with session.post(url, data=body, headers=headers) as resp:
                    assert resp.status == 200
                    raw = await resp.text()
                ack = json.loads(raw).get("text", "") if raw.startswith("{") else raw
                if ack and "찾는 중" not in ack:
                    return str(ack)
                assert await fake_slack.wait_async(lambda: fake_slack.responses(rid), timeout=10)
                return "\n".join(texts(fake_slack.responses(rid)))

            added = await slack("sources add naver 소버린 AI")
            assert "#1" in added and "Naver “소버린 AI”" in added
            forged = slash_body("sources add naver 다른 검색어", fake_slack.response_url("r2"))
            bad = {
                **sign(forged, secret="not-the-secret"),
                "Content-Type": "application/x-www-form-urlencoded",
            }
            async with session.post(events, data=forged, headers=bad) as resp:
                assert resp.status == 401

            async with FakeDiscord() as fake_discord:
                dsettings = Settings.from_env(
                    database_url=w.db,
                    discord_bot_token=fake_discord.token,
                    discord_api_url=fake_discord.api_url,
                    discord_sync="none",
                )
                dapp = App(dsettings)
                client = build_client(dapp, Commands(dapp))
                await client.login(fake_discord.token)
                try:
                    payload = fake_discord.interaction(
                        "sources", {"action": "add", "kind": "naver", "value": "GPU 계약"}
                    )
                    interaction = discord.Interaction(data=payload, state=client._connection)  # type: ignore[arg-type]
                    await client.tree._call(interaction)
                    shown = "\n".join(m.visible() for m in fake_discord.replies(payload["token"]))
                    assert "#2" in shown and "GPU 계약" in shown
                finally:
                    await client.close()
                    dapp.close()

            report = await Poller(app.store, app.settings).poll()
            assert report.items_ingested == 2
            assert {c["query"] for c in w.fake.naver_calls()} == {QUERY, "GPU 계약"}

            listed = await slack("sources list")
            assert f"#1 Naver “소버린 AI” [{t('health.ok', 'ko')}]" in listed
            assert "새 기사 1건" in listed
            assert "오늘 네이버 API 사용량: 2/25,000회" in listed
    finally:
        app.close()


def test_a_watch_that_names_a_source_follows_its_terms_there(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    """``watch add … follow:naver`` (the console here; Slack and Discord share the command):
    the watch is saved, and its terms become a keyword source the next poll fetches."""
    from bot.chat.console import console_context

    w = world
    a, _ = two_articles(w)
    w.fake.naver["파운데이션 모델"] = [a]
    app = App(Settings.from_env(database_url=w.db))
    try:
        commands = Commands(app)
        bad = commands.handle("watch add 모델 파운데이션 모델 follow:bing", console_context())
        assert "google 또는 naver" in bad.text
        preview = commands.handle("watch add 모델 파운데이션 모델 follow:naver", console_context())
        assert preview.confirm is not None  # the Save button saves what was previewed, follow too
        assert preview.confirm.command == "watch add 모델 파운데이션 모델 follow:naver --yes"
        assert app.store.watches() == []  # a preview saves nothing
        reply = commands.handle(preview.confirm.command, console_context())
        assert "키워드 소스 #1 Naver “파운데이션 모델”" in reply.text
        report = Poller(app.store, app.settings).poll_sync()
        assert report.items_ingested == 1
    finally:
        app.close()
    assert [c["query"] for c in w.fake.naver_calls()] == ["파운데이션 모델"]
    assert "모델" in w.cli(capsys, "watch", "list")


@pytest.mark.usefixtures("english")  # the CLI's English lines
def test_a_language_no_source_has_is_one_line_on_the_cli_and_in_the_console(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``sources.bad_lang`` names its value ``lang``, as the message catalogue's ``t()`` names
    its own language: the message is shown, not a traceback, and the console carries on."""
    code, out, err = run_cli(
        ["sources", "add", "google", "x", "--lang", "fr", "--db", db_url], capsys
    )
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "'fr'" in err and "--lang" in err
    assert "Traceback" not in err
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--db", db_url, "console"],
        input="/news sources add google x lang:fr\n/news topics\n",
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    first, rest = done.stdout.split("\n", 1)
    assert "'fr'" in first
    assert "apec" in rest  # the next command is still answered
