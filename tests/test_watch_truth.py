"""What a watch, a mute and a digest say is what the articles say: one mention counts once
whichever aliases a watch lists, evidence as written, a preview saves nothing until confirmed,
mutes apply wherever a channel reads news, watches by name (never ``watch:<id>``), undated items
by the day they were collected, and section headings that count every story of their topic."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.chat.commands import Context
from bot.config.settings import Settings
from bot.core.clock import FixedClock
from bot.delivery.planner import Planner
from bot.runtime.app import App
from bot.services import trends
from bot.store import Window
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


TWICE = Draft(
    "반도체 업계, 차세대 메모리 투자 확대",
    "SK하이닉스는 HBM(고대역폭메모리) 생산 라인을 늘린다. 업계는 설비 투자가 이어질 것으로 본다.\n"
    "삼성전자도 HBM(고대역폭메모리) 물량을 내년에 두 배로 늘릴 계획이다.",
    "twice.txt",
    source="전자신문",
    published_at=T0 - timedelta(hours=3),
)


@pytest.mark.parametrize("where", ["seeds", "invented"])
def test_one_mention_counts_once_whichever_aliases_a_watch_lists(
    where: str, seeded_copy: str, tmp_path: Path, analyser: object
) -> None:
    """HBM(고대역폭메모리) written once is one mention: `a HBM`, `b 고대역폭메모리` and
    `c HBM 고대역폭메모리` match the same articles, on the seeds (each writes it once: a passing
    mention, so none) and on an article that writes it in two sentences (all three)."""
    if where == "seeds":
        app = App(Settings(database_url=seeded_copy))
    else:
        app = App(Settings(database_url=f"sqlite:///{tmp_path / 'w.db'}"), clock=FixedClock(T0))
        app.pipeline.ingest([SUPPLY, STOCK, SPACED, OTHER, TWICE])
    try:
        found = {}
        for line in ("a HBM", "b 고대역폭메모리", "c HBM 고대역폭메모리"):
            shown = console(app, f"/news watch add {line} --yes")
            name = line.split()[0]
            found[name] = set(app.store.matched_ids(Window(topics=[watch_topic(app, name)])))
            count = shown.split("미리보기: 최근 7일 기사 중 ")[1].split("건")[0]
            found[name + "-preview"] = {int(count)}
            assert "hbm" not in shown.split("미리보기")[-1]  # evidence as written, not lemmas
        assert found["a"] == found["b"] == found["c"]
        assert found["a-preview"] == found["b-preview"] == found["c-preview"]
        if where == "seeds":
            assert found["a"] == set()
        else:
            twice, supply, stock, spaced = ids(app, TWICE, SUPPLY, STOCK, SPACED)
            assert found["a"] == {twice, supply, stock, spaced}
            why = console(app, f"/news why {twice}")
            assert "HBM" in why or "고대역폭메모리" in why
    finally:
        app.close()


def test_watch_add_previews_and_saves_nothing_until_confirmed(app: App) -> None:
    shown = console(app, "/news watch add hbm HBM -주가")
    assert "워치 ‘hbm’ 미리보기입니다. 아직 저장하지 않았습니다." in shown
    assert "미리보기: 최근 7일 기사 중 2건이 맞습니다." in shown
    assert "‘-주가’ 때문에 빠진 기사: 1건" in shown and STOCK.title not in shown
    assert "→ 저장: /news watch add hbm HBM -주가 --yes" in shown
    assert app.store.watches("console", "") == []
    console(app, "/news watch add hbm HBM -주가 --yes")
    edited = console(app, "/news watch edit hbm HBM")  # an edit is previewed too
    assert "아직 바꾸지 않았습니다" in edited and "미리보기: 최근 7일 기사 중 3건" in edited
    [watch] = app.store.watches("console", "")
    assert watch.spec["exclude"] == ["주가"]  # unchanged until confirmed


def test_a_mute_hides_the_outlet_and_the_story_from_digest_in_that_channel_only(app: App) -> None:
    supply, stock, spaced, other = ids(app, SUPPLY, STOCK, SPACED, OTHER)
    here, there = CHANNEL, Context("console", "", "other-room", "bob")
    before = console(app, "/news digest all", ctx=here)
    assert OTHER.title in before and f"#{other}" in before
    muted = console(app, "/news mute 뉴시스", ctx=here)
    assert "뉴시스" in muted
    assert OTHER.title not in console(app, "/news digest all", ctx=here)
    assert OTHER.title in console(app, "/news digest all", ctx=there)
    console(app, "/news unmute 뉴시스", ctx=here)
    said = console(app, f"/news mute #{other}", ctx=here)
    assert OTHER.title in said  # the story's title, so a typo of an id shows
    assert OTHER.title not in console(app, "/news digest all", ctx=here)
    assert OTHER.title in console(app, "/news digest all", ctx=there)
    unknown = console(app, "/news mute 없는매체", ctx=here).strip()
    assert "‘없는매체’라는 매체의 기사는 아직 없습니다" in unknown
    assert [m.value for m in app.store.mutes(here.place, T0)] != ["없는매체"]


@pytest.mark.parametrize("period", ["2주", "7일", "2w", "12시간", "90m"])
def test_a_mute_takes_a_period_as_digest_periods_are_written(app: App, period: str) -> None:
    said = console(app, f"/news mute 뉴시스 for {period}", ctx=CHANNEL)
    [mute] = app.store.mutes(CHANNEL.place, T0)
    assert mute.value == "뉴시스" and mute.until is not None, said
    assert console(app, "/news mute 뉴시스 for 2년", ctx=CHANNEL).count("\n") <= 1  # one line


WATCH_ID = re.compile(r"watch:\d")


def test_no_watch_id_in_any_reply_or_json_key(
    app: App, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    supply, *_ = ids(app, SUPPLY, STOCK, SPACED, OTHER)
    console(app, "/news watch add hbm HBM -주가 --yes")
    elsewhere = Context("slack", "T9", "C9", "bob")  # another workspace's watch stays its own
    console(app, "/news watch add secret HBM4 --yes", ctx=elsewhere)
    [secret] = app.store.watches("slack", "T9")
    assert supply in app.store.matched_ids(Window(topics=[secret.topic]))  # it is on the item
    replies = console(
        app,
        "/news topics",
        "/news digest nope",
        "/news digest hbm 7d",
        f"/news why {supply}",
        "/news search SK하이닉스 nope",
        "/news trend nope",
        "/news stats",
        "/news subscribe hbm at 09:00",
        "/news subscribe",
        "/news watch list",
    )
    assert "watch:hbm" in replies and not WATCH_ID.search(replies)
    db = app.settings.database_url
    for args in (
        ["digest", "--since", "7d", "--format", "json"],
        ["digest", "--topic", "watch:hbm", "--since", "7d", "--format", "json"],
        ["search", "SK하이닉스", "--format", "json"],
        ["why", str(supply), "--format", "json"],
        ["topics", "--format", "json"],
        ["digest", "--topic", "nope"],
        ["trend", "--topic", "hbm", "-o", str(tmp_path / "t.png"), "--format", "json"],
    ):
        code, out, err = run_cli([*args, "--db", db], capsys)
        assert not WATCH_ID.search(out + err), args
    code, out, _ = run_cli(["why", str(supply), "--format", "json", "--db", db], capsys)
    item = json.loads(out)
    assert "watch:hbm" in item["topics"] and "watch:hbm" in item["scores"]
    assert "secret" not in out  # the console does not see slack:T9's watch
    assert {e["topic"] for e in item["evidence"]} >= {"watch:hbm"}
    topic = watch_topic(app, "hbm")  # an id a script stored before names replaced ids
    code, out, _ = run_cli(
        ["digest", "--topic", topic, "--since", "all", "--format", "json", "--db", db], capsys
    )
    assert code == 0 and all("watch:hbm" in i["topics"] for i in json.loads(out)["items"])
    trend = ["trend", "--topic", "hbm", "-o", str(tmp_path / "t.png"), "--format", "json"]
    code, out, _ = run_cli([*trend, "--db", db], capsys)
    assert [t["topic"] for t in json.loads(out)["topics"]] == ["watch:hbm"]
    code, out, _ = run_cli(["topics", "--format", "json", "--db", db], capsys)
    kinds = {t["id"]: t["kind"] for t in json.loads(out)["topics"]}
    assert kinds["watch:hbm"] == "watch" and kinds["apec"] == "builtin"


def test_an_undated_item_is_labelled_with_its_ingestion_date_and_headers_count_every_story(
    app: App,
) -> None:
    undated = Draft(
        "APEC 경주 정상회의 준비 점검…숙소·경호 최종 확인",
        "아시아태평양경제협력체 정상회의를 앞두고 정부가 경주에서 APEC 준비 점검 회의를 열었다. "
        "정부는 APEC 정상회의 숙소와 경호 계획을 최종 확인했다.",
        "undated.txt",
        source="뉴스1",
    )
    app.clock.set(T0 - timedelta(days=4))  # type: ignore[attr-defined]  # collected on 10/30
    [item] = app.pipeline.ingest([undated])
    app.clock.set(T0)  # type: ignore[attr-defined]
    shown = console(app, "/news digest apec 7d")
    line = next(x for x in shown.splitlines() if x.strip().endswith(f"#{item}"))
    assert "수집 10/30" in line and "2025-11-03" not in line and "날짜 없음" not in line
    assert "[APEC — 2건]" in shown  # the heading counts the topic's stories shown


def test_a_digest_says_how_many_older_items_it_left_out_and_stats_keeps_its_clock(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    old = Draft(
        "경주 APEC 정상회의 준비위원회 출범",
        "아시아태평양경제협력체 정상회의 준비위원회가 출범했다. 정부는 경주 APEC 정상회의 "
        "준비 계획을 확정했다.",
        "old.txt",
        source="뉴스1",
        published_at=T0 - timedelta(days=40),  # published long ago, collected today
    )
    app.pipeline.ingest([old])
    shown = console(app, "/news digest apec 7d")
    assert "이전 기사 1건은 보이지 않습니다" in shown and old.title not in shown
    assert old.title in console(app, "/news digest apec all")
    assert "이전 기사" not in console(app, "/news digest apec all")
    code, out, _ = run_cli(
        ["digest", "--topic", "apec", "--since", "2025-11-01", "--db", app.settings.database_url],
        capsys,
    )
    assert code == 0 and "이전 기사 1건은 보이지 않습니다" in out
    stats = console(app, "/news stats")  # the digest's clock: the old report is not this week's
    assert "APEC: 1" in stats


def test_a_channels_trend_and_its_peak_label_leave_out_what_it_muted(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the console writes its pictures (trend.png) here
    console(app, "/news watch add hbm HBM -주가 --yes")
    topic = watch_topic(app, "hbm")
    before = trends.trend(app, [topic], period="7d")
    assert ("연합뉴스", 1) in before.outlets
    assert before.peak is not None and before.peak.title == SUPPLY.title  # the busiest day
    console(app, "/news mute 연합뉴스")
    muted = app.store.mutes(CHANNEL.place, T0)
    after = trends.trend(app, [topic], period="7d", mutes=muted)
    assert "연합뉴스" not in dict(after.outlets) and after.stories == before.stories - 1
    assert after.peak is not None and after.peak.title == SPACED.title
    elsewhere = console(app, "/news trend hbm 7d", ctx=Context("console", "", "other", "bob"))
    here = console(app, "/news trend hbm 7d")
    assert "스토리 2건 (hbm 2)" in elsewhere and "스토리 1건 (hbm 1)" in here


def test_a_weekly_report_leaves_out_what_its_channel_muted(app: App) -> None:
    supply, _, spaced, _ = ids(app, SUPPLY, STOCK, SPACED, OTHER)
    console(app, "/news watch add hbm HBM -주가 --yes", "/news subscribe hbm at 09:00 weekly mon")
    console(app, "/news mute 연합뉴스")
    monday_nine = datetime(2025, 11, 10, 0, 0, tzinfo=UTC)  # 09:00 in Seoul
    app.clock.set(monday_nine)  # type: ignore[attr-defined]
    assert Planner(app).plan(monday_nine) == 1
    dest = app.store.destination(CHANNEL.place)
    assert dest is not None
    row = app.store.delivery(dest.id, "weekly:2025-11-10T09:00:00+09:00")
    assert row is not None and row.payload["items"] == [spaced]  # 연합뉴스's story left out
    assert SUPPLY.title not in str(row.payload["reply"]) and row.payload["reply"]["image"]


@pytest.mark.postgres
def test_watches_mutes_and_names_on_postgres(pg_url: str, analyser: object) -> None:
    app = App(Settings(database_url=pg_url), clock=FixedClock(T0))
    try:
        app.pipeline.ingest([SUPPLY, STOCK, SPACED, OTHER, TWICE])
        twice, supply, stock, spaced = ids(app, TWICE, SUPPLY, STOCK, SPACED)
        for line in ("a HBM", "b 고대역폭메모리", "c HBM 고대역폭메모리"):
            console(app, f"/news watch add {line} --yes")
        found = [set(app.store.matched_ids(Window(topics=[watch_topic(app, n)]))) for n in "abc"]
        assert found == [{twice, supply, stock, spaced}] * 3
        assert "‘MBC’라는 매체의 기사는 아직 없습니다" in console(app, "/news mute MBC")
        console(app, "/news mute 연합뉴스")  # the outlet as digests show it
        here = console(app, "/news digest a 7d")
        there = console(app, "/news digest a 7d", ctx=Context("console", "", "other", "bob"))
        assert SUPPLY.title not in here and SUPPLY.title in there
        assert "watch:a" in console(app, "/news topics") and not WATCH_ID.search(here)
        assert "APEC: 1" in console(app, "/news stats")
    finally:
        app.close()


def test_section_headings_count_the_topics_stories_shown_under_other_topics(
    seeded_copy: str,
) -> None:
    """On the seeds all five stories are sovereign AI; two show under it and three under the
    topics they score higher in: the heading says so instead of `소버린 AI (2)`."""
    app = App(Settings(database_url=seeded_copy))
    try:
        shown = console(app, "/news digest all")
        assert "[소버린 AI — 2건, 3건 더: APEC, GPU·AI 컴퓨팅 거래]" in shown
        assert "[APEC — 1건, 1건 더: 소버린 AI]" in shown
    finally:
        app.close()
