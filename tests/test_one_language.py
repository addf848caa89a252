"""One language per ``NEWSBOT_LANGUAGE`` (issue 26): every command family of the CLI and of chat
answers in Korean under ``ko`` (the default) and in English under ``en``, errors included.

A leak is found by the catalog itself: under ``ko`` no English phrase of the English catalog
(two words or more that the Korean catalog does not share, e.g. ``added feed``) may appear, and
under ``en`` no Korean phrase of the Korean catalog; data (titles, outlets, Korean queries) is
in neither.  A particle pair left unfilled (``을(를)``) is a leak too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.chat.commands import Context
from bot.present.i18n import MESSAGES, t
from bot.runtime.app import App
from tests.helpers import run_cli
from tests.helpers.feedserver import FeedServer, canned, rss
from tests.helpers.stories import story
from tests.helpers.watches import app, console  # noqa: F401 (the fixture, four articles)

Capsys = pytest.CaptureFixture[str]
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
KO_ALL = " ".join(ko for ko, _ in MESSAGES.values())
EN_ALL = " ".join(en for _, en in MESSAGES.values())


def _fragments(template: str) -> list[str]:
    return [f.strip(" .,:;()[]—–-·‘’“”'\"`|/\n") for f in PLACEHOLDER.split(template)]


def english_phrases() -> set[str]:
    """Runs of two or more English words in the English catalog that no Korean wording has."""
    found = set()
    for _, en in MESSAGES.values():
        for frag in _fragments(en):
            for run in re.findall(r"[A-Za-z]{2,}(?:[ ,'][A-Za-z]{2,})+", frag):
                if run.lower() not in KO_ALL.lower():  # not `/news digest`, `feeds add URL`
                    found.add(run)
    return found


def korean_phrases() -> set[str]:
    """Runs of Hangul words (two or more, or one of three syllables or more) in the Korean
    catalog that no English wording has."""
    found = set()
    for ko, _ in MESSAGES.values():
        for frag in _fragments(ko):
            for run in re.findall(r"[가-힣]+(?: [가-힣]+)*", frag):
                if (" " in run or len(run) >= 3) and run not in EN_ALL:
                    found.add(run)
    return found


ENGLISH, KOREAN = english_phrases(), korean_phrases()


def leaks(text: str, lang: str) -> list[str]:
    """The other language's phrases in ``text`` (and particle pairs left as written)."""
    other = ENGLISH if lang == "ko" else KOREAN
    low = text.lower()
    found = sorted(p for p in other if p.lower() in low)
    return found + re.findall(r"[을이은과는를가와]\([을이은과는를가와]\)", text)


def test_the_leak_check_sees_a_leak() -> None:
    """The check itself: an English line under ko and a Korean one under en are caught."""
    assert "added feed" in " ".join(leaks("added feed #1: https://x.example/rss", "ko"))
    assert leaks(t("feeds.empty", "ko"), "en") and leaks(t("feeds.empty", "en"), "ko")
    assert leaks("워치 ‘반도체’을(를) 저장했습니다.", "ko") == ["을(를)"]
    assert not leaks(t("watch.saved", "ko", name="반도체"), "ko")  # 반도체를: filled


@pytest.fixture
def feed_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("NEWSBOT_ALLOW_PRIVATE_FEEDS", "1")
    with FeedServer() as server:
        yield server.route("/feed.xml", canned(rss([story(1), story(2)], title="테크 데일리")))


CLI = [  # (words, exit status); {db}, {tmp} and {feed} are filled in
    (["feeds", "add", "{feed}"], 0),
    (["feeds", "add", "{feed}"], 0),
    (["feeds", "list"], 0),
    (["feeds", "export", "-o", "{tmp}/feeds.opml"], 0),
    (["feeds", "import", "{tmp}/missing.opml"], 2),
    (["feeds", "import", "{tmp}"], 2),
    (["feeds", "import", "{tmp}/feeds.opml"], 0),
    (["feeds", "import", "{tmp}/skip.opml"], 0),
    (["feeds", "import", "{tmp}/rss.opml"], 2),
    (["feeds", "import", "{tmp}/dtd.opml"], 2),
    (["feeds", "import", "{tmp}/broken.opml"], 2),
    (["feeds", "add", "ftp://example.com/rss"], 2),
    (["feeds", "add", "https://example.com/rss", "--interval", "soon"], 2),
    (["feeds", "remove", "99"], 1),
    (["feeds", "enable", "1"], 0),
    (["poll", "--all"], 0),
    (["poll"], 0),
    (["watch", "add", "hbm", "HBM", "-주가"], 0),
    (["watch", "add", "hbm", "HBM", "-주가", "--yes"], 0),
    (["watch", "list"], 0),
    (["watch", "show", "hbm"], 0),
    (["watch", "add", "hbm", "HBM", "--yes"], 2),
    (["watches", "import", "{tmp}/missing.toml"], 2),
    (["watches", "import", "{tmp}/empty.toml"], 2),
    (["watches", "import", "{tmp}/not-a-list.toml"], 2),
    (["watches", "import", "{tmp}/twice.toml"], 2),
    (["watches", "import", "{tmp}"], 2),
    (["help", "nope"], 2),
    (["watch", "remove", "hbm"], 0),
    (["watch", "show", "nope"], 1),
    (["sources", "add", "naver", "소버린", "AI"], 0),
    (["sources", "list"], 0),
    (["sources", "add", "bing", "x"], 2),
    (["sources", "remove", "2"], 0),
    (["sources", "remove", "2"], 1),
    (["trend", "--since", "all", "-o", "{tmp}/trend.png"], 0),
    (["trend", "-o", "{tmp}/no/trend.png"], 2),
    (["trend", "--since", "3y", "-o", "{tmp}/trend.png"], 2),
    (["trend", "-o", "-", "--format", "json"], 2),
    (["digest", "--weekly", "-o", "{tmp}/weekly.png"], 0),
    (["digest", "--weekly", "--since", "7d"], 2),
    (["digest", "--since", "soon"], 2),
    (["digest", "--topic", "nope"], 2),
    (["digest", "-o", "x.png"], 2),
    (["search", ""], 2),
    (["search", "-주가"], 2),
    (["why", "999"], 1),
    (["stats"], 0),
    (["config"], 0),
    (["db", "upgrade"], 0),
    (["digest", "--db", "sqlite:///{tmp}/nowhere/typo.db"], 2),
]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_cli_command_family_speaks_one_language(
    lang: str,
    app: App,  # noqa: F811
    feed_url: str,
    tmp_path: Path,
    capsys: Capsys,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEWSBOT_LANGUAGE", lang)
    monkeypatch.setenv("COLUMNS", "300")
    db = app.settings.database_url
    (tmp_path / "rss.opml").write_text("<rss version='2.0'/>", encoding="utf-8")
    skip = '<opml><body><outline type="rss" xmlUrl="https://x.example/a b"/></body></opml>'
    (tmp_path / "skip.opml").write_text(skip, encoding="utf-8")
    dtd = '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x "y">]><opml/>'
    (tmp_path / "dtd.opml").write_text(dtd, encoding="utf-8")
    (tmp_path / "broken.opml").write_text("<opml><body><outline", encoding="utf-8")
    (tmp_path / "empty.toml").write_text("[other]\n", encoding="utf-8")
    (tmp_path / "not-a-list.toml").write_text('[watches.x]\nterms = "x"\n', encoding="utf-8")
    twice = '[watches.ab]\nterms = ["x"]\n[watches.AB]\nterms = ["y"]\n'
    (tmp_path / "twice.toml").write_text(twice, encoding="utf-8")
    seen = []
    for words, status in CLI:
        args = [w.format(db=db, tmp=tmp_path, feed=feed_url) for w in words]
        if "--db" not in args:
            args += ["--db", db]
        code, out, err = run_cli(args, capsys)
        said = out + err
        assert code == status, (args, said)
        assert said.strip(), args  # every command answers something
        assert not leaks(said, lang), (args, leaks(said, lang), said)
        if lang == "ko":  # a line of its own words, not only data
            assert re.search("[가-힣]", said), (args, said)
        seen.append(said)
    # the English wording is the one the catalog holds (a wording change breaks nothing here)
    every = t("cli.every", lang, interval="15m")
    assert seen[0].startswith(t("cli.feed_added", lang, id=1, url=feed_url, every=every, found=""))
    said = dict(zip((" ".join(words) for words, _ in CLI), seen, strict=True))
    assert said["feeds remove 99"].strip() == f"error: {t('feeds.missing', lang, id=99)}"
    refused = t("feeds.url_spaces", lang, url="'https://x.example/a b'")
    skipped = t("cli.skipped", lang, what="https://x.example/a b", reason=refused)
    assert f"warning: {skipped}\n" in said["feeds import {tmp}/skip.opml"]
    not_a_list = t("watch.toml_not_list", lang, name="x", field="terms")
    assert said["watches import {tmp}/not-a-list.toml"].strip() == f"error: {not_a_list}"


CHAT = [
    "help",
    "도움말",
    "serch 반도체",
    "zzzz",
    "topics",
    "digest all",
    "digest nope",
    "digest hbm soon",
    "search 원전",
    "search",
    "why 1",
    "why 999",
    "why abc",
    "weekly",
    "trend 30d",
    "trend 30d -o /nonexistent/x.png",
    "trend apec 3y",
    "stats",
    "feeds list",
    "feeds add ftp://example.com/rss",
    "feeds remove 99",
    "feeds rename",
    "sources list",
    "sources add bing x",
    "sources remove 99",
    "watch add 반도체 HBM -주가",
    "watch add 반도체 HBM -주가 --yes",
    "watch list",
    "watch show 반도체",
    "watch add 반도체 HBM --yes",
    "watch remove 반도체 --yes",
    "watch show 반도체",
    "watch add",
    "subscribe apec",
    "subscribe apec weekly",
    "subscribe apec at 25:00",
    "subscribe apec weekly funday",
    "subscribe apec daily weekly",
    "unsubscribe apec",
    "unsubscribe nope",
    "mute 연합뉴스 for 7d",
    "mute 연합뉴스 for soon",
    "mute",
    "unmute all",
]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_chat_command_family_speaks_one_language(
    lang: str,
    app: App,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # the console writes trend pictures here
    ctx = Context("console", "", "team-news", "alice", lang)
    for line in CHAT:
        said = console(app, f"/news {line}", ctx=ctx)
        assert said.strip(), line
        assert "Traceback" not in said and t("internal_error", lang) not in said, (line, said)
        assert not leaks(said, lang), (line, leaks(said, lang), said)
        if lang == "ko":
            assert re.search("[가-힣]", said), (line, said)


def test_json_is_the_same_in_both_languages(
    app: App,  # noqa: F811
    feed_url: str,
    capsys: Capsys,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``--format json`` is a contract, not prose: the language changes none of it."""
    db = ["--db", app.settings.database_url]
    assert run_cli(["feeds", "add", feed_url, *db], capsys)[0] == 0
    runs = []
    for lang in ("ko", "en"):
        monkeypatch.setenv("NEWSBOT_LANGUAGE", lang)
        runs.append(
            [
                run_cli([*words, "--format", "json", *db], capsys)[1]
                for words in (["feeds", "list"], ["stats"], ["topics"], ["sources", "list"])
            ]
        )
    assert runs[0] == runs[1] and all(out.startswith("{") for out in runs[0])


BAD_SETTINGS = [  # (variable, value, the English line)
    ("NEWSBOT_FEED_INTERVAL", "soon", "invalid value 'soon': expected a duration such as 30s"),
    ("NEWSBOT_HTTP_PORT", "http", "invalid value 'http': expected a whole number from 1 to 65535"),
    ("NEWSBOT_TIMEZONE", "Asia/Seol", "unknown time zone 'Asia/Seol'"),
    ("NEWSBOT_DIGEST_TIME", "25:00", "expected HH:MM, 24-hour clock"),
    ("NEWSBOT_DATABASE_URL", "mysql://x", "expected sqlite:///path or postgresql://user@host/db"),
    ("NEWSBOT_DISCORD_SYNC", "guild", "required when NEWSBOT_DISCORD_SYNC=guild"),
    ("SLACK_BOT_TOKEN_FILE", "{tmp}/missing", "no such file: "),
]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_bad_setting_is_said_in_the_language(
    lang: str, tmp_path: Path, capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A malformed NEWSBOT_* value (and a malformed ``--db``) is one ``error:`` line naming the
    variable, in the language of NEWSBOT_LANGUAGE; what was expected is worded too."""
    monkeypatch.setenv("NEWSBOT_LANGUAGE", lang)
    db = ["--db", f"sqlite:///{tmp_path}/news.db"]
    for var, value, english in BAD_SETTINGS:
        with monkeypatch.context() as env:
            env.setenv(var, value.format(tmp=tmp_path))
            code, out, err = run_cli(["stats", *db], capsys)
        assert code == 2 and not out, (var, out)
        assert err.startswith("error: ") and err.count("\n") == 1, (var, err)
        name = "NEWSBOT_DISCORD_GUILD_ID" if var == "NEWSBOT_DISCORD_SYNC" else var
        assert name in err, err
        assert not leaks(err, lang), (var, leaks(err, lang), err)
        if lang == "ko":
            assert re.search("[가-힣]", err) and english not in err, (var, err)
        else:
            assert english in err, (var, err)
        if lang == "ko" and var == "NEWSBOT_HTTP_PORT":  # as the README shows it
            said = "NEWSBOT_HTTP_PORT: 잘못된 값 'http': 1부터 65535까지의 정수여야 합니다"
            assert err == f"error: {said}\n"
    code, _, err = run_cli(["stats", "--db", "mysql://x"], capsys)
    assert code == 2 and err.startswith("error: --db: ") and not leaks(err, lang), err
    assert ("expected sqlite:///path" in err) == (lang == "en"), err


def test_an_unreadable_language_setting_is_said_in_korean(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NEWSBOT_LANGUAGE=fr cannot choose the language of its own error: the default speaks."""
    monkeypatch.setenv("NEWSBOT_LANGUAGE", "fr")
    code, _, err = run_cli(["stats"], capsys)
    assert code == 2 and "NEWSBOT_LANGUAGE" in err and "'fr'" in err
    assert t("expect.lang", "ko") in err and not leaks(err, "ko"), err


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_failing_feed_says_why_in_the_language(
    lang: str,
    app: App,  # noqa: F811
    capsys: Capsys,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Why a fetch failed (stored as the English cause) is worded in the reader's language in
    ``poll``, ``feeds list`` and ``/news feeds``."""
    monkeypatch.setenv("NEWSBOT_ALLOW_PRIVATE_FEEDS", "1")
    monkeypatch.setenv("NEWSBOT_LANGUAGE", lang)
    monkeypatch.setenv("COLUMNS", "300")
    db = ["--db", app.settings.database_url]
    with FeedServer() as server:
        url = server.route("/feed.xml", canned(rss([story(1)], title="테크 데일리")))
        assert run_cli(["feeds", "add", url, *db], capsys)[0] == 0
        server.route("/feed.xml", canned(b"gone", status=404))
        code, out, err = run_cli(["poll", "--all", *db], capsys)
    assert code == 1, (out, err)  # every feed failed
    why = "HTTP 404 Not Found" if lang == "en" else t("fetch.http", "ko", status=404, phrase="")
    assert why in err and not leaks(out + err, lang), (leaks(out + err, lang), err)
    code, out, err = run_cli(["feeds", "list", *db], capsys)
    assert code == 0 and why in out and not leaks(out + err, lang), (leaks(out, lang), out)
    ctx = Context("console", "", "team-news", "alice", lang)
    said = console(app, "/news feeds list", ctx=ctx)
    assert why in said and not leaks(said, lang), (leaks(said, lang), said)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_skipped_seed_file_says_why_in_the_language(
    lang: str,
    app: App,  # noqa: F811
    tmp_path: Path,
    capsys: Capsys,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEWSBOT_LANGUAGE", lang)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "binary.txt").write_bytes(b"\x00\x01\x02\x03 binary")
    (seeds / "empty.html").write_text("<html><body></body></html>", encoding="utf-8")
    code, out, err = run_cli(["ingest", str(seeds), "--db", app.settings.database_url], capsys)
    assert code == 0, err
    for name, key in (("binary.txt", "seed.binary"), ("empty.html", "seed.no_text")):
        line = t("cli.skipped", lang, what=str(seeds / name), reason=t(key, lang))
        assert f"warning: {line}\n" in err, err
    assert not leaks(out + err, lang), (leaks(out + err, lang), err)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_topics_file_or_a_secret_file_that_cannot_be_used_is_said_in_one_language(
    lang: str, tmp_path: Path, capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The system's and the topics file parser's reasons too: no English strerror under ko."""
    monkeypatch.setenv("NEWSBOT_LANGUAGE", lang)
    no_groups = tmp_path / "no-groups.toml"
    no_groups.write_text('[topics.x]\nname = "x"\n', encoding="utf-8")
    low = tmp_path / "low.toml"
    low.write_text("[topics.x]\nthreshold = -1\n[topics.x.groups]\na = { terms = ['a'] }\n")
    expected = {
        tmp_path / "none.toml": t("os.not_found", lang),
        tmp_path: t("os.is_directory", lang),
        no_groups: t("topics.no_groups", lang, at=""),
        low: t("topics.too_small", lang, at="", lo=0),
    }
    db = ["--db", f"sqlite:///{tmp_path / 'x.db'}"]
    for path, reason in expected.items():
        monkeypatch.setenv("NEWSBOT_TOPICS_FILE", str(path))
        code, _, err = run_cli(["topics", *db], capsys)
        assert code == 2 and str(path) in err and reason.lstrip(": ") in err, err
        assert not leaks(err, lang), (path, leaks(err, lang), err)
    line = t("topics.at_line", lang, path=low, line=2, dotted="topics.x.threshold")
    assert line in err
    monkeypatch.delenv("NEWSBOT_TOPICS_FILE")
    monkeypatch.setenv("SLACK_SIGNING_SECRET_FILE", str(tmp_path))
    code, _, err = run_cli(["config", *db], capsys)
    assert code == 2 and t("os.is_directory", lang) in err and "Is a directory" not in err
    assert not leaks(err, lang), err
