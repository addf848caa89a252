"""``newsbot feeds ...`` and ``newsbot poll`` end to end: a real SQLite file, real servers on
127.0.0.1, the real analyser; what the user types and what the user reads."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.ingest.opml import export_opml, parse_opml
from bot.present.i18n import t
from tests.helpers import run_cli
from tests.helpers.bot import MakeBot
from tests.helpers.feedserver import FeedServer, canned, rss
from tests.helpers.stories import GPU_BODY, GPU_TITLE, story

Capsys = pytest.CaptureFixture[str]

GPU2_TITLE = "엔비디아, 국가 AI 컴퓨팅 센터에 블랙웰 GPU 5만 장 추가 공급 계약"
GPU2_BODY = (
    "엔비디아가 국가 AI 컴퓨팅 센터에 블랙웰 GPU 5만 장을 추가로 공급하는 계약을 맺었다. "
    "정부는 AI 데이터센터 구축에 GPU를 우선 배분하고, 기업들은 AI 팩토리를 늘린다."
)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as s:
        yield s


@pytest.fixture
def private_ok(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSBOT_ALLOW_PRIVATE_FEEDS", "1")


def one_line(text: str) -> str:
    """stderr as one line: bot.cli.common's console folds messages at 80 columns in a pipe."""
    return " ".join(text.split())


def no_feeds_added(db_url: str, capsys: Capsys) -> bool:
    """Nothing was added: no database was made at all, or the one there lists no feeds."""
    if not Path(db_url.removeprefix("sqlite:///")).exists():
        return True
    return feeds_json(db_url, capsys) == []


def feeds_json(db_url: str, capsys: Capsys) -> list[dict[str, object]]:
    code, out, _ = run_cli(["feeds", "list", "--format", "json", "--db", db_url], capsys)
    assert code == 0
    feeds: list[dict[str, object]] = json.loads(out)["feeds"]
    return feeds


# --- add / list / remove ----------------------------------------------------------------------


def test_add_list_remove(db_url: str, capsys: Capsys) -> None:
    url = "https://news.example.kr/rss/economy.xml"
    code, out, _ = run_cli(
        [
            "feeds",
            "add",
            url,
            "--name",
            "예시경제",
            "--interval",
            "30m",
            "--no-check",
            "--db",
            db_url,
        ],
        capsys,
    )
    # in the default language (NEWSBOT_LANGUAGE=ko), as the catalog words it
    every = t("cli.every", "ko", interval="30m")
    added = t("cli.feed_added", "ko", id=1, url=url, every=every, found="")
    assert code == 0 and out.strip() == added
    code, out, _ = run_cli(["feeds", "add", url, "--db", db_url], capsys)
    assert code == 0 and out.strip() == t("cli.feed_present", "ko", id=1, url=url, updated="")

    code, out, _ = run_cli(["feeds", "list", "--db", db_url], capsys)
    assert code == 0
    row = next(line for line in out.splitlines() if url in line)
    assert "예시경제" in row and "30m" in row and t("health.new", "ko") in row
    [feed] = feeds_json(db_url, capsys)
    assert (feed["name"], feed["interval_s"], feed["health"]) == ("예시경제", 1800, "new")

    weekly = "https://news.example.kr/rss/weekly.xml"
    args = ["feeds", "add", weekly, "--interval", "1w", "--no-check", "--db", db_url]
    code, out, err = run_cli(args, capsys)
    every = t("cli.every", "ko", interval="7d")
    assert code == 0 and out.strip() == t(
        "cli.feed_added", "ko", id=2, url=weekly, every=every, found=""
    ), err
    assert [f["interval_s"] for f in feeds_json(db_url, capsys)] == [1800, 604800]
    code, _, _ = run_cli(["feeds", "remove", "#2", "--db", db_url], capsys)
    assert code == 0
    code, out, _ = run_cli(["feeds", "remove", "#1", "--db", db_url], capsys)
    assert code == 0 and out.strip() == t("cli.feed_removed", "ko", id=1, url=url)
    code, _, err = run_cli(["feeds", "remove", "1", "--db", db_url], capsys)
    assert code == 1 and err.strip() == f"error: {t('feeds.missing', 'ko', id=1)}"
    assert feeds_json(db_url, capsys) == []


@pytest.mark.usefixtures("english")  # the CLI's English lines
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ftp://example.com/feed"], "expected an http:// or https:// URL"),
        (["news.example.kr/rss"], "expected an http:// or https:// URL"),
        (["https://example.com/rss", "--interval", "soon"], "--interval: expected a duration"),
        (["https://example.com/rss", "--interval", "5s"], "--interval: expected a duration"),
        (
            ["http://127.0.0.1:8080/rss"],
            "127.0.0.1: private address; allow with NEWSBOT_ALLOW_PRIVATE_FEEDS",
        ),
        (["http://169.254.169.254/latest"], "169.254.169.254: private address; allow with"),
    ],
)
def test_bad_feeds_add_input_is_one_line_exit_2_and_changes_nothing(
    db_url: str, capsys: Capsys, args: list[str], message: str
) -> None:
    code, out, err = run_cli(["feeds", "add", *args, "--db", db_url], capsys)
    assert code == 2 and out == ""
    assert err.startswith(f"error: {message}") and len(err.strip().splitlines()) == 1
    assert no_feeds_added(db_url, capsys)


# --- acceptance 8: OPML through the CLI -------------------------------------------------------

FIFTY = [
    (f"https://news{i}.example.kr/rss?section={i}&lang=ko", f'뉴스 {i} & <특보> "{i}"')
    for i in range(48)
] + [("http://example.com/feed.xml", None), ("https://한국.example/rss", "IDN 호스트")]


@pytest.mark.usefixtures("english")  # the CLI's English lines
def test_opml_import_of_fifty_export_and_reimport_round_trip(
    tmp_path: Path, capsys: Capsys
) -> None:
    first, second = (f"sqlite:///{tmp_path / name}" for name in ("a.db", "b.db"))
    source = tmp_path / "subscriptions.opml"
    source.write_bytes(export_opml(FIFTY, datetime(2025, 10, 1, tzinfo=UTC), title="내 구독"))

    code, out, _ = run_cli(["feeds", "import", str(source), "--db", first], capsys)
    assert code == 0 and out.strip().endswith("50 feeds listed: 50 added, 0 already present")
    code, out, _ = run_cli(["feeds", "import", str(source), "--db", first], capsys)
    assert code == 0 and out.strip().endswith("0 added, 50 already present")

    exported = tmp_path / "out" / "feeds.opml"
    exported.parent.mkdir()
    code, out, _ = run_cli(["feeds", "export", "-o", str(exported), "--db", first], capsys)
    assert code == 0 and out.strip() == f"exported 50 feeds to {exported}"
    assert parse_opml(exported.read_bytes()) == FIFTY

    code, out, _ = run_cli(["feeds", "import", str(exported), "--db", second], capsys)
    assert code == 0 and "50 added, 0 already present" in out
    code, stdout_opml, _ = run_cli(["feeds", "export", "--db", second], capsys)
    assert code == 0 and parse_opml(stdout_opml.encode("utf-8")) == FIFTY
    pairs = [(f["url"], f["name"]) for f in feeds_json(second, capsys)]
    assert pairs == FIFTY


@pytest.mark.usefixtures("english")  # the CLI's English lines
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<opml><body><outline xmlUrl='https://a.example/rss'", "not valid OPML"),
        (b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x "y">]><opml/>', "refused"),
        (b"<rss version='2.0'/>", "not an OPML document"),
    ],
)
def test_a_bad_opml_file_is_refused_in_one_line_and_adds_nothing(
    tmp_path: Path, db_url: str, capsys: Capsys, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.opml"
    path.write_bytes(content)
    code, out, err = run_cli(["feeds", "import", str(path), "--db", db_url], capsys)
    assert code == 2 and out == ""
    assert one_line(err).startswith(f"error: {path}: ") and message in one_line(err)
    assert no_feeds_added(db_url, capsys)

    code, _, err = run_cli(
        ["feeds", "import", str(tmp_path / "missing.opml"), "--db", db_url], capsys
    )
    assert code == 2 and one_line(err) == f"error: no such file: {tmp_path / 'missing.opml'}"


# --- poll: searchable, matched, summarised ----------------------------------------------------


@pytest.mark.usefixtures("english")  # the CLI's English lines
def test_polled_items_are_searchable_and_matched(
    server: FeedServer, db_url: str, capsys: Capsys, private_ok: None, make_bot: MakeBot
) -> None:
    gpu = {"title": GPU_TITLE, "link": "https://news.example.kr/gpu", "guid": "gpu-1",
           "description": GPU_BODY}  # fmt: skip
    url = server.route("/feed", canned(rss([gpu, story(1), story(2)], title="테크 데일리")))
    assert run_cli(["feeds", "add", url, "--db", db_url], capsys)[0] == 0

    code, out, err = run_cli(["poll", "--db", db_url], capsys)
    assert code == 0 and err == ""
    assert out.strip().startswith(
        "1 feed polled: 3 new items (3 from first polls, not alerted), 0 not modified, 0 failed"
    )

    code, out, _ = run_cli(
        ["search", "엔비디아", "GPU", "--format", "json", "--db", db_url], capsys
    )
    found = json.loads(out)
    assert code == 0 and found["total"] == 1
    item = found["items"][0]
    assert (item["title"], item["url"], item["origin"]) == (GPU_TITLE, gpu["link"], url)
    # the feed's title when it was added (no name given), marked as a feed: not a known outlet
    assert item["source"] == "(feed) 테크 데일리"

    # the first poll's items are stored silent: searchable, but never digested (README)
    digest_args = ["digest", "--topic", "gpu_deal", "--since", "all", "--format", "json"]
    code, out, _ = run_cli([*digest_args, "--db", db_url], capsys)
    assert code == 0 and json.loads(out)["items"] == []

    code, out, _ = run_cli(["poll", "--db", db_url], capsys)  # nothing is due yet
    assert code == 0 and out.startswith("no feeds due; the next is due at ")
    assert server.hits["/feed"] == 2  # the check when it was added, and the first poll

    # what a later poll brings is digested, on the command line and in chat alike
    gpu2 = {"title": GPU2_TITLE, "link": "https://news.example.kr/gpu2", "guid": "gpu-2",
            "description": GPU2_BODY}  # fmt: skip
    server.route("/feed", canned(rss([gpu2, gpu, story(1), story(2)], title="테크 데일리")))
    code, out, err = run_cli(["poll", "--all", "--db", db_url], capsys)
    assert code == 0 and "1 new item" in out, out + err
    code, out, _ = run_cli([*digest_args, "--db", db_url], capsys)
    digest = json.loads(out)
    assert code == 0 and [i["title"] for i in digest["items"]] == [GPU2_TITLE]
    assert digest["items"][0]["topics"] == ["gpu_deal"]
    said = make_bot(db_url)("/news digest all", lang="en")
    assert GPU2_TITLE in said and GPU_TITLE not in said


# --- failures: warnings, backoff, disabling, enabling -----------------------------------------


@pytest.mark.usefixtures("english")  # the CLI's English lines
def test_failing_feed_is_warned_about_then_disabled_with_its_reason_in_feeds_list(
    server: FeedServer,
    db_url: str,
    capsys: Capsys,
    private_ok: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEWSBOT_FEED_MAX_ERRORS", "3")
    bad = server.route("/gone", canned(b"no", 500))
    good = server.route("/feed", canned(rss([story(1)])))
    run_cli(["feeds", "add", bad, "--name", "깨진 피드", "--no-check", "--db", db_url], capsys)
    run_cli(["feeds", "add", good, "--db", db_url], capsys)

    code, out, err = run_cli(["poll", "--db", db_url], capsys)
    assert code == 0
    assert err.strip() == "warning: feed #1 깨진 피드: failed: HTTP 500 Internal Server Error"
    assert (
        "2 feeds polled: 1 new item (1 from first polls, not alerted)" in out and "1 failed" in out
    )

    code, out, _ = run_cli(["poll", "--db", db_url], capsys)  # backing off: nothing due
    assert out.startswith("no feeds due") and server.hits["/gone"] == 1

    for _ in range(2):
        code, out, err = run_cli(["poll", "--all", "--db", db_url], capsys)
    assert err.splitlines()[-1] == (
        "warning: feed #1 깨진 피드: disabled after 3 consecutive failures "
        "(newsbot feeds enable 1 to retry)"
    )
    code, out, _ = run_cli(["feeds", "list", "--db", db_url], capsys)
    row = next(line for line in out.splitlines() if "깨진 피드" in line)
    assert "disabled" in row
    assert "3 consecutive failures; last: HTTP 500 Internal Server Error" in row
    feed = feeds_json(db_url, capsys)[0]
    assert feed["health"] == "disabled" and feed["consecutive_errors"] == 3

    run_cli(["poll", "--all", "--db", db_url], capsys)
    assert server.hits["/gone"] == 3  # a disabled feed is left alone

    server.route("/gone", canned(rss([story(2, "https://b.example.kr")])))
    code, out, _ = run_cli(["feeds", "enable", "1", "--db", db_url], capsys)
    assert code == 0 and out.startswith("feed #1 enabled")
    code, out, err = run_cli(["poll", "--db", db_url], capsys)
    assert code == 0 and err == "" and out.startswith("1 feed polled: 1 new item")
    feed = feeds_json(db_url, capsys)[0]
    assert (feed["health"], feed["consecutive_errors"], feed["disabled_reason"]) == ("ok", 0, None)


@pytest.mark.usefixtures("english")  # the CLI's English lines
def test_a_poll_where_every_feed_failed_exits_non_zero(
    server: FeedServer, db_url: str, capsys: Capsys, private_ok: None
) -> None:
    """cron or CI must see a poll that fetched nothing: status 1, in text and JSON alike; one
    feed that worked is enough for 0."""
    bad = server.route("/gone", canned(b"no", 500))
    run_cli(["feeds", "add", bad, "--no-check", "--db", db_url], capsys)
    code, out, err = run_cli(["poll", "--db", db_url], capsys)
    assert code == 1 and "1 failed" in out and "HTTP 500" in err
    code, out, _ = run_cli(["poll", "--all", "--format", "json", "--db", db_url], capsys)
    assert code == 1 and '"feed_errors": 1' in out
    good = server.route("/feed", canned(rss([story(1)])))
    run_cli(["feeds", "add", good, "--db", db_url], capsys)
    code, out, _ = run_cli(["poll", "--all", "--db", db_url], capsys)
    assert code == 0 and "1 failed" in out


def test_stats_counts_never_polled_feeds_as_new_not_ok_and_prints_no_blank_line(
    db_url: str, capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in (1, 2):
        url = f"https://example.com/{n}.xml"
        assert run_cli(["feeds", "add", url, "--no-check", "--db", db_url], capsys)[0] == 0
    code, out, _ = run_cli(["stats", "--format", "json", "--db", db_url], capsys)
    assert code == 0 and json.loads(out)["feeds"] == {
        "ok": 0,
        "new": 2,
        "failing": 0,
        "disabled": 0,
    }
    code, out, _ = run_cli(["stats", "--db", db_url], capsys)
    assert code == 0 and "피드 상태: 정상 0, 아직 수집 전 2, 오류 0, 중지 0" in out
    assert all(line.strip() for line in out.splitlines()), out  # no line of spaces alone
    assert "주제별 기사 수\n" in out
    monkeypatch.setenv("NEWSBOT_LANGUAGE", "en")
    code, out, _ = run_cli(["stats", "--db", db_url], capsys)
    assert "Feed health: 0 ok, 2 new (never polled), 0 failing, 0 disabled" in out
