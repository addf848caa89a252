"""Entities: money with Korean scale words, GPU counts, organisations with aliases."""

from __future__ import annotations

import pytest

from bot.analysis.entities import describe, extract, korean_number


@pytest.mark.parametrize(
    ("expr", "value"),
    [
        ("5000억", 5 * 10**11),
        ("710조", 710 * 10**12),
        ("1천90억", 109 * 10**9),
        ("30억", 3 * 10**9),
        ("26만", 260_000),
        ("1만8천", 18_000),
        ("260,000", 260_000),
        ("2천억", 2 * 10**11),
        ("1.5조", 1.5 * 10**12),
    ],
)
def test_korean_numbers(expr: str, value: float) -> None:
    assert korean_number(expr) == value


def _ents(analyser, text: str) -> list[dict]:  # type: ignore[no-untyped-def]
    return [e.as_dict() for e in extract(analyser.analyse("", text), analyser)]


@pytest.mark.parametrize(
    ("text", "kind", "value", "unit"),
    [
        ("오픈AI와 5000억달러(약 710조원) 규모 사업", "money", 500_000_000_000, "USD"),
        ("오픈AI와 5000억달러(약 710조원) 규모 사업", "money", 710 * 10**12, "KRW"),
        ("AI에 향후 1천90억유로를 투자", "money", 109_000_000_000, "EUR"),
        ("현대차는 30억 달러를 투자한다", "money", 3_000_000_000, "USD"),
        ("The deal is worth $500 billion over four years.", "money", 500_000_000_000, "USD"),
        ("한국 내 26만 장 이상의 GPU 확보", "gpu_count", 260_000, "GPU"),
        ("그래픽처리장치(GPU) 1만8천장 우선 확보", "gpu_count", 18_000, "GPU"),
        ("GPU 26만대를 공급한다", "gpu_count", 260_000, "GPU"),
        ("Nvidia will supply 260,000 GPUs to Korea.", "gpu_count", 260_000, "GPU"),
    ],
)
def test_values_and_units(analyser, text: str, kind: str, value: float, unit: str) -> None:  # type: ignore[no-untyped-def]
    found = [(e["kind"], e["value"], e["unit"]) for e in _ents(analyser, text)]
    assert (kind, value, unit) in found


def test_no_gpu_count_without_a_gpu_word(analyser) -> None:  # type: ignore[no-untyped-def]
    kinds = {
        e["kind"]
        for e in _ents(analyser, "관중 3만 명이 모였다. 버스 200대가 동원됐다. AI 3대 강국.")
    }
    assert "gpu_count" not in kinds


def test_organisations_by_alias(analyser) -> None:  # type: ignore[no-untyped-def]
    orgs = [
        e["text"]
        for e in _ents(
            analyser,
            "NVIDIA와 엔비디아코리아, 아마존웹서비스(AWS), OpenAI, SK 하이닉스, 네이버클라우드",
        )
        if e["kind"] == "org"
    ]
    assert orgs == ["엔비디아", "AWS", "오픈AI", "SK하이닉스", "네이버"]


def test_describe_for_the_digest() -> None:
    assert (
        describe({"kind": "gpu_count", "text": "26만 장", "value": 260000, "unit": "GPU"})
        == "26만 장 → 260,000 GPUs"
    )
    assert (
        describe({"kind": "money", "text": "5000억달러", "value": 5e11, "unit": "USD"})
        == "5000억달러 → USD 500 bn"
    )


def test_gpu_count_found_when_lower_casing_changes_the_length(analyser) -> None:  # type: ignore[no-untyped-def]
    # "İ".lower() is two characters: offsets into the lower-cased text would be off by one
    text = "İSTANBUL·İZMİR 데이터센터에 GPU 1만8천장을 공급한다."
    assert len(text.lower()) != len(text)
    found = [(e["kind"], e["value"]) for e in _ents(analyser, text)]
    assert ("gpu_count", 18_000) in found
