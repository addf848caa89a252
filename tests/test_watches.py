"""Watches: a team's own topics, defined from chat, previewed before saving, re-applied to stored
articles, usable wherever a topic is; mutes per channel; export and import."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.chat.commands import Commands, Context
from bot.chat.console import run_lines
from bot.config.settings import Settings
from bot.core.clock import FixedClock
from bot.delivery.planner import Planner
from bot.ingest.drafts import Draft
from bot.runtime.app import App
from bot.store import Place, Window
from tests.helpers import run_cli

T0 = datetime(2025, 11, 3, 1, 0, tzinfo=UTC)  # 10:00 in Seoul
NEXT_NINE = datetime(2025, 11, 4, 0, 0, tzinfo=UTC)  # 09:00 in Seoul the next day
DIGEST_KEY = "digest:2025-11-04T09:00:00+09:00"

SUPPLY = Draft(
    "SK하이닉스, 엔비디아에 HBM4 12단 공급 계약",
    "SK하이닉스가 엔비디아에 차세대 HBM4 12단 제품을 공급하는 계약을 맺었다. "
    "회사는 내년 상반기부터 고대역폭 메모리 물량을 본격적으로 출하한다.\n"
    "업계는 이번 계약으로 HBM4 시장 주도권이 굳어질 것으로 본다.",
    "supply.txt",
    source="연합뉴스",
    published_at=T0 - timedelta(days=1),
)
STOCK = Draft(
    "HBM 기대감에 SK하이닉스 주가 급등",
    "HBM 수요 기대감에 SK하이닉스 주가가 6% 올랐다. 외국인 순매수가 이어지며 HBM 관련주가 "
    "일제히 강세를 보였다.\n증권가는 목표 주가를 잇따라 높였다.",
    "stock.txt",
    source="한국경제",
    published_at=T0 - timedelta(days=1),
)
SPACED = Draft(
    "삼성전자, 차세대 고대역폭 메모리 양산 돌입",
    "삼성전자가 차세대 고대역폭 메모리 양산에 들어갔다. 회사는 고대역폭 메모리 생산 능력을 "
    "두 배로 늘린다.",
    "spaced.txt",
    source="전자신문",
    published_at=T0 - timedelta(days=2),
)
OTHER = Draft(
    "경주 APEC 정상회의 폐막…경주선언 채택",
    "아시아태평양경제협력체 정상회의가 경주선언을 채택하고 폐막했다. 정상들은 인공지능 협력에 "
    "뜻을 모았다.",
    "apec.txt",
    source="뉴시스",
    published_at=T0 - timedelta(days=1),
)
CHANNEL = Context("console", "", "team-news", "alice")


@pytest.fixture
def app(tmp_path: Path, analyser: object) -> Iterator[App]:
    app = App(Settings(database_url=f"sqlite:///{tmp_path / 'watch.db'}"), clock=FixedClock(T0))
    app.pipeline.ingest([SUPPLY, STOCK, SPACED, OTHER])
    yield app
    app.close()


def console(app: App, *lines: str, ctx: Context = CHANNEL) -> str:
    out = io.StringIO()
    run_lines(Commands(app), lines, ctx, out)
    return out.getvalue()


def ids(app: App, *drafts: Draft) -> list[int]:
    found = app.store.ids_by_content_hash([d.content_hash for d in drafts])
    return [found[d.content_hash] for d in drafts]


def watch_topic(app: App, name: str) -> str:
    [watch] = [w for w in app.store.watches("console", "") if w.name == name]
    return watch.topic


def test_a_watch_is_previewed_saved_and_its_digest_has_the_supply_story_not_the_stock_one(
    app: App,
) -> None:
    supply, stock, spaced, other = ids(app, SUPPLY, STOCK, SPACED, OTHER)
    shown = console(app, "/news watch add hbm HBM 고대역폭메모리 -주가 --yes")
    assert "워치 ‘hbm’을(를) 저장했습니다." in shown
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
    assert "워치 ‘hbm’을(를) 지웠습니다" in console(app, "/news watch remove hbm")
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
    for wrong in ("abc", "2025-10-01", "400d"):  # a mute lasts a span, at most a year
        said = console(app, f"/news mute 연합뉴스 for {wrong}").strip()
        assert said == f"숨길 기간은 12h, 7d, 2w처럼 1년 이내로 적으세요: {wrong}"
    assert "숨긴 것이 없습니다" in console(app, "/news mute")


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
    assert "‘없는매체’이라는 매체의 기사는 아직 없습니다" in unknown
    assert [m.value for m in app.store.mutes(here.place, T0)] != ["없는매체"]


WATCH_ID = re.compile(r"watch:\d")


def test_no_watch_id_in_any_reply_or_json_key(
    app: App, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    supply, *_ = ids(app, SUPPLY, STOCK, SPACED, OTHER)
    console(app, "/news watch add hbm HBM -주가 --yes")
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
        [
            "digest",
            "--topic",
            "apec",
            "--since",
            "2025-11-01",
            "--format",
            "json",
            "--db",
            app.settings.database_url,
        ],
        capsys,
    )
    assert code == 0 and json.loads(out)["older"] == 1
    stats = console(app, "/news stats")  # the digest's clock: the old report is not this week's
    assert "APEC: 1" in stats


def test_a_channels_trend_and_its_peak_label_leave_out_what_it_muted(app: App) -> None:
    from bot.services import trends

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
