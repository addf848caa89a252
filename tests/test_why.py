"""``newsbot why``: the evidence and key figures of one item."""

from __future__ import annotations

import json
import re

import pytest

from tests.helpers import run_cli


def _why(seeded_url: str, ref: str, capsys: pytest.CaptureFixture[str]) -> dict:  # type: ignore[type-arg]
    code, out, _ = run_cli(["why", ref, "--format", "json", "--db", seeded_url], capsys)
    assert code == 0
    return json.loads(out)


def test_seed_001_gpu_count_and_evidence(
    seeded_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    item = _why(seeded_url, "001", capsys)
    assert {"kind": "gpu_count", "text": "26만 장", "value": 260000, "unit": "GPU"} in item[
        "entities"
    ]
    gpu = [e for e in item["evidence"] if e["topic"] == "gpu_deal"]
    assert {e["surface"] for e in gpu} >= {"GPU", "26만 장"}


def test_seed_003_and_000_figures(seeded_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    item = _why(seeded_url, "003", capsys)
    assert any(e["kind"] == "gpu_count" and e["value"] == 18000 for e in item["entities"])
    item = _why(seeded_url, "000_164c774143dfab8d", capsys)
    assert any(
        e["kind"] == "money" and e["value"] == 500_000_000_000 and e["unit"] == "USD"
        for e in item["entities"]
    )


def test_why_text_shows_figures(seeded_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["why", "000", "--db", seeded_url], capsys)
    assert code == 0 and "USD 500 bn" in out and "스타게이트" in out
    code, out, _ = run_cli(["why", "001", "--db", seeded_url], capsys)
    assert "260,000 GPUs" in out


def test_why_unknown_item(seeded_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["why", "9999", "--db", seeded_url], capsys)
    assert code == 1 and "9999" in err


def test_why_shows_the_learned_models_words_with_their_weight(
    seeded_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    item = _why(seeded_url, "003", capsys)
    learned = [e for e in item["evidence"] if e["term"].startswith("model: ")]
    assert learned  # each carried topic names the model's strongest words
    code, out, _ = run_cli(["why", "003", "--db", seeded_url], capsys)
    assert code == 0
    for e in learned:  # shown as the article writes the word, with its share of the score
        weight = e["term"].rsplit(" ", 1)[-1]
        assert re.search(re.escape(e["surface"]) + r"( \([^)]*\))? " + re.escape(weight), out)


def test_a_word_both_the_rule_and_the_model_found_shows_the_models_share_once() -> None:
    from bot.present.compose import evidence_text

    shown = evidence_text(
        [
            {"term": "gpu", "surface": "그래픽처리장치", "field": "body"},
            {"term": "model: 그래픽처리장치 +0.32", "surface": "그래픽처리장치", "field": "body"},
            {"term": "model: 그래픽처리장치 +0.10", "surface": "그래픽처리장치", "field": "body"},
            {"term": "model: 산업 +0.40", "surface": "산업", "field": "title"},
        ],
        "ko",
    )
    assert shown.split(" · ")[0] == "그래픽처리장치 +0.32"
    assert shown.count("그래픽처리장치") == 1 and shown.endswith("산업 (제목) +0.40")


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("ref", "said"),
    [
        ("", "error: An item id or a seed file name is needed (e.g. 42, 001)"),
        ("1.5", "error: ‘1.5’ is no item id: an id is up to 18 digits 0-9."),
        ("-1", "error: ‘-1’ is no item id: an id is up to 18 digits 0-9."),
        ("+7", "error: ‘+7’ is no item id: an id is up to 18 digits 0-9."),
        # cut to fit, and said to be cut
        ("1234567890" * 3, "error: ‘12345678901234567890123…’ is no item id: an id is up to 18"),
    ],
)
def test_an_id_no_article_can_have_is_a_bad_argument(
    ref: str, said: str, seeded_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(["why", ref, "--db", seeded_url], capsys)
    assert code == 2 and out == ""
    assert err.startswith(said) and err.count("\n") == 1


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("since", "said"),
    [
        ("", "error: --since: Period must look like 24h, 7d, 2025-10-01 or all: \n"),
        ("99999d", "error: --since: Period too long: 99999d reaches back before 1970\n"),
        ("2025-02-30", "error: --since: No such date: 2025-02-30 (a real date from 1970 on)\n"),
    ],
)
def test_a_digest_period_that_is_empty_or_impossible_says_why(
    since: str, said: str, seeded_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(["digest", "--since", since, "--db", seeded_url], capsys)
    assert (code, out, err) == (2, "", said)
