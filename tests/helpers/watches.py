"""The world the watch and mute tests share: four invented articles around T0, a console
channel, and reading helpers (what a console user sees, the ids of drafts, a watch's topic)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.chat.commands import Commands, Context
from bot.chat.console import run_lines
from bot.config.settings import Settings
from bot.core.clock import FixedClock
from bot.runtime.app import App
from bot.store.drafts import Draft

T0 = datetime(2025, 11, 3, 1, 0, tzinfo=UTC)  # 10:00 in Seoul

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
