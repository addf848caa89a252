"""Issue 27, failure 10: each subscription keeps its own period.  A channel with APEC daily and
gpu_deal on weekdays, both at 09:00 (one combined digest): Monday's digest has the APEC stories
since Sunday's digest and the GPU stories since Friday's, never Saturday's and Sunday's APEC
stories again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.chat.commands import Context
from bot.config.settings import Settings
from bot.core.clock import FixedClock
from bot.delivery.planner import Planner
from bot.runtime.app import App
from bot.store.drafts import Draft
from tests.helpers.bot import Bot
from tests.helpers.stories import gpu_story

SEOUL = ZoneInfo("Asia/Seoul")
CHANNEL = Context("console", "", "team-news", "alice")
FRIDAY_TEN = datetime(2025, 11, 14, 1, 0, tzinfo=UTC)  # Fri 14 Nov 2025, 10:00 in Seoul
NINE = {day: datetime(2025, 11, day, 0, 0, tzinfo=UTC) for day in (15, 16, 17)}  # Sat Sun Mon

APEC_SAT = Draft(
    "APEC 정상회의 준비위원회, 경주 숙소 배정 계획 확정",
    "아시아태평양경제협력체(APEC) 정상회의 준비위원회가 경주 숙소 배정 계획을 확정했다. "
    "위원회는 APEC 정상회의 참가국 대표단의 숙소를 보문단지에 나눠 배정한다.",
    "apec-sat.txt",
    source="연합뉴스",
)
APEC_SUN = Draft(
    "APEC 통상장관회의, 디지털 무역 공동성명 채택",
    "APEC 통상장관들이 제주에서 회의를 열고 디지털 무역 원칙을 담은 공동성명을 채택했다. "
    "장관들은 APEC 회원국 사이 전자상거래 장벽을 낮추기로 했다.",
    "apec-sun.txt",
    source="뉴시스",
)
APEC_MON = Draft(
    "APEC CEO 서밋 참가 신청 마감…글로벌 기업인 1천명 몰려",
    "APEC CEO 서밋 참가 신청이 마감됐다. 대한상공회의소는 APEC 정상회의 기간 열리는 CEO "
    "서밋에 글로벌 기업인 1천여 명이 참가를 신청했다고 밝혔다.",
    "apec-mon.txt",
    source="한국경제",
)
GPU_SAT, GPU_MON = gpu_story(1), gpu_story(2)


@pytest.fixture
def app(tmp_path: Path, analyser: object) -> Iterator[App]:
    app = App(
        Settings(database_url=f"sqlite:///{tmp_path / 'schedules.db'}"),
        clock=FixedClock(FRIDAY_TEN),
    )
    yield app
    app.close()


def test_a_daily_and_a_weekdays_topic_at_one_time_each_keep_their_own_period(app: App) -> None:
    clock = app.clock
    assert isinstance(clock, FixedClock)
    bot = Bot(app, CHANNEL)
    bot("/news subscribe apec at 09:00")
    bot("/news subscribe gpu_deal at 09:00 weekdays")
    dest = app.store.destination(CHANNEL.place)
    assert dest is not None
    planner = Planner(app)
    arriving = {15: [APEC_SAT, GPU_SAT], 16: [APEC_SUN], 17: [APEC_MON, GPU_MON]}
    ids: dict[str, int] = {}
    for day, instant in NINE.items():
        clock.set(instant - timedelta(hours=1))  # they arrive at 08:00
        for draft, new_id in zip(arriving[day], app.pipeline.ingest(arriving[day]), strict=True):
            ids[draft.origin] = new_id
        clock.set(instant)
        planner.plan(instant)

    def sent(day: int) -> set[int]:
        row = app.store.delivery(dest.id, f"digest:{NINE[day].astimezone(SEOUL).isoformat()}")
        assert row is not None, f"no digest on the {day}th"
        return set(row.payload["items"])

    assert sent(15) == {ids["apec-sat.txt"]}  # Saturday: APEC alone (gpu_deal is weekdays)
    assert sent(16) == {ids["apec-sun.txt"]}
    monday = sent(17)
    assert monday == {ids["apec-mon.txt"], ids["generated/2.txt"], ids["generated/1.txt"]}
    assert ids["apec-sat.txt"] not in monday and ids["apec-sun.txt"] not in monday
