"""Story clusters: a rewrite of the same story joins it; another story on the topic does not."""

from __future__ import annotations

import json

import pytest

from bot.analysis.clusters import Clusterer
from bot.analysis.pipeline import Pipeline
from bot.ingest.drafts import Draft
from bot.store import open_store
from tests.helpers import run_cli

STORY = (
    "엔비디아가 한국 정부와 삼성전자, SK그룹, 현대차그룹, 네이버에 그래픽처리장치(GPU) 26만 장을 공급하기로 했다. "
    "젠슨 황 엔비디아 최고경영자는 31일 경주에서 열린 아시아태평양경제협력체(APEC) 최고경영자 서밋에서 이같이 밝혔다. "
    "정부는 이 가운데 5만 장을 확보해 국가 AI 컴퓨팅 센터에 배치할 계획이다. "
    "삼성전자와 SK그룹은 각각 5만 장을 들여와 AI 팩토리를 구축하고, 현대차그룹은 자율주행 개발에 5만 장을 쓴다. "
    "네이버는 6만 장을 도입해 소버린 AI 인프라를 확충한다. "
    "업계는 이번 공급으로 국내 AI 연산 자원이 세 배 가까이 늘어날 것으로 본다."
)
REWRITE = (
    "젠슨 황 엔비디아 CEO는 31일 경주 APEC 최고경영자 서밋에서 한국에 그래픽처리장치(GPU) 26만 장을 공급하기로 했다고 밝혔다. "
    "공급 대상은 한국 정부와 삼성전자, SK그룹, 현대차그룹, 네이버다. "
    "정부는 이 가운데 5만 장을 확보해 국가 AI 컴퓨팅 센터에 배치할 계획이다. "
    "삼성전자와 SK그룹은 각각 5만 장을 들여와 AI 팩토리를 구축하고, 현대차그룹은 자율주행 개발에 5만 장을 쓸 예정이다. "
    "네이버는 6만 장을 도입해 소버린 AI 인프라를 확충하기로 했다. "
    "업계에서는 이번 공급으로 국내 AI 연산 자원이 세 배 가까이 늘어날 것이라는 전망이 나온다."
)
OTHER = (
    "카카오가 데이터센터 안산 2호기에 GPU 2천 개를 추가로 도입한다고 밝혔다. "
    "카카오는 이번 증설로 자체 AI 서비스의 응답 속도를 높이고 학습 용량을 늘릴 계획이다. "
    "도입 물량은 엔비디아 H200 기반 서버로, 내년 상반기까지 순차적으로 들어온다. "
    "회사는 GPU 도입에 약 3천억원을 투입하며, 전력 설비도 함께 보강한다. "
    "카카오 관계자는 AI 수요가 빠르게 늘어 연산 자원 확보가 시급했다고 말했다."
)


def test_rewrite_joins_and_other_story_does_not(analyser) -> None:  # type: ignore[no-untyped-def]
    clusterer = Clusterer()
    a, b, c = (analyser.analyse("", text).body.lemmas for text in (STORY, REWRITE, OTHER))
    _, first = clusterer.assign(1, a)
    _, rewrite = clusterer.assign(2, b)
    _, other = clusterer.assign(3, c)
    assert first == 1
    assert rewrite == 1
    assert other == 3


def test_digest_shows_one_entry_also_in_other_outlets(
    db_url: str, analyser, topics, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    store = open_store(db_url)
    drafts = [
        Draft(
            title="엔비디아, 韓에 GPU 26만장 공급", body=STORY, origin="a.txt", source="연합뉴스"
        ),
        Draft(title='젠슨 황 "한국에 GPU 26만 장"', body=REWRITE, origin="b.txt", source="뉴시스"),
        Draft(title="카카오, GPU 2천개 추가 도입", body=OTHER, origin="c.txt", source="전자신문"),
    ]
    Pipeline(store, topics, analyser).ingest(drafts)
    store.close()
    code, out, _ = run_cli(
        ["digest", "--since", "all", "--topic", "gpu_deal", "--db", db_url], capsys
    )
    assert code == 0
    assert out.count("GPU 26만") == 1  # the two outlets' versions are one entry
    assert "같은 기사 1곳 더" in out and "카카오, GPU 2천개 추가 도입" in out
    code, out, _ = run_cli(["digest", "--since", "all", "--format", "json", "--db", db_url], capsys)
    items = {i["source"]: i for i in json.loads(out)["items"]}
    assert items["연합뉴스"]["cluster"]["id"] == items["뉴시스"]["cluster"]["id"]
    assert items["연합뉴스"]["cluster"]["size"] == 2
    assert items["전자신문"]["cluster"]["size"] == 1


def test_signature_is_the_universal_hash_minimum() -> None:
    """Stored signatures must stay comparable across versions: the fast modulo must give
    exactly min(((a*x + b) mod (2**61 - 1)) & (2**32 - 1)) over the article's bigrams."""
    import numpy as np

    from bot.analysis import clusters

    lemmas = ["엔비디아", "gpu", "26만", "공급", "한국", "정부", "apec", "경주"] * 3
    hashes = np.array([clusters.zlib.crc32(x.encode()) for x in lemmas], dtype=np.uint64)
    grams = (hashes[:-1] * clusters._MIX + hashes[1:]) & clusters._MASK
    mixed = grams[:, None] * clusters._A + clusters._B  # wraps modulo 2**64, as stored ones did
    expected = ((mixed % clusters._PRIME) & clusters._MASK).min(axis=0)
    assert (clusters.signature(lemmas) == expected).all()


def test_rewrite_after_a_restart_joins_the_stored_story(
    db_url: str, analyser, topics, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    """A new process reads the recent signatures back from the store before clustering."""
    store = open_store(db_url)
    Pipeline(store, topics, analyser).ingest(
        [Draft(title="엔비디아, 韓에 GPU 26만장", body=STORY, origin="a.txt", source="연합뉴스")]
    )
    store.close()
    store = open_store(db_url)  # as after a restart: a new store, a new pipeline
    Pipeline(store, topics, analyser).ingest(
        [
            Draft(title="젠슨 황 방한", body=REWRITE, origin="b.txt", source="뉴시스"),
            Draft(title="카카오 GPU", body=OTHER, origin="c.txt", source="전자신문"),
        ]
    )
    store.close()
    code, out, _ = run_cli(["digest", "--since", "all", "--format", "json", "--db", db_url], capsys)
    assert code == 0
    items = {i["source"]: i for i in json.loads(out)["items"]}
    assert items["연합뉴스"]["cluster"]["id"] == items["뉴시스"]["cluster"]["id"]
    assert items["전자신문"]["cluster"]["size"] == 1


def test_a_long_running_process_forgets_stories_older_than_the_window(analyser) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from bot.analysis.clusters import WINDOW_DAYS
    from bot.core.clock import FixedClock

    clock = FixedClock(datetime(2026, 11, 1, 9, tzinfo=UTC))
    clusterer = Clusterer(now=clock.now)
    story, rewrite = (analyser.analyse("", text).body.lemmas for text in (STORY, REWRITE))
    assert clusterer.assign(1, story)[1] == 1
    clock.advance(days=WINDOW_DAYS - 1)
    assert clusterer.assign(2, rewrite)[1] == 1  # inside the window: the same story
    clock.advance(days=WINDOW_DAYS + 1)
    assert clusterer.assign(3, story)[1] == 3  # both are older than the window: a new story
    # and the index holds only the window (a serve process running for months stays small)
    assert set(clusterer.sigs) == {3}
    assert all(ids == [3] for band in clusterer.bands for ids in band.values())
