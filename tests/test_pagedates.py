"""The publication date of an article page, on a corpus of real-format pages written by someone
who never saw the extractor (``tests/data/dates.jsonl``: 85 cases, Korean and English, HTML and
text, dates alone, published-vs-updated in both orders, and pages with no date at all)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.ingest.cleaning import clean_page
from bot.ingest.pagedates import find_published, published_json

CASES = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "dates.jsonl").read_text("utf-8").splitlines()
    if line.strip()
]


def test_the_corpus_is_large_and_varied() -> None:
    assert len(CASES) >= 40
    kinds = {c["kind"] for c in CASES}
    assert kinds == {"html", "text"}
    assert sum(c["expected"] is None for c in CASES) >= 6
    assert sum(c["expected"] is not None and len(c["expected"]) == 10 for c in CASES) >= 4


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_publication_date(case: dict[str, Any]) -> None:
    found = clean_page(case["input"]).published
    expected = case["expected"]
    if expected is None:
        assert found is None, case["note"]
    elif len(expected) == 10:
        assert found is not None and found.date_only, case["note"]
        assert found.day == date.fromisoformat(expected), case["note"]
        assert published_json(found) == expected
    else:
        assert found is not None and not found.date_only, case["note"]
        assert found.at == datetime.fromisoformat(expected), case["note"]


def test_afternoon_and_the_hours_around_noon_and_midnight() -> None:
    def at(text: str) -> str:
        found = find_published(text)
        assert found is not None
        return found.at.strftime("%H:%M")

    assert at("입력 2025.10.31 오후 3:10") == "15:10"
    assert at("입력 2025.10.31 오후 12:30") == "12:30"
    assert at("입력 2025.11.01 오전 12:10") == "00:10"
    assert at("2025년 10월 31일 오후 2시 20분") == "14:20"
