"""Watches: a team's own topics, defined from chat, previewed before saving, re-applied to stored
articles, usable wherever a topic is; mutes per channel; export and import."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.chat.commands import Context
from bot.config.settings import Settings
from bot.delivery.planner import Planner
from bot.runtime.app import App
from bot.store import Place, Window
from bot.store.drafts import Draft
from tests.helpers import run_cli
from tests.helpers.watches import (
    CHANNEL,
    OTHER,
    SPACED,
    STOCK,
    SUPPLY,
    T0,
    app,
    console,
    ids,
    watch_topic,
)

__all__ = ["app"]  # the shared fixture

NEXT_NINE = datetime(2025, 11, 4, 0, 0, tzinfo=UTC)  # 09:00 in Seoul the next day
DIGEST_KEY = "digest:2025-11-04T09:00:00+09:00"


def test_a_watch_is_previewed_saved_and_its_digest_has_the_supply_story_not_the_stock_one(
    app: App,
) -> None:
    supply, stock, spaced, other = ids(app, SUPPLY, STOCK, SPACED, OTHER)
    shown = console(app, "/news watch add hbm HBM 고대역폭메모리 -주가 --yes")
    assert "워치 ‘hbm’을 저장했습니다." in shown
    assert "미리보기: 최근 7일 기사 중 2건이 맞습니다." in shown  # HBM4, 고대역폭 메모리
    assert "‘-주가’ 때문에 빠진 기사: 1건" in shown
    assert SUPPLY.title in shown and SPACED.title in shown and STOCK.title not in shown
    assert "HBM4 (제목)" in shown  # the evidence: HBM4, as written, matched the term HBM
    assert "고대역폭 메모리 (제목)" in shown and "hbm" not in shown.split("미리보기")[-1]

    console(app, "/news subscribe hbm at 09:00")
    app.clock.set(NEXT_NINE)  # type: ignore[attr-defined]
    assert Planner(app).plan(NEXT_NINE) == 1
    dest = app.store.destination(CHANNEL.place)
    assert dest is not None
    row = app.store.delivery(dest.id, DIGEST_KEY)
    assert row is not None
    assert set(row.payload["items"]) == {supply, spaced}
    assert stock not in row.payload["items"] and other not in row.payload["items"]
    heading = row.payload["reply"]["sections"][0]["heading"]
    assert heading.startswith("hbm")


def test_a_watch_can_be_used_wherever_a_topic_can(app: App) -> None:
    supply, stock, spaced, _ = ids(app, SUPPLY, STOCK, SPACED, OTHER)
    console(app, "/news watch add hbm HBM -주가 --yes")
    digest = console(app, "/news digest hbm 7d")
    assert SUPPLY.title in digest and SPACED.title in digest and STOCK.title not in digest
    search = console(app, "/news search SK하이닉스 hbm all")
    assert SUPPLY.title in search and STOCK.title not in search
    why = console(app, f"/news why {supply}")
    assert "hbm (" in why  # the watch, its score and evidence
    # another workspace neither sees nor can name this watch
    elsewhere = Context("slack", "T9", "C9", "bob")
    assert "hbm" not in console(app, f"/news why {supply}", ctx=elsewhere).split("점수")[-1]
    assert "알 수 없는 주제입니다: hbm" in console(app, "/news digest hbm", ctx=elsewhere)
    assert "hbm" in console(app, "/news watch list") and "hbm" not in console(
        app, "/news watch list", ctx=elsewhere
    )


def test_editing_a_watch_matches_the_stored_articles_again(app: App) -> None:
    supply, stock, spaced, _ = ids(app, SUPPLY, STOCK, SPACED, OTHER)
    console(app, "/news watch add hbm HBM -주가 --yes")
    topic = watch_topic(app, "hbm")
    before = set(app.store.matched_ids(Window(topics=[topic])))
    assert before == {supply, spaced}
    shown = console(app, "/news watch edit hbm HBM --yes")  # the exclusion dropped
    assert "최근 30일 기사에 다시 적용: 2건 → 3건." in shown
    after = set(app.store.matched_ids(Window(topics=[topic])))
    assert after == {supply, stock, spaced}
    console(app, "/news watch edit hbm HBM +계약 --yes")  # now a supply contract must be named
    assert set(app.store.matched_ids(Window(topics=[topic]))) == {supply}
    # a new article is matched as it is ingested, without re-applying
    late = Draft(
        "SK하이닉스, HBM4 추가 공급 계약 체결",
        "SK하이닉스가 HBM4 추가 공급 계약을 체결했다. HBM4 물량은 내년에 출하된다.",
        "late.txt",
        source="뉴스1",
        published_at=T0,
    )
    [new] = app.pipeline.ingest([late])
    assert new in app.store.matched_ids(Window(topics=[topic]))
    why = console(app, f"/news why {new}")
    assert "HBM4 (제목)" in why and "hbm4" not in why  # matched on arrival, quoted as written
    assert "워치 ‘hbm’을 지웠습니다" in console(app, "/news watch remove hbm")
    assert app.store.matched_ids(Window(topics=[topic])) == []
    assert "‘hbm’ 워치가 없습니다." in console(app, "/news watch show hbm")


def test_watch_limits_and_mistakes_get_one_clear_line(app: App, tmp_path: Path) -> None:
    assert "쓸 수 없는 이름" in console(app, "/news watch add HBM!! HBM --yes")
    assert "쓸 수 없는 이름" in console(app, f"/news watch add {'a' * 33} HBM --yes")
    assert "기본 주제의 이름" in console(app, "/news watch add apec APEC --yes")
    assert "단어를 하나 이상" in console(app, "/news watch add hbm -주가 --yes")
    terms = " ".join(f"단어{n}" for n in range(31))
    assert "31개입니다. 한 워치에 30개까지" in console(app, f"/news watch add many {terms} --yes")
    assert "min:은 0에서 1000" in console(app, "/news watch add hbm HBM min:lots --yes")
    assert "사용법: /news watch" in console(app, "/news watch frobnicate")
    for n in range(50):
        app.store.save_watch("console", "", f"w{n}", {"terms": ["x"]})
    assert "이미 50개입니다" in console(app, "/news watch add one-more HBM --yes")
    assert "이미 있습니다" in console(app, "/news watch add w1 HBM --yes")
    admins = App(
        Settings(database_url=app.settings.database_url, admins=("root",)), clock=app.clock
    )
    try:
        assert "관리자만" in console(admins, "/news watch add mine HBM --yes")
        assert "관리자만" in console(admins, "/news watch remove w1")
        assert "w1" in console(admins, "/news watch list")  # reading is for everyone
    finally:
        admins.close()


def test_mute_leaves_an_outlet_out_of_the_channels_digest(app: App) -> None:
    supply, _, spaced, _ = ids(app, SUPPLY, STOCK, SPACED, OTHER)
    console(app, "/news watch add hbm HBM -주가 --yes", "/news subscribe hbm at 09:00")
    shown = console(app, "/news mute 연합뉴스 for 7d")
    assert "연합뉴스" in shown and "2025-11-10" in shown
    assert "연합뉴스" in console(app, "/news mute")
    Planner(app).plan(NEXT_NINE)
    dest = app.store.destination(CHANNEL.place)
    assert dest is not None
    row = app.store.delivery(dest.id, DIGEST_KEY)
    assert row is not None and row.payload["items"] == [spaced]
    assert "1건" in console(app, "/news unmute 연합뉴스")
    assert "숨긴 것이 없습니다" in console(app, "/news mute")
    assert app.store.mutes(Place("console", "", "elsewhere"), T0) == []
    for wrong in ("abc", "2025-10-01", "400d", "12"):  # a mute lasts a span, at most a year
        said = console(app, f"/news mute 연합뉴스 for {wrong}").strip()
        assert said == f"숨길 기간은 12h, 7d, 2w처럼 1년 이내로 적으세요: {wrong}"
    assert "숨긴 것이 없습니다" in console(app, "/news mute")


@pytest.mark.parametrize(
    ("written", "until"),  # the one duration grammar: Korean units, weeks, decimals, seconds
    [("2주", "2025-11-17"), ("1w", "2025-11-10"), ("36시간", "2025-11-04"), ("1.5d", "2025-11-04")],
)
def test_a_mute_reads_the_one_duration_grammar(app: App, written: str, until: str) -> None:
    shown = console(app, f"/news mute 뉴시스 for {written}")
    assert "뉴시스" in shown and until in shown
    [muted] = app.store.mutes(CHANNEL.place, T0)
    assert muted.until is not None
    assert muted.until - T0 == {"2주": timedelta(days=14), "1w": timedelta(days=7)}.get(
        written, timedelta(hours=36)
    )


@pytest.mark.usefixtures("english")  # the CLI's English lines
def test_watches_export_and_import_through_the_cli(
    app: App, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = app.settings.database_url
    code, _, err = run_cli(
        ["watch", "add", "hbm", "HBM", "고대역폭메모리", "-주가", "--yes", "--db", db], capsys
    )
    assert code == 0, err
    code, _, _ = run_cli(
        ["watch", "add", "원전", "원전 수출", "source:연합뉴스", "--yes", "--db", db], capsys
    )
    assert code == 0
    exported = tmp_path / "watches.toml"
    code, _, _ = run_cli(["watches", "export", "-o", str(exported), "--db", db], capsys)
    assert code == 0
    text = exported.read_text(encoding="utf-8")
    assert '[watches."hbm"]' in text and 'exclude = ["주가"]' in text
    assert 'terms = ["원전 수출"]' in text and 'sources = ["연합뉴스"]' in text
    target = f"sqlite:///{tmp_path / 'other.db'}"
    code, out, err = run_cli(
        ["watches", "import", str(exported), "--workspace", "slack:T1", "--db", target], capsys
    )
    assert code == 0, err
    assert "added watch hbm" in out and "added watch 원전" in out
    code, out, _ = run_cli(["watch", "list", "--workspace", "slack:T1", "--db", target], capsys)
    assert "hbm: HBM 고대역폭메모리 -주가" in out and '원전: "원전 수출" source:연합뉴스' in out
    bad = tmp_path / "bad.toml"
    bad.write_text('[watches."BAD NAME"]\nterms = ["x"]\n', encoding="utf-8")
    code, _, err = run_cli(["watches", "import", str(bad), "--db", target], capsys)
    assert code == 2 and "is not a valid name" in err and "Traceback" not in err
    code, out, _ = run_cli(["digest", "--topic", "hbm", "--since", "7d", "--db", db], capsys)
    assert code == 0


def test_a_weekdays_subscription_skips_weekends_and_korean_holidays_and_loses_nothing(
    app: App,
) -> None:
    """Chuseok 2025: Fri 3 Oct (National Foundation Day) to Thu 9 Oct (Hangul Day) are holidays
    or a weekend; the weekday digest goes out on Fri 10 Oct and covers the whole break."""
    app.clock.set(datetime(2025, 10, 1, 0, 30, tzinfo=UTC))  # type: ignore[attr-defined]
    shown = console(app, "/news subscribe apec at 09:00 weekdays")
    assert "평일에만 보냅니다" in shown
    [sub] = app.store.subscriptions(CHANNEL.place)
    assert sub.days == "weekdays"
    dest = app.store.destination(CHANNEL.place)
    assert dest is not None
    early = Draft(
        "APEC 경주 정상회의 한 달 앞으로…준비 점검 회의",
        "아시아태평양경제협력체 정상회의가 한 달 앞으로 다가왔다. 정부는 경주에서 APEC 정상회의 "
        "준비 점검 회의를 열었다.",
        "early.txt",
        source="연합뉴스",
    )
    late = Draft(
        "경주 APEC 준비 막바지…정상회의장 점검",
        "아시아태평양경제협력체 정상회의를 앞두고 경주 화백컨벤션센터 점검이 이어졌다. "
        "정부는 APEC 정상회의 숙소와 경호 계획을 최종 확인했다.",
        "break.txt",
        source="뉴시스",
    )
    app.pipeline.ingest([early])
    planner = Planner(app)
    seoul_nine = [datetime(2025, 10, d, 0, 0, tzinfo=UTC) for d in range(2, 11)]  # 09:00 KST
    sent = []
    for instant in seoul_nine:
        if instant.day == 5:  # a story that comes in during the holidays
            app.clock.set(instant - timedelta(hours=2))  # type: ignore[attr-defined]
            [break_story] = app.pipeline.ingest([late])
        app.clock.set(instant)  # type: ignore[attr-defined]
        if planner.plan(instant):
            sent.append(instant.day)
    assert sent == [2, 10]  # Thu 2 Oct, then nothing until Fri 10 Oct
    key = "digest:2025-10-10T09:00:00+09:00"
    row = app.store.delivery(dest.id, key)
    assert row is not None and break_story in row.payload["items"]
    assert "weekdays" in console(app, "/news subscribe")
    console(app, "/news subscribe apec daily")
    assert app.store.subscriptions(CHANNEL.place)[0].days == "daily"


@pytest.mark.usefixtures("english")  # the CLI's English lines
def test_every_watch_action_works_as_newsbot_watches_and_as_newsbot_watch(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", app.settings.database_url]
    for spelling, name in (("watches", "hbm"), ("watch", "dram")):
        code, out, err = run_cli([spelling, "add", name, "HBM", "--yes", *db], capsys)
        assert code == 0 and f"Saved watch ‘{name}’" in out, err
        code, out, _ = run_cli([spelling, "edit", name, "HBM", "-주가", "--yes", *db], capsys)
        assert code == 0 and "-주가" in out
        code, out, _ = run_cli([spelling, "list", *db], capsys)
        assert code == 0 and f"{name}: HBM -주가" in out
        code, out, _ = run_cli([spelling, "show", name, *db], capsys)
        assert code == 0 and "HBM -주가" in out
    # the same answers, and the same exit codes, whichever the spelling
    answers = [run_cli([s, "show", "nope", *db], capsys) for s in ("watches", "watch")]
    assert answers[0] == answers[1] and answers[0][0] == 1  # not found
    code, out, _ = run_cli(["watches", "remove", "hbm", *db], capsys)
    assert code == 0 and "hbm" in out
    code, out, _ = run_cli(["watch", "remove", "dram", *db], capsys)
    assert code == 0 and "dram" in out
    code, out, _ = run_cli(["watches", "list", *db], capsys)
    assert "hbm" not in out and "dram" not in out
    code, _, err = run_cli(["watches", "export", "-o", "-", *db], capsys)
    assert code == 0, err


def test_watch_hints_name_the_cli_command_in_the_cli_and_the_chat_command_in_chat(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", app.settings.database_url]
    code, out, _ = run_cli(["watches", "list", *db], capsys)
    assert "newsbot watches add <이름>" in out and "/news" not in out
    code, out, _ = run_cli(["watches", "add", "hbm", "HBM", "-주가", *db], capsys)
    assert code == 0
    hint = out.strip().splitlines()[-1]
    assert hint.endswith(": newsbot watches add hbm HBM -주가 --yes"), hint  # no --workspace
    code, out, _ = run_cli(["watches", "add", "hbm", "HBM", "--workspace", "slack:T1", *db], capsys)
    assert out.strip().endswith("newsbot watches add hbm HBM --yes --workspace slack:T1")
    run_cli(["watches", "add", "hbm", "HBM", "--yes", *db], capsys)
    code, _, err = run_cli(["watches", "add", "hbm", "GPU", "--yes", *db], capsys)
    assert code == 2
    assert err.strip() == "error: ‘hbm’ 워치가 이미 있습니다. 바꾸려면 newsbot watches edit hbm …"
    # chat (the console is chat) keeps naming the chat command
    assert "바꾸려면 /news watch edit hbm" in console(app, "/news watch add hbm GPU --yes")


def test_a_topic_prefix_shared_with_a_watch_is_called_ambiguous_and_names_both(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", app.settings.database_url]
    # alone, a prefix names its topic
    code, _, err = run_cli(["digest", "--topic", "gpu", "--since", "all", *db], capsys)
    assert code == 0, err
    code, _, err = run_cli(["watches", "add", "gpu2", "GPU", "엔비디아", "--yes", *db], capsys)
    assert code == 0, err
    said = "‘gpu’로 시작하는 주제가 여럿입니다: gpu_deal, watch:gpu2. 하나를 골라 적으세요."
    for command in (["digest", "--since", "all"], ["trend", "--format", "json"]):
        code, out, err = run_cli([*command, "--topic", "gpu", *db], capsys)
        assert (code, out, err.strip()) == (2, "", f"error: --topic: {said}"), command
    for line in ("/news subscribe gpu at 09:00", "/news trend gpu", "/news digest topic:gpu"):
        assert console(app, line).strip() == said, line
    assert app.store.subscriptions(CHANNEL.place) == []
    # the whole name still works, and so does a prefix only one of them has
    code, _, err = run_cli(["digest", "--topic", "gpu2", "--since", "all", *db], capsys)
    assert code == 0, err
    assert "GPU·AI 컴퓨팅 거래 주제에 구독했습니다" in console(app, "/news subscribe gpu_ at 09:00")


def test_the_console_says_what_is_wrong_with_a_watch_a_time_or_a_zone(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    # a watch that is not there: the same answer in digest, subscribe, trend and --topic
    for line in ("/news digest watch:999", "/news subscribe watch:999", "/news trend watch:999"):
        assert console(app, line).strip() == "‘999’ 워치가 없습니다.", line
    assert console(app, "/news digest watch:nope").strip() == "‘nope’ 워치가 없습니다."
    code, _, err = run_cli(
        ["digest", "--topic", "watch:999", "--db", app.settings.database_url], capsys
    )
    assert (code, err.strip()) == (2, "error: --topic: ‘999’ 워치가 없습니다.")
    # at or tz with nothing after it
    assert console(app, "/news subscribe apec tz").strip() == (
        "‘tz’ 뒤에 시간대를 적으세요. 예: /news subscribe apec tz Asia/Seoul"
    )
    assert console(app, "/news subscribe apec at").strip() == (
        "‘at’ 뒤에 HH:MM을 적으세요. 예: /news subscribe apec at 09:00"
    )
    assert app.store.subscriptions(CHANNEL.place) == []
    # a marker with no word is no search term
    for word in ("source:", "+", "-"):
        said = console(app, f"/news watch add x HBM {word} --yes").strip()
        assert said == f"‘{word}’ 뒤에 단어가 없습니다. 붙여 쓰세요: +HBM, -주가, source:연합뉴스"
    assert "워치가 없습니다" in console(app, "/news watch list")
    assert "저장했습니다" in console(app, "/news watch add x HBM +메모리 source:연합뉴스 --yes")
