"""Story briefs (세 줄 요약): three sentences chosen across a story's reports, never a byline or
a caption, no sentence twice; better than the lead on labelled stories never used for tuning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.analysis.briefs import Report, analyse, brief
from bot.present.i18n import t
from bot.store.drafts import Draft
from tests.helpers import ROOT, run_cli
from tests.helpers.bot import MakeBot

WIRE = (
    "(서울=연합뉴스) 김철수 기자 = 과학기술정보통신부는 독자 AI 파운데이션 모델 프로젝트의 "
    "1차 평가 결과 4개 정예팀이 2단계에 진출했다고 15일 밝혔다.\n\n"
    "평가에서는 한 팀이 탈락했고, 정부는 남은 팀에 GPU와 데이터를 계속 지원한다.\n\n"
    "사진은 15일 정부서울청사에서 결과를 발표하는 과기정통부 관계자.\n\n"
    "과기정통부 관계자가 15일 정부서울청사에서 평가 결과를 발표하고 있다.\n\n"
    "김철수 기자 kim@yna.co.kr\n\n"
    "<저작권자(c) 연합뉴스, 무단 전재-재배포 금지>"
)
REWRITE = (
    "[디지털데일리 이나연기자] 과학기술정보통신부는 독자 AI 파운데이션 모델 프로젝트의 1차 평가 "
    "결과 4개 정예팀이 2단계에 진출했다고 15일 밝혔다.\n\n"
    "2단계에서는 모델 규모를 키우고 한국어 성능과 안전성을 함께 평가한다.\n\n"
    "업계는 정부가 내년 하반기 최종 2개 팀을 고를 것으로 본다."
)


def test_a_brief_leaves_out_bylines_and_captions_and_says_nothing_twice(analyser) -> None:  # type: ignore[no-untyped-def]
    reports = [Report("독자 AI 1차 평가 결과", WIRE), Report("독파모 2단계 진출", REWRITE)]
    found = brief(reports, analyser)
    assert 2 <= len(found) <= 3
    text = " ".join(found)
    for junk in ("기자", "@", "저작권", "사진은", "발표하고 있다", "연합뉴스", "디지털데일리"):
        assert junk not in text, junk
    assert sum("2단계에 진출했다고" in s for s in found) == 1  # the shared lead once
    assert any(s.startswith("과학기술정보통신부는") for s in found)  # the dateline is stepped over


def test_credit_lines_are_never_quoted_whatever_their_case(analyser) -> None:  # type: ignore[no-untyped-def]
    news = "한빛전자는 새 공장에서 반도체 생산을 두 배로 늘린다고 밝혔다."
    credits = [
        "COPYRIGHT 2025 한빛일보 ALL RIGHTS RESERVED 이 기사는 재배포할 수 없다.",
        "Reporting By 김하늘, Editing By 박바다 기자가 정리했다고 밝혔다.",
        "AP PHOTO 한빛전자의 새 공장 생산 라인 모습을 보여준다고 밝혔다.",
        "Ⓒ 한빛일보 새 공장 소식을 전하는 기사의 판권 표시라고 밝혔다.",
        "afp VIA GETTY IMAGES 제공 새 공장의 생산 설비 모습이라고 밝혔다.",
        "한빛전자 새 공장 소식은 yonhap",
    ]
    body = "\n".join([news, *credits])
    quoted = [body[c.start : c.end] for c in analyse(Report("", body), analyser).sentences or ()]
    assert quoted == [news]


def test_on_the_held_out_stories_the_brief_beats_the_lead(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = ROOT / "bench" / "briefs" / "holdout.jsonl"
    code, out, err = run_cli(["eval-briefs", str(path), "--format", "json"], capsys)
    assert code == 0, err
    report = json.loads(out)
    assert report["n"] >= 25
    assert report["rouge1_recall"] >= report["lead3_rouge1_recall"] + 0.1
    assert report["rouge1_recall"] >= 0.6
    assert all(len(i["brief"]) <= 3 for i in report["items"])


def test_bad_brief_files_get_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "b.jsonl"
    bad.write_text('{"story": "x"}\n', encoding="utf-8")
    code, _, err = run_cli(["eval-briefs", str(bad)], capsys)
    assert code == 2 and "1번째 줄" in err and "Traceback" not in err  # NEWSBOT_LANGUAGE=ko


def test_the_digest_and_why_show_the_brief(tmp_path: Path, make_bot: MakeBot) -> None:
    bot = make_bot(f"sqlite:///{tmp_path / 'b.db'}")
    [first, _] = bot.app.pipeline.ingest(
        [
            Draft("독자 AI 1차 평가 결과 발표", WIRE, "a.txt", source="연합뉴스"),
            # a rewrite of the same report (a title that adds new figures would be a
            # different event to the story rule: 4개 팀, 2단계)
            Draft("독자 AI 1차 평가 결과…정예팀 가려져", REWRITE, "b.txt", source="디지털데일리"),
        ]
    )
    shown = bot("/news digest all", f"/news why {first}")
    assert shown.count("2단계에서는 모델 규모를 키우고") == 2  # in the digest entry and in why
    assert "세 줄 요약:" in shown


# -- exact quotes, in order ----------------------------------------------------------------------

# invented reports written like real ones: a dateline, a photo caption repeated, a byline, an
# e-mail line, and sentences whose first word or prefix changes the fact (비/미/무/제, 다만/한편)
FIRST = (
    "(세종=뉴스원) 박영희 기자 = 비공개 회의에서 정부는 무정전 전원장치(UPS) 예산을 두 배로 늘리기로 "
    "했다고 3일 밝혔다.\n"
    "▲ 3일 세종청사에서 열린 회의 모습. (사진=뉴스원)\n"
    "미확정 사업 12건은 내년 상반기 다시 심사해 예산 반영 여부를 정한다.\n"
    "다만 정부는 무관세 품목 확대 여부에 대해서는 말을 아꼈다.\n"
    "▲ 3일 세종청사에서 열린 회의 모습. (사진=뉴스원)\n"
    "박영희 기자 young@newsone.example"
)
SECOND = (
    "[테크일보 최민수 기자] ‘제11회 데이터센터 전력 포럼’에서 업계는 정부의 UPS 예산 확대를 "
    "환영했다.\n"
    "한편 전력 업계는 데이터센터 전력 수요가 2030년까지 세 배로 늘 것으로 내다봤다.\n"
    "업계 관계자는 “전원장치 국산화가 필요하다.”며 “정부 지원이 이어져야 한다”고 말했다."
)
PREFIXES = ("비공개 회의에서", "미확정", "다만 정부는", "‘제11회", "한편 전력")


def _check_exact(found: list[str], bodies: list[str]) -> None:
    """Every sentence an exact span of one report starting at a sentence start, in report
    order; no caption, byline or e-mail line."""
    last = (-1, -1)
    for sentence in found:
        where = [(r, b.find(sentence)) for r, b in enumerate(bodies) if sentence in b]
        assert where, f"not quoted exactly: {sentence!r}"
        r, at = where[0]
        assert at == 0 or not bodies[r][at - 1].isalnum(), sentence
        assert (r, at) > last, "out of the reports' order"
        last = (r, at)
        for junk in ("기자", "@", "사진", "모습."):
            assert junk not in sentence, sentence


def test_briefs_quote_the_reports_exactly_in_their_order(analyser) -> None:  # type: ignore[no-untyped-def]
    found = brief([Report("UPS 예산 두 배로", FIRST), Report("전력 포럼", SECOND)], analyser)
    assert len(found) == 3
    _check_exact(found, [FIRST, SECOND])


def test_a_prefix_or_a_leading_word_is_never_cut(analyser) -> None:  # type: ignore[no-untyped-def]
    from bot.analysis.briefs import analyse

    quoted = [
        body[c.start : c.end]
        for body in (FIRST, SECOND)
        for c in analyse(Report("", body), analyser).sentences or ()
    ]
    for prefix in PREFIXES:
        assert any(s.startswith(prefix) for s in quoted), prefix
    assert any("무정전 전원장치" in s for s in quoted)
    assert not any(s.startswith(("공개", "정전", "확정", "정부는", "11회")) for s in quoted)
    # a quotation stays whole: no sentence ends inside it or starts with its tail
    assert not any(s.startswith("며 “정부") for s in quoted)


def test_stored_briefs_of_the_seeds_are_exact_and_reach_json(seeded_url: str) -> None:
    from bot.store import open_store

    store = open_store(seeded_url)
    try:
        items = store.articles(list(range(1, store.count_articles() + 1)))
    finally:
        store.close()
    briefed = [a for a in items if a.brief]
    assert len(briefed) >= 4
    by_id = {a.id: a for a in items}
    for a in briefed:
        members = a.cluster.members if a.cluster else []
        reports = sorted(
            [by_id[m.id] for m in members if m.id in by_id] or [a], key=lambda x: (x.when, x.id)
        )
        _check_exact(a.brief, [r.body for r in reports])
        assert a.as_json()["brief"] == a.brief
    assert any(s.startswith("비공개 회의에서") for a in briefed for s in a.brief)


def test_digest_and_why_json_carry_the_brief(
    seeded_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(
        ["digest", "--since", "all", "--format", "json", "--db", seeded_url], capsys
    )
    assert code == 0, err
    items = json.loads(out)["items"]
    assert any(i.get("brief") for i in items)
    assert all(len(i.get("brief", [])) <= 3 for i in items)
    shown = next(i for i in items if i.get("brief"))
    code, out, err = run_cli(
        ["why", str(shown["id"]), "--format", "json", "--db", seeded_url], capsys
    )
    assert code == 0, err
    assert json.loads(out)["brief"] == shown["brief"]


@pytest.mark.parametrize("command", [["digest", "--since", "all"], ["why", "1"], ["stats"]])
def test_reading_commands_never_load_the_model(seeded_url: str, command: list[str]) -> None:
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from bot.cli import main\n"
        f"code = main({[*command, '--db', seeded_url]!r})\n"
        "print('kiwipiepy' in sys.modules, code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False 0", done.stdout[-500:]


@pytest.mark.usefixtures("english")  # reads the CLI's English line
def test_an_old_story_shows_no_brief_until_clusters_rebuild_fills_it(
    seeded_copy: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    path = seeded_copy.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:  # as a database from before briefs were stored
        db.execute("UPDATE articles SET brief_sentences = NULL")
        db.execute("DELETE FROM story_briefs")
    code, out, _ = run_cli(["why", "1", "--format", "json", "--db", seeded_copy], capsys)
    assert code == 0 and "brief" not in json.loads(out)
    code, out, err = run_cli(["clusters", "rebuild", "--since", "all", "--db", seeded_copy], capsys)
    assert code == 0, err
    assert "briefs stored for" in out
    code, out, _ = run_cli(["why", "1", "--format", "json", "--db", seeded_copy], capsys)
    assert json.loads(out)["brief"]


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_a_story_that_grows_gets_its_brief_made_again(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest, analyser, topics
) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from bot.analysis.pipeline import Pipeline
    from bot.store import open_store

    url = (
        f"sqlite:///{tmp_path / 'g.db'}"
        if backend == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    store = open_store(url)
    try:
        pipeline = Pipeline(store, topics, analyser)
        later = datetime(2025, 10, 15, 9, tzinfo=UTC)
        earlier = datetime(2025, 10, 15, 6, tzinfo=UTC)
        [second] = pipeline.ingest(
            [Draft("독자 AI 1차 평가…4개 팀 2단계 진출", REWRITE, "b.txt", published_at=later)]
        )
        [alone] = store.articles([second])
        assert alone.brief and all(s in REWRITE for s in alone.brief)
        # an earlier report of the same story arrives: the brief is made again, in report order
        [first] = pipeline.ingest(
            [Draft("독자 AI 1차 평가 결과 발표", WIRE, "a.txt", published_at=earlier)]
        )
        [grown] = store.articles([second])
        assert grown.cluster is not None and grown.cluster.size == 2
        assert store.articles([first])[0].brief == grown.brief != alone.brief
        _check_exact(grown.brief, [WIRE, REWRITE])
    finally:
        store.close()


def _on_a_terminal(args: list[str]) -> str:
    """What ``newsbot ARGS`` writes on a (pseudo-)terminal."""
    import os
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "120", "TERM": "xterm"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        cwd=ROOT,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=120) == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_a_command_that_analyses_shows_a_spinner_while_the_model_loads(seeded_url: str) -> None:
    loading = t("cli.loading_model", "ko")  # the default language
    assert loading in _on_a_terminal(["search", "엔비디아", "--db", seeded_url])
    assert loading not in _on_a_terminal(["digest", "--since", "all", "--db", seeded_url])
