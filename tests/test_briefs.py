"""Story briefs (세 줄 요약): three sentences chosen across a story's reports, never a byline or
a caption, no sentence twice; better than the lead on labelled stories never used for tuning."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.analysis.briefs import Report, brief
from bot.chat.commands import Commands
from bot.chat.console import console_context, run_lines
from bot.config.settings import Settings
from bot.ingest.drafts import Draft
from bot.runtime.app import App
from tests.helpers import ROOT, run_cli

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
    assert code == 2 and "line 1" in err and "Traceback" not in err


def test_the_digest_and_why_show_the_brief(tmp_path: Path, analyser) -> None:  # type: ignore[no-untyped-def]
    app = App(Settings(database_url=f"sqlite:///{tmp_path / 'b.db'}"))
    try:
        [first, _] = app.pipeline.ingest(
            [
                Draft("독자 AI 1차 평가 결과 발표", WIRE, "a.txt", source="연합뉴스"),
                Draft(
                    "독자 AI 1차 평가…4개 팀 2단계 진출", REWRITE, "b.txt", source="디지털데일리"
                ),
            ]
        )
        out = io.StringIO()
        run_lines(Commands(app), ["/news digest all", f"/news why {first}"], console_context(), out)
        shown = out.getvalue()
    finally:
        app.close()
    assert shown.count("2단계에서는 모델 규모를 키우고") == 2  # in the digest entry and in why
    assert "세 줄 요약:" in shown
