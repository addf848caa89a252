"""Helpers shared by the tests: paths, running the CLI in-process, waiting on a condition.

Test modules import from here, never from each other."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SEEDS = ROOT / "seeds"
LABELS = ROOT / "tests" / "data" / "seeds-labels.jsonl"


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``newsbot`` in this process (the kiwi model stays loaded) and capture its output."""
    from bot.cli import main

    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


CHROME = [
    "검색",
    "콘텐츠뉴스(언론보도)",
    "관련자료",
    "이미지를 클릭하시면 크게 보실 수 있습니다",
    "Copyright",
    "무단 전재",
    "@",
    "<div",
    "<p ",
    "data-translation",
    "등록된 댓글이 없습니다",
    "본 콘텐츠는",
    "이 기사의 카테고리는",
]

HEADLINES = {
    "000": "인공지능(AI) 산업 발전을 가속하기 위해선",
    "001": "“AI는 이제 한국의 산업, 문화, 민주주의를",
    "002": "미국, 자국AI 한국 확장 의지…소버린AI-양국협력 균형 맞춰야",
    "003": "AI에 수백조 쏟아붓는 선진국들…",
    "004": "이데일리 글로벌 AI포럼 전문가 제언",
}

T = TypeVar("T")


def wait_for(condition: Callable[[], T], timeout: float, what: str, step: float = 0.05) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(step)


async def settled(timeout: float = 15, what: str = "the server's work to finish") -> None:
    """Wait until every other task on this event loop has finished: whatever an in-process server
    was still doing for the requests sent so far (a reply after the ack) is done, so "nothing
    more happened" can be asserted.  Clients must close their connections (``force_close``), or
    the server's keep-alive handler counts as work."""
    me = asyncio.current_task()
    deadline = time.monotonic() + timeout
    while busy := [t for t in asyncio.all_tasks() if t is not me and not t.done()]:
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}: {busy}")
        await asyncio.sleep(0.02)
