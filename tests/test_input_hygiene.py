"""Nothing lost, nothing wrong: what a new user tried that gave wrong results or lost data.

Each test names the item of the report it covers (dates, boilerplate items, feed URLs, secrets
in settings, spoofing characters, bad arguments, tracking parameters, titles, outlets)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.chat.commands import Context
from bot.chat.discord.render import render_reply as discord_render
from bot.chat.slack.render import render_reply as slack_render
from bot.config.settings import Settings
from bot.present.compose import digest_reply
from bot.present.i18n import t
from bot.present.reply import Card, Fact, Link, Reply, Section, Story
from bot.runtime.app import App
from bot.services import digests
from bot.store import Window
from bot.store.views import Place
from tests.helpers import SEEDS, run_cli
from tests.helpers.bot import Bot, MakeBot
from tests.helpers.feedserver import FeedServer, canned, rss

Capsys = pytest.CaptureFixture[str]
BOILERPLATE = "자세한 내용은 원문을 확인하세요."


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as s:
        yield s


def _page(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _why(db: str, ref: str, capsys: Capsys) -> dict[str, object]:
    code, out, err = run_cli(["why", ref, "--format", "json", "--db", db], capsys)
    assert code == 0, err
    data: dict[str, object] = json.loads(out)
    return data


# -- 2: dates ------------------------------------------------------------------------------------

BODY = "엔비디아가 한국에 GPU 26만 장을 공급한다고 밝혔다. 정부와 기업이 나눠 받는다.\n" * 3


def test_dates_keep_the_afternoon_the_page_meta_and_a_date_alone(
    tmp_path: Path, db_url: str, capsys: Capsys
) -> None:
    _page(tmp_path, "a_pm.txt", f"엔비디아 GPU 공급\n입력 2025.10.31 오후 3:10\n{BODY}")
    _page(
        tmp_path,
        "b_meta.html",
        '<html><head><meta property="article:published_time" content="2025-10-31T15:10:00+09:00">'
        f"</head><body><h1>엔비디아 GPU 공급 2</h1><p>{BODY}</p></body></html>",
    )
    _page(tmp_path, "c_date.txt", f"엔비디아 GPU 공급 3\n게재 일자 : 2025년 10월 31일(금)\n{BODY}")
    _page(tmp_path, "d_en.txt", f"Nvidia GPU supply\nPublished: 2025-10-02\n{BODY}")
    assert run_cli(["ingest", str(tmp_path / "pages"), "--db", db_url], capsys)[0] == 0

    assert _why(db_url, "a_pm", capsys)["published"] == "2025-10-31T06:10:00+00:00"
    assert _why(db_url, "b_meta", capsys)["published"] == "2025-10-31T06:10:00+00:00"
    assert _why(db_url, "c_date", capsys)["published"] == "2025-10-31"  # no invented midnight
    assert _why(db_url, "d_en", capsys)["published"] == "2025-10-02"
    code, out, _ = run_cli(["why", "c_date", "--db", db_url], capsys)
    assert code == 0 and "2025-10-31" in out and "2025-10-31 00:00" not in out
    assert "2025-10-31 09:00" not in out and "2025-10-31 12:00" not in out


# -- 3: distinct items sharing a boilerplate description ----------------------------------------


def test_feed_items_sharing_a_boilerplate_description_are_all_stored(
    server: FeedServer, db_url: str, capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSBOT_ALLOW_PRIVATE_FEEDS", "1")
    items = [
        {"title": f"오늘의 소식 {n}", "link": f"https://news.example.kr/{n}", "guid": f"g{n}",
         "description": BOILERPLATE}
        for n in range(3)
    ]  # fmt: skip
    items.append(items[0] | {"guid": "g0-again"})  # the same item again: still stored once
    url = server.route("/feed", canned(rss(items)))
    assert run_cli(["feeds", "add", url, "--db", db_url], capsys)[0] == 0
    code, out, err = run_cli(["poll", "--format", "json", "--db", db_url], capsys)
    assert code == 0, err
    assert json.loads(out)["items_ingested"] == 3


# -- 5: feed URLs, secrets in settings -----------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["http://127.1/rss", "http://2130706433/rss", "http://0x7f.1/rss", "http://[::1]/rss"]
)
def test_chat_refuses_the_private_addresses_the_cli_refuses(
    url: str, db_url: str, capsys: Capsys, make_bot: MakeBot
) -> None:
    bot = make_bot(db_url)
    reply = bot.commands.handle(f"feeds add {url}", bot.ctx)
    assert reply.error and "NEWSBOT_ALLOW_PRIVATE_FEEDS" in (reply.text or "")
    assert bot.store.list_feeds() == []
    code, _, err = run_cli(["feeds", "add", url, "--db", db_url], capsys)
    # one wording of the error (issue 24): the CLI's line is chat's reply, in the same language
    assert code == 2 and " ".join(err.split()) == f"error: {' '.join((reply.text or '').split())}"


def test_an_html_page_polled_as_a_feed_is_called_an_html_page(
    server: FeedServer, db_url: str, capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSBOT_ALLOW_PRIVATE_FEEDS", "1")
    page = b"<!DOCTYPE html><html><head><title>Home</title></head><body>news</body></html>"
    url = server.route("/home", canned(page, headers={"Content-Type": "text/html; charset=utf-8"}))
    assert run_cli(["feeds", "add", url, "--no-check", "--db", db_url], capsys)[0] == 0
    code, _, err = run_cli(["poll", "--db", db_url], capsys)
    html = t("fetch.html_page", "ko")  # the default language's wording of the stored cause
    assert code == 1 and html in err and "DTD" not in err  # its only feed failed


def test_feed_passwords_are_never_shown(
    db_url: str,
    capsys: Capsys,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    make_bot: MakeBot,
) -> None:
    url = "https://reader:hunter2@feeds.example.com/private.xml"
    code, out, _ = run_cli(["feeds", "add", url, "--no-check", "--db", db_url], capsys)
    assert code == 0 and "hunter2" not in out and "reader:***@feeds.example.com" in out
    code, out, _ = run_cli(["feeds", "list", "--db", db_url], capsys)
    assert "hunter2" not in out
    listed = make_bot(db_url)("/news feeds list")
    assert "hunter2" not in listed and "feeds.example.com" in listed
    code, out, _ = run_cli(["feeds", "export", "--db", db_url], capsys)
    assert "hunter2" in out  # the OPML backup keeps what is needed to fetch it


def test_database_url_secrets_files_and_bad_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Capsys
) -> None:
    monkeypatch.setenv("NEWSBOT_DATABASE_URL", "postgresql://u@db.example/news?password=s3cret")
    code, out, _ = run_cli(["config", "--format", "json"], capsys)
    assert code == 0 and "s3cret" not in out and "password=***" in out

    secret = tmp_path / "db-url"
    secret.write_text("postgresql://newsbot:t0psecret@db.example/news\n", encoding="utf-8")
    monkeypatch.delenv("NEWSBOT_DATABASE_URL")
    monkeypatch.setenv("NEWSBOT_DATABASE_URL_FILE", str(secret))
    code, out, _ = run_cli(["config", "--format", "json"], capsys)
    shown = json.loads(out)["NEWSBOT_DATABASE_URL"]
    assert shown == "postgresql://newsbot:***@db.example/news"

    secret.write_bytes(b"postgresql://x:\xff\xfe@db/news")  # not UTF-8
    code, out, err = run_cli(["config"], capsys)
    assert code == 2 and out == ""
    not_utf8 = t("setting.not_utf8", "ko", var="NEWSBOT_DATABASE_URL_FILE", path=secret)
    assert err.strip() == f"error: {not_utf8}"


# -- 6: spoofing characters ----------------------------------------------------------------------


def test_bidi_and_zero_width_characters_reach_no_channel_and_hide_no_word(
    tmp_path: Path, db_url: str, capsys: Capsys
) -> None:
    spoof = "엔\u200b비디아, 한국에 GPU 26만 장 공급 \u202egpj.exe"
    body = "엔\u200b비디아\u200d가 정부와 기업에 GPU 26만 장을 공급하는 계약을 맺었다.\n" * 4
    _page(tmp_path, "spoof.txt", f"{spoof}\n{body}")
    assert run_cli(["ingest", str(tmp_path / "pages"), "--db", db_url], capsys)[0] == 0
    item = _why(db_url, "spoof", capsys)
    assert "gpu_deal" in item["topics"]  # type: ignore[operator]
    assert item["title"] == "엔비디아, 한국에 GPU 26만 장 공급 gpj.exe"
    code, out, _ = run_cli(["search", "엔비디아", "--format", "json", "--db", db_url], capsys)
    assert [i["id"] for i in json.loads(out)["items"]] == [item["id"]]  # the word is whole
    app = App(Settings(database_url=db_url))
    try:
        digest = digests.collect(app, Window(), lang="ko")
        reply = digest_reply(digest, app.topics, "Asia/Seoul", "ko")
    finally:
        app.close()
    for payload in [*slack_render(reply), *discord_render(reply)]:
        text = json.dumps(payload, ensure_ascii=False)
        assert "엔비디아, 한국에 GPU" in text
        for ch in ("\u202e", "\u200b", "\u200d"):
            assert ch not in text


HOSTILE = "".join(map(chr, [*range(0x20), 0x7F, 0x85, 0x2028, 0x2029, 0x202E, 0x200B, 0xFEFF]))


def _kept(payloads: list[dict[str, object]]) -> set[str]:
    """The characters of HOSTILE still in any string of the payloads."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.update(ch for ch in value if ch in HOSTILE)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(payloads)
    return found


def test_slack_and_discord_strip_the_same_characters() -> None:
    card = Card(
        7,
        f"제목{HOSTILE}끝",
        "https://news.example.kr/a",
        f"연합뉴스{HOSTILE}",
        facts=[Fact(f"라벨{HOSTILE}", f"값{HOSTILE}")],
        snippet=f"요약{HOSTILE}",
        story=Story(f"3개 매체{HOSTILE}", [Link(f"뉴시스{HOSTILE}", "https://n.example.kr/")]),
    )
    reply = Reply(
        title=f"다이제스트{HOSTILE}",
        text=f"첫 줄{HOSTILE}\n둘째 줄",
        sections=[Section(f"주제{HOSTILE}", [card])],
        footer=f"끝{HOSTILE}",
    )
    slack, discord = _kept(slack_render(reply)), _kept(discord_render(reply))
    assert slack == discord == {"\t", "\n"}  # line ends and tabs are the text's own


@pytest.mark.parametrize("brk", ["\u2028", "\u2029", "\x85", "\r\n", "\r"])
def test_a_line_separator_in_feed_text_keeps_the_words_apart(brk: str) -> None:
    """A CMS's line separator is a line end, not nothing: a title reads it as a space."""
    card = Card(1, f"삼성전자{brk}HBM4 공급", "https://news.example.kr/a", "연합뉴스")
    reply = Reply(sections=[Section("주제", [card])])
    for payloads in (slack_render(reply), discord_render(reply)):
        text = json.dumps(payloads, ensure_ascii=False)
        assert "삼성전자 HBM4 공급" in text and "삼성전자HBM4" not in text


# -- 7: bad arguments and names ------------------------------------------------------------------


def test_bad_arguments_get_one_line(seeded_url: str, tmp_path: Path, capsys: Capsys) -> None:
    code, out, err = run_cli(["digest", "--since=--", "--db", seeded_url], capsys)
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "--since" in err
    missing = tmp_path / "nowhere" / "typo.db"
    code, _, err = run_cli(["digest", "--db", f"sqlite:///{missing}"], capsys)
    said = t("cli.no_database", "ko", path=missing)  # the default language
    assert code == 2 and err.strip() == f"error: {said}" and not missing.exists()
    code, _, err = run_cli(["search", "", "--db", seeded_url], capsys)
    assert code == 2 and t("search.no_query", "ko") in err
    code, _, err = run_cli(["search", "-주가", "--db", seeded_url], capsys)
    assert code == 2 and t("search.only_exclusions", "ko") in err


@pytest.mark.parametrize(
    "command",
    [
        ["trend"],
        ["feeds", "list"],
        ["sources", "list"],
        ["feeds", "export"],
        ["feeds", "remove", "1"],
        ["feeds", "enable", "1"],
        ["feeds", "share", "1"],
        ["feeds", "unshare", "1"],
        ["sources", "remove", "1"],
        ["watches", "remove", "hbm"],
    ],
    ids=" ".join,
)
def test_a_command_that_reads_refuses_a_mistyped_database_and_makes_none(
    command: list[str], tmp_path: Path, capsys: Capsys
) -> None:
    missing = tmp_path / "nope.db"
    code, out, err = run_cli([*command, "--db", f"sqlite:///{missing}"], capsys)
    said = t("cli.no_database", "ko", path=missing)
    assert code == 2 and out == "" and err.strip() == f"error: {said}"
    assert not missing.exists()


def test_topics_before_any_database_lists_the_built_in_topics_and_makes_none(
    tmp_path: Path, capsys: Capsys
) -> None:
    """A fresh install (or a mistyped --db): `topics` still says what the bot watches for, and
    leaves no empty database behind."""
    missing = tmp_path / "nope.db"
    code, out, _ = run_cli(["topics", "--format", "json", "--db", f"sqlite:///{missing}"], capsys)
    assert code == 0
    assert {t["id"] for t in json.loads(out)["topics"]} == {"sovereign_ai", "apec", "gpu_deal"}
    assert not missing.exists()


def test_a_command_that_adds_still_makes_the_database(tmp_path: Path, capsys: Capsys) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    args = ["feeds", "add", "https://example.com/rss.xml", "--no-check", "--db", url]
    assert run_cli(args, capsys)[0] == 0
    code, out, _ = run_cli(["feeds", "list", "--db", url], capsys)
    assert code == 0 and "https://example.com/rss.xml" in out
    code, out, _ = run_cli(["topics", "--db", url], capsys)
    assert code == 0 and "apec" in out


@pytest.mark.parametrize("name", ["apec", "APEC", "에이펙", "Apec"])
def test_topics_are_named_by_id_in_any_case_or_by_label(
    name: str, seeded_url: str, capsys: Capsys
) -> None:
    code, out, err = run_cli(
        ["digest", "--since", "all", "--topic", name, "--format", "json", "--db", seeded_url],
        capsys,
    )
    assert code == 0, err
    assert json.loads(out)["items"] and all("apec" in i["topics"] for i in json.loads(out)["items"])
    code, out, _ = run_cli(
        [
            "digest",
            "--since",
            "all",
            "--topic",
            "소버린 AI",
            "--format",
            "json",
            "--db",
            seeded_url,
        ],
        capsys,
    )
    assert code == 0 and all("sovereign_ai" in i["topics"] for i in json.loads(out)["items"])


def test_subscribe_changes_only_what_it_is_told(bot: Bot) -> None:
    ctx = Context("slack", "T1", "C1", "U1")
    assert not bot.commands.handle("subscribe apec at 08:30", ctx).error
    assert not bot.commands.handle("subscribe apec alerts", ctx).error
    assert not bot.commands.handle("subscribe gpu_deal", ctx).error  # joins the channel's digest
    subs = {s.topic: s for s in bot.store.subscriptions(Place("slack", "T1", "C1"))}
    assert (subs["apec"].digest_time, subs["apec"].alerts) == ("08:30", True)
    assert (subs["gpu_deal"].digest_time, subs["gpu_deal"].alerts) == ("08:30", False)


def test_usage_is_in_the_channel_language(make_bot: MakeBot, seeded_url: str) -> None:
    bot = make_bot(seeded_url, language="en")
    reply = bot.commands.handle("search", bot.ctx)
    assert reply.error and reply.text == (
        "Usage: /news search <query…> [-exclude…] [topic] [period: 24h|7d|2025-10-01|all]"
    )


def test_a_dashed_word_excludes_articles(seeded_url: str, capsys: Capsys) -> None:
    def ids(*query: str) -> set[int]:
        code, out, err = run_cli(["search", *query, "--format", "json", "--db", seeded_url], capsys)
        assert code == 0, err
        return {i["id"] for i in json.loads(out)["items"]}

    everything, without = ids("엔비디아"), ids("엔비디아", "-GPU")
    assert without and without < everything  # some went, and nothing came
    for gone in everything - without:
        assert "gpu" in _why(seeded_url, str(gone), capsys)["body"].lower()  # type: ignore[union-attr]


def test_an_unexpected_error_is_one_line_and_debug_shows_the_traceback(
    tmp_path: Path, capsys: Capsys
) -> None:
    broken = tmp_path / "not-a-database.db"
    broken.write_bytes(b"this is not sqlite" * 100)
    code, _, err = run_cli(["digest", "--db", f"sqlite:///{broken}"], capsys)
    assert code == 1 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    with pytest.raises(Exception):  # noqa: B017 - any: --debug lets it through
        run_cli(["digest", "--debug", "--db", f"sqlite:///{broken}"], capsys)


# -- 8: links, titles, outlets -------------------------------------------------------------------


def test_markdown_titles_and_unknown_outlets(tmp_path: Path, db_url: str, capsys: Capsys) -> None:
    _page(tmp_path, "note.md", f"# 엔비디아 GPU 26만 장 공급\n\n{BODY}")
    assert run_cli(["ingest", str(tmp_path / "pages"), "--db", db_url], capsys)[0] == 0
    item = _why(db_url, "note", capsys)
    assert item["title"] == "엔비디아 GPU 26만 장 공급"
    code, out, _ = run_cli(["why", "note", "--db", db_url], capsys)
    assert code == 0 and "?" not in out.split("\n")[1]


@pytest.mark.usefixtures("english")  # the CLI's English lines
def test_seeds_still_ingest_once(db_url: str, capsys: Capsys) -> None:
    assert run_cli(["ingest", str(SEEDS), "--db", db_url], capsys)[1].startswith("5 new")
    assert run_cli(["ingest", str(SEEDS), "--db", db_url], capsys)[1].startswith("0 new")


def test_logs_keep_the_feed_password_out(
    server: FeedServer,
    db_url: str,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEWSBOT_ALLOW_PRIVATE_FEEDS", "1")
    caplog.set_level(logging.INFO)
    url = server.route("/gone", canned(b"", status=500)).replace("http://", "http://u:pw123@")
    app = App(Settings(database_url=db_url, allow_private_feeds=True))
    try:
        app.store.add_feed(url, None, 900)
        from bot.ingest.poller import Poller

        report = Poller(app.store, app.settings).poll_sync(everything=True)
        app.pipeline.process_pending()
    finally:
        app.close()
    assert report.feed_errors == 1
    assert "pw123" not in caplog.text and "pw123" not in json.dumps(report.as_json())
    assert "u:***@127.0.0.1" in caplog.text
