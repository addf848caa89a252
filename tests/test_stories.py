"""Stories: reports of one event, in any outlet or language, are one story; other events stay
apart; every process shares the stories; a rebuild gives what ingesting gave."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from bot.analysis import clusters
from bot.analysis.pipeline import Pipeline
from bot.core.clock import FixedClock
from bot.present.i18n import t
from bot.store import open_store
from bot.store.drafts import Draft
from tests.helpers import ROOT, run_cli

STORY = (
    "엔비디아가 한국 정부와 삼성전자, SK그룹, 현대차그룹, 네이버에 그래픽처리장치(GPU) 26만 장을 공급하기로 했다. "
    "젠슨 황 엔비디아 최고경영자는 31일 경주에서 열린 아시아태평양경제협력체(APEC) 최고경영자 서밋에서 이같이 밝혔다. "
    "정부는 이 가운데 5만 장을 확보해 국가 AI 컴퓨팅 센터에 배치할 계획이다. "
    "삼성전자와 SK그룹은 각각 5만 장을 들여와 AI 팩토리를 구축하고, 현대차그룹은 자율주행 개발에 5만 장을 쓴다. "
    "네이버는 6만 장을 도입해 소버린 AI 인프라를 확충한다."
)
REWORDED = (
    "젠슨 황 엔비디아 CEO가 한국에 블랙웰 GPU 26만 장 이상을 공급하겠다고 약속했다. "
    "경주 APEC CEO 서밋 무대에 오른 황 CEO는 '한국은 AI 강국이 될 것'이라고 말했다. "
    "물량은 정부 5만 장, 삼성전자·SK·현대차 각 5만 장, 네이버 6만 장으로 나뉜다. "
    "업계는 국내 AI 연산 능력이 단숨에 세 배로 늘어날 것으로 내다본다."
)
ENGLISH = (
    "GYEONGJU, South Korea, Oct 31 (Reuters) - Nvidia will supply more than 260,000 of its "
    "latest graphics processing units to the South Korean government and companies including "
    "Samsung Electronics, SK Group, Hyundai Motor and Naver, chief executive Jensen Huang said "
    "at the APEC CEO summit. The government will take about 50,000 of the chips for a national "
    "AI computing centre, while Naver will get 60,000 for its sovereign AI infrastructure."
)
OTHER = (
    "카카오가 데이터센터 안산 2호기에 AMD GPU 2천 개를 추가로 도입한다고 밝혔다. "
    "카카오는 이번 증설로 자체 AI 서비스의 응답 속도를 높이고 학습 용량을 늘릴 계획이다. "
    "도입 물량은 MI355X 기반 서버로, 내년 상반기까지 순차적으로 들어온다. "
    "회사는 GPU 도입에 약 3천억원을 투입하며, 전력 설비도 함께 보강한다."
)
DAY = datetime(2025, 10, 31, 14, 0, tzinfo=UTC)


def _drafts() -> list[Draft]:
    return [
        Draft(
            "엔비디아, 韓에 GPU 26만장 공급", STORY, "a.txt", source="연합뉴스", published_at=DAY
        ),
        Draft(
            "젠슨황 '26만장 약속'…AI 3강 발판",
            REWORDED,
            "b.txt",
            source="뉴시스",
            url="https://newsis.example/1",
            published_at=DAY + timedelta(hours=3),
        ),
        Draft(
            "Nvidia to supply over 260,000 AI chips to S.Korea",
            ENGLISH,
            "c.txt",
            source="Reuters",
            url="https://reuters.example/1",
            published_at=DAY + timedelta(hours=5),
        ),
        Draft(
            "카카오, AMD GPU 2천개 추가 도입", OTHER, "d.txt", source="전자신문", published_at=DAY
        ),
    ]


def _stories(db_url: str) -> dict[str, int]:
    store = open_store(db_url)
    try:
        ids = store.ids_by_content_hash([d.content_hash for d in _drafts()])
        arts = store.articles(sorted(ids.values()))
    finally:
        store.close()
    return {str(a.source): a.cluster.id if a.cluster else a.id for a in arts}


def test_reports_in_other_words_and_languages_are_one_story_and_other_events_apart(
    db_url: str,
    analyser,
    topics,  # type: ignore[no-untyped-def]
) -> None:
    store = open_store(db_url)
    Pipeline(store, topics, analyser).ingest(_drafts())
    store.close()
    found = _stories(db_url)
    assert found["연합뉴스"] == found["뉴시스"] == found["Reuters"]
    assert found["전자신문"] != found["연합뉴스"]


def test_the_digest_shows_one_entry_per_story_with_its_outlets_linked(
    db_url: str,
    analyser,
    topics,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    store = open_store(db_url)
    Pipeline(store, topics, analyser).ingest(_drafts())
    store.close()
    code, out, _ = run_cli(
        ["digest", "--since", "all", "--topic", "gpu_deal", "--db", db_url], capsys
    )
    assert code == 0
    titles = [line for line in out.splitlines() if line and not line.startswith(" ")]
    assert [x for x in titles if "26만" in x or "260,000" in x] == [
        "엔비디아, 韓에 GPU 26만장 공급"
    ]
    assert "3개 매체: 연합뉴스, 뉴시스, Reuters" in out and "카카오, AMD GPU 2천개 추가 도입" in out
    code, out, _ = run_cli(
        ["digest", "--since", "all", "--topic", "gpu_deal", "--format", "json", "--db", db_url],
        capsys,
    )
    items = json.loads(out)["items"]
    assert len(items) == 2  # one per story
    [story] = [i for i in items if i["cluster"]["size"] == 3]
    members = story["cluster"]["members"]
    assert [m["source"] for m in members] == ["연합뉴스", "뉴시스", "Reuters"]
    assert members[2] == {
        "id": members[2]["id"],
        "title": "Nvidia to supply over 260,000 AI chips to S.Korea",
        "url": "https://reuters.example/1",
        "source": "Reuters",
        "published": "2025-10-31T19:00:00+00:00",
    }


def test_another_companys_deal_worded_alike_is_another_story(db_url: str, analyser, topics) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers.stories import gpu_story

    store = open_store(db_url)
    ids = Pipeline(store, topics, analyser).ingest([gpu_story(1), gpu_story(2)])
    arts = store.articles(sorted(ids))
    store.close()
    assert len(arts) == 2 and len({a.cluster.id if a.cluster else a.id for a in arts}) == 2


@pytest.mark.parametrize(("days", "joined"), [(4, True), (6, True), (8, False), (10, False)])
def test_reports_within_the_week_join_and_later_ones_do_not(  # type: ignore[no-untyped-def]
    db_url: str, analyser, topics, days: int, joined: bool
) -> None:
    """A follow-up of the same event a few days on (the English wire, a reaction) is the same
    story; the same words eight days later are a new event (stories.WINDOW is a week: a window
    of three days would fail the sixth day, a longer one the eighth)."""
    first, later = _drafts()[0], _drafts()[1]
    later.published_at = DAY + timedelta(days=days)
    store = open_store(db_url)
    Pipeline(store, topics, analyser).ingest([first, later])
    store.close()
    found = _stories(db_url)
    assert (found["연합뉴스"] == found["뉴시스"]) is joined


def test_a_new_process_joins_the_stories_the_store_holds(db_url: str, analyser, topics) -> None:  # type: ignore[no-untyped-def]
    drafts = _drafts()
    for part in (drafts[:1], drafts[1:]):  # as two runs, each with a fresh store and pipeline
        store = open_store(db_url)
        Pipeline(store, topics, analyser).ingest(part)
        store.close()
    found = _stories(db_url)
    assert found["연합뉴스"] == found["뉴시스"] == found["Reuters"] != found["전자신문"]


@pytest.mark.slow
def test_two_processes_ingesting_halves_of_a_story_make_one_story(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'shared.db'}"
    halves = []
    for n, part in enumerate((_drafts()[:2], _drafts()[2:])):
        folder = tmp_path / f"half{n}"
        folder.mkdir()
        for d in part:
            when = (d.published_at or DAY).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            page = (
                f'<html><head><meta property="article:published_time" content="{when}"></head>'
                f"<body><h1>{d.title}</h1><p>{d.body}</p><p>{d.source}</p></body></html>"
            )
            (folder / f"{Path(d.origin).stem}.html").write_text(page, encoding="utf-8")
        halves.append(folder)
    assert (
        subprocess.run(
            [sys.executable, "-m", "bot", "db", "upgrade", "--db", db_url], cwd=ROOT, check=False
        ).returncode
        == 0
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "ingest", str(folder), "--db", db_url],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for folder in halves
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    store = open_store(db_url)
    try:
        arts = store.articles(list(range(1, 5)))
    finally:
        store.close()
    by_title = {a.title: a.cluster.id if a.cluster else a.id for a in arts}
    nvidia = {by_title[t] for t in by_title if "카카오" not in t}
    assert len(nvidia) == 1, by_title
    assert by_title["카카오, AMD GPU 2천개 추가 도입"] not in nvidia


@pytest.mark.slow
def test_rebuilding_a_window_gives_what_ingesting_gave(
    db_url: str,
    analyser,
    topics,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    rows = [
        json.loads(line)
        for line in (ROOT / "bench" / "stories" / "tune.jsonl").read_text("utf-8").splitlines()
    ]
    drafts = [
        Draft(
            r.get("title") or "",
            r["text"],
            f"{r['id']}.txt",
            source=r.get("source"),
            published_at=datetime.fromisoformat(r["published"]),
        )
        for r in rows
    ]
    store = open_store(db_url)
    Pipeline(store, topics, analyser).ingest(drafts)
    before = {a.id: a.cluster.id if a.cluster else None for a in store.articles(range(1, 200))}
    store.close()
    assert len(set(before.values())) < len(before) - 40  # many stories of several reports
    code, out, err = run_cli(["clusters", "rebuild", "--since", "all", "--db", db_url], capsys)
    assert code == 0 and t("cli.rebuilt", "ko", count=len(before)) in out, err
    store = open_store(db_url)
    after = {a.id: a.cluster.id if a.cluster else None for a in store.articles(range(1, 200))}
    store.close()
    assert after == before


@pytest.mark.slow
def test_on_the_held_out_story_set_the_rule_beats_the_bar_and_the_baseline(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The acceptance figure: the held-out set was never used to tune the rule."""
    held_out = str(ROOT / "bench" / "stories" / "holdout.jsonl")
    code, out, err = run_cli(["eval-clusters", held_out, "--format", "json"], capsys)
    assert code == 0, err
    ours = json.loads(out)
    assert ours["n"] >= 150 and ours["stories"] < ours["n"] - 15
    assert ours["bcubed"]["f1"] >= 0.90 and ours["pairwise"]["p"] >= 0.90
    code, out, _ = run_cli(
        ["eval-clusters", held_out, "--minhash-only", "--format", "json"], capsys
    )
    baseline = json.loads(out)
    assert ours["bcubed"]["f1"] > baseline["bcubed"]["f1"] + 0.1


def test_bad_story_files_get_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "text": "x"}\n', encoding="utf-8")
    code, _, err = run_cli(["eval-clusters", str(bad)], capsys)
    assert code == 2 and "1번째 줄" in err and "story" in err  # NEWSBOT_LANGUAGE=ko
    code, _, err = run_cli(["eval-clusters", str(tmp_path / "missing.jsonl")], capsys)
    assert code == 2 and t("stories.no_file", "ko", path=tmp_path / "missing.jsonl") in err


def test_signature_is_the_universal_hash_minimum() -> None:
    """Stored signatures must stay comparable across versions: the fast modulo must give
    exactly min(((a*x + b) mod (2**61 - 1)) & (2**32 - 1)) over the article's bigrams."""
    lemmas = ["엔비디아", "gpu", "26만", "공급", "한국", "정부", "apec", "경주"] * 3
    hashes = np.array([clusters.zlib.crc32(x.encode()) for x in lemmas], dtype=np.uint64)
    grams = (hashes[:-1] * clusters._MIX + hashes[1:]) & clusters._MASK
    mixed = grams[:, None] * clusters._A + clusters._B  # wraps modulo 2**64, as stored ones did
    expected = ((mixed % clusters._PRIME) & clusters._MASK).min(axis=0)
    assert (clusters.signature(lemmas) == expected).all()


def test_a_days_many_deals_of_one_template_stay_apart(db_url: str, analyser, topics) -> None:  # type: ignore[no-untyped-def]
    """240 deals over one day, titles of one template, different buyers, suppliers, cities and
    figures: a story must be matched as a whole, so no chain of look-alikes joins them."""
    from tests.helpers.stories import one_day_deals

    deals = one_day_deals(240)
    store = open_store(db_url)
    try:
        Pipeline(store, topics, analyser).ingest(deals)
        by_hash = store.ids_by_content_hash([d.content_hash for d in deals])
        arts = store.articles(sorted(by_hash.values()))
    finally:
        store.close()
    assert len(arts) == 240
    sizes = Counter(a.cluster.id if a.cluster else a.id for a in arts)
    alone = sum(1 for a in arts if sizes[a.cluster.id if a.cluster else a.id] == 1)
    assert alone >= 0.95 * 240, sizes.most_common(5)
    assert max(sizes.values()) <= 3, sizes.most_common(5)


def test_an_undated_report_joins_its_dated_story_and_undated_files_stay_apart(
    db_url: str,
    analyser,
    topics,  # type: ignore[no-untyped-def]
) -> None:
    """A date that is unknown is not "read today": an undated rewrite read a month later still
    joins its dated story on content alone, and an undated report of another event does not."""
    drafts = _drafts()
    drafts[1].published_at = None  # 뉴시스: no date on the page
    drafts[3].published_at = None  # 전자신문: another event, no date either
    clock = FixedClock(DAY + timedelta(days=40))  # the undated ones are read much later
    store = open_store(db_url, clock=clock)
    try:
        Pipeline(store, topics, analyser).ingest([drafts[0], drafts[2]])
        Pipeline(store, topics, analyser).ingest([drafts[1], drafts[3]])
    finally:
        store.close()
    found = _stories(db_url)
    assert found["뉴시스"] == found["연합뉴스"] == found["Reuters"]
    assert found["전자신문"] != found["연합뉴스"]


def test_a_rebuild_after_the_upgrade_makes_old_profiles_again(
    db_url: str,
    analyser,
    topics,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    """A database from before the upgrade holds profiles without the unknown-date mark: after
    ``clusters rebuild`` an undated rewrite read weeks later is in its dated story again."""
    drafts = _drafts()
    drafts[1].published_at = None
    store = open_store(db_url, clock=FixedClock(DAY + timedelta(days=40)))
    Pipeline(store, topics, analyser).ingest(drafts)
    ids = store.ids_by_content_hash([d.content_hash for d in drafts])
    joined = _stories(db_url)
    assert joined["뉴시스"] == joined["연합뉴스"]
    old = {}  # as the previous version stored them: no version, the date taken as "now"
    for article in store.articles(sorted(ids.values())):
        profile = store.story_profiles([article.id])[article.id]
        profile.pop("v", None)
        profile.pop("undated", None)
        old[article.id] = (profile, [f"t:{w}" for w in profile.get("title", [])[:3]])
    store.replace_story_profiles(old)
    store.rebuild_stories(datetime(1970, 1, 1, tzinfo=UTC), lambda r, c: None, timedelta(days=3))
    store.close()
    assert len(set(_stories(db_url).values())) == 4  # every report alone: the old profiles
    code, out, err = run_cli(["clusters", "rebuild", "--since", "all", "--db", db_url], capsys)
    assert code == 0, err
    assert _stories(db_url) == joined


def test_eval_clusters_reads_dates_as_pages_give_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A zone-less time (Korea time), a year-month, a year and no date are read, not refused;
    a date that is no date names its line; cross-language pairs are counted."""
    rows = [
        {"id": "a", "title": "엔비디아, 韓에 GPU 26만장 공급", "text": STORY, "story": "gpu",
         "published": "2025-10-31T23:30", "lang": "ko"},
        {"id": "b", "title": "젠슨황 '26만장 약속'…AI 3강 발판", "text": REWORDED, "story": "gpu",
         "published": "2025-11", "lang": "ko"},
        {"id": "c", "title": "Nvidia to supply over 260,000 AI chips to S.Korea", "text": ENGLISH,
         "story": "gpu", "published": "2025", "lang": "en"},
        {"id": "d", "title": "카카오, AMD GPU 2천개 추가 도입", "text": OTHER, "story": "kakao",
         "lang": "ko"},
    ]  # fmt: skip
    path = tmp_path / "stories.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    code, out, err = run_cli(["eval-clusters", str(path), "--format", "json"], capsys)
    assert code == 0, err
    report = json.loads(out)
    assert report["n"] == 4 and report["cross_language"]["pairs"] == 2
    predicted = {i["id"]: i["predicted"] for i in report["items"]}
    assert predicted["d"] != predicted["a"]
    rows[3]["published"] = "last Friday"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    code, _, err = run_cli(["eval-clusters", str(path)], capsys)
    assert code == 2 and "4번째 줄" in err and "last Friday" in err  # NEWSBOT_LANGUAGE=ko


def test_a_labelled_date_without_a_zone_is_korea_time_and_a_month_is_unknown() -> None:
    from bot.services.labelled import read_published

    assert read_published("2025-10-31T23:30").at == datetime(2025, 10, 31, 14, 30, tzinfo=UTC)
    day = read_published("2025-10-31")
    assert day.date_only and day.at is not None and day.at.date().isoformat() == "2025-10-31"
    assert read_published("2025-11").at is None and read_published("2025").at is None
    assert read_published(None).at is None and read_published("").at is None
    with pytest.raises(ValueError):
        read_published("2025-13")


@pytest.mark.postgres
def test_on_postgres_an_undated_report_joins_its_story_and_deals_stay_apart(
    pg_url: str,
    analyser,
    topics,  # type: ignore[no-untyped-def]
) -> None:
    from tests.helpers.stories import one_day_deals

    drafts = _drafts()
    drafts[1].published_at = None
    deals = one_day_deals(40)
    store = open_store(pg_url, clock=FixedClock(DAY + timedelta(days=40)))
    try:
        Pipeline(store, topics, analyser).ingest([drafts[0], drafts[2], *deals])
        Pipeline(store, topics, analyser).ingest([drafts[1], drafts[3]])
        by_hash = store.ids_by_content_hash([d.content_hash for d in [*drafts, *deals]])
        arts = {a.id: a for a in store.articles(sorted(by_hash.values()))}
    finally:
        store.close()
    story = {d.origin: (lambda a: a.cluster.id if a.cluster else a.id)(arts[by_hash[d.content_hash]]) for d in [*drafts, *deals]}  # fmt: skip
    assert story["b.txt"] == story["a.txt"] == story["c.txt"] != story["d.txt"]
    assert len({story[d.origin] for d in deals}) >= 38


def test_a_report_like_one_member_but_not_the_story_as_a_whole_stays_out() -> None:
    """Average link: passing the rule with one member is not enough when the report scores far
    below the rest of the story (A~B, B~C does not make C a report of A); a report that scores
    well on average joins, a rewrite of any member joins, and the best mean wins."""
    from bot.analysis.story_assign import LINK, choose

    chain = {7: [0.9, None, None]}  # like one of three members only
    assert choose(chain, {7: LINK - 1.0}) is None
    assert choose(chain, {7: LINK + 0.1}) == 7
    assert choose({7: [100.8, None, None]}, {7: LINK - 3.0}) == 7  # a rewrite of one member
    both = {7: [0.9, 0.7], 9: [1.4, None]}
    assert choose(both, {7: 0.8, 9: LINK + 0.2}) == 9  # the higher mean verdict
    assert choose(both, {7: 0.8, 9: LINK - 0.2}) == 7  # 9 is not like the story as a whole
