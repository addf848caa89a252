"""The matcher against labelled cases, the seeds, and the hard negatives it must refuse."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from bot.analysis.evaluate import evaluate
from bot.analysis.matcher import Matcher
from bot.services.labelled import read_examples as load_examples

CASES = Path(__file__).resolve().parent / "cases"


def test_cases_f1_per_topic(analyser, topics) -> None:  # type: ignore[no-untyped-def]
    examples = load_examples(CASES)
    assert len(examples) >= 80
    report = evaluate(examples, topics, analyser)
    wrong = [i["id"] for i in report["items"] if sorted(i["labels"]) != sorted(i["predicted"])]
    for topic, m in report["topics"].items():
        assert m["f1"] >= 0.95, (topic, m, wrong)


def test_eval_command_json(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.helpers import run_cli

    code, out, _ = run_cli(["eval", str(CASES), "--format", "json"], capsys)
    assert code == 0
    report = json.loads(out)
    assert set(report) == {"n", "topics", "macro_f1", "items"}
    assert set(report["topics"]) == {"sovereign_ai", "apec", "gpu_deal"}
    item = report["items"][0]
    assert set(item) == {"id", "labels", "predicted", "scores"}


def test_eval_rejects_bad_labels_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.helpers import run_cli

    bad = tmp_path / "labels.jsonl"
    bad.write_text('{"id": "a", "text": "x", "labels": ["apec"]}\n{"id": "b"}\n', encoding="utf-8")
    code, _, err = run_cli(["eval", str(bad)], capsys)
    from bot.present.i18n import t

    reason = "missing 'text'"  # the line and its cause, as eval-clusters says them (one reader)
    assert code == 2 and t("stories.bad_line", "ko", path=bad, line=2, reason=reason) in err


def _topics_of(analyser, topics, title: str, body: str) -> list[str]:  # type: ignore[no-untyped-def]
    result = Matcher(topics, analyser).match(analyser.analyse(title, body))
    return sorted(m.topic for m in result.matches)


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        (
            "국고채 금리 상승…소버린 리스크 부각",
            "외국인 자금 이탈로 소버린 리스크가 커졌다. 국가신용등급 전망도 하향됐다. 소버린 리스크 관리가 시급하다.",
            [],
        ),
        (
            "에이펙스 레전드 국제대회 서울 개최",
            "Apex Legends 대회가 열린다. 에이펙스 레전드 팬들이 몰렸다. 대회 기간 APEC 정상회의는 없다.",
            [],
        ),
        (
            "RTX 5090 리뷰: 4K 게이밍 최강",
            "엔비디아 지포스 RTX 5090 GPU를 리뷰했다. 게이밍 성능이 뛰어나다. GPU 가격은 비싸다.",
            [],
        ),
        (
            "엔비디아 주가 사상 최고",
            "엔비디아 주가가 5% 올랐다. GPU 수요 기대감에 주식이 올랐다. 시가총액도 늘었다.",
            [],
        ),
        (
            "정부, 독자 AI 파운데이션 모델 정예팀 5곳 선정",
            "과기정통부가 독자 AI 파운데이션 모델 개발 정예팀을 선정했다. 주권형 인공지능을 만든다.",
            ["sovereign_ai"],
        ),
        (  # a company's own model: common words ("AI", "모델", "개발") do not make it national
            "카드사, 자체 AI 모델 개발해 상담에 적용",
            "한 카드사가 자체 AI 모델을 개발해 고객 상담에 쓰기 시작했다. 회사는 사내 데이터로 "
            "모델을 학습했다고 설명했다. 상담 대기 시간이 절반으로 줄었다고 밝혔다.",
            [],
        ),
        (  # a country's AI race told without "sovereign": dependence on other countries
            "총리, 10조원 AI 투자 계획 발표…“다른 나라에 의존하지 않겠다”",
            "총리는 10조원을 들여 국가 AI 역량을 키우겠다고 밝혔다. 그는 AI를 다른 나라에 "
            "의존하면 미래가 없다며 자국 AI 모델과 연구 인력을 키우겠다고 했다. 정부는 "
            "미국 빅테크 의존을 줄이는 것이 목표라고 설명했다.",
            ["sovereign_ai"],
        ),
        (
            "Korea secures 260,000 Nvidia GPUs",
            "Korea agreed to buy 260,000 Nvidia GPUs. The deal covers Blackwell chips for data centres.",
            ["gpu_deal"],
        ),
    ],
)
def test_hard_negatives_and_paraphrases(
    analyser, topics, title: str, body: str, expected: list[str]
) -> None:  # type: ignore[no-untyped-def]
    assert _topics_of(analyser, topics, title, body) == expected


def test_a_passing_mention_is_not_enough(analyser, topics) -> None:  # type: ignore[no-untyped-def]
    body = (
        "내년도 예산안이 국회를 통과했다. 복지 예산이 늘었고 국방 예산도 증가했다. "
        "과학기술 분야에서는 소버린 AI 지원 사업이 일부 포함됐다. 지방 교부세는 줄었다. "
        "여야는 남은 쟁점을 연말까지 논의한다."
    )
    assert _topics_of(analyser, topics, "내년 예산 677조 국회 통과", body) == []


def test_evidence_names_term_surface_and_field(analyser, topics) -> None:  # type: ignore[no-untyped-def]
    result = Matcher(topics, analyser).match(
        analyser.analyse(
            "소버린AI 수출 본격화",
            "네이버가 태국에 소버린 AI를 수출한다. 현지 독자 AI 모델을 함께 개발한다.",
        )
    )
    (match,) = [m for m in result.matches if m.topic == "sovereign_ai"]
    fields = {(e.term, e.surface, e.field) for e in match.evidence}
    assert ("소버린 AI", "소버린AI", "title") in fields
    assert ("소버린 AI", "소버린 AI", "body") in fields
    assert result.scores["sovereign_ai"] >= topics.get("sovereign_ai").threshold


def test_a_figure_is_quoted_whole_as_the_article_wrote_it(analyser, topics) -> None:  # type: ignore[no-untyped-def]
    """``1만8천장`` is read as 1, 만, 8, 천, 장: the term ``#num 천 장`` found at the 8 quotes
    the whole figure, not ``8천장`` (which the article never wrote)."""
    result = Matcher(topics, analyser).match(
        analyser.analyse(
            "정부, 첨단 GPU 1만8천장 확보",
            "정부가 엔비디아 GPU 1만8천장을 구매해 국가 AI 컴퓨팅 센터에 공급한다.",
        )
    )
    surfaces = {e.surface for m in result.matches for e in m.evidence}
    assert any("1만8천장" in s for s in surfaces), surfaces
    assert not any(s.startswith("8천") for s in surfaces), surfaces


def test_matching_is_pure(analyser, topics) -> None:  # type: ignore[no-untyped-def]
    """The result depends on the analysis alone: matching leaves it unchanged, and another
    matcher over a fresh analysis of the same text gives the same result (nothing carried over
    from an earlier article)."""
    title, body = (
        "APEC 정상회의 개막",
        "경주에서 APEC 정상회의가 열렸다. 정상들이 공동선언을 채택했다.",
    )
    an = analyser.analyse(title, body)
    kept = copy.deepcopy(an)
    first = Matcher(topics, analyser)
    result = first.match(an)
    assert an == kept
    assert "apec" in {m.topic for m in result.matches}
    first.match(analyser.analyse("엔비디아, GPU 26만 장 공급", "엔비디아가 GPU를 공급한다."))
    assert (
        first.match(an) == result == Matcher(topics, analyser).match(analyser.analyse(title, body))
    )


# issue 21: the families real news showed the matcher missing, and the traps beside them
# (invented texts in tests/cases/, one file each; see each file's note)
ISSUE_21_CASES = [
    "127_national-ai-elite-teams-first-round",
    "128_specialised-foundation-model-dokpamo",
    "129_k-ai-model-open-release",
    "130_independent-foundation-model-english",
    "131_government-national-llm-english",
    "132_national-ai-supercomputer-korean",
    "133_national-ai-compute-mission-english",
    "134_ai-safety-sovereign-agents-essay",
    "135_budget-passing-national-ai",
    "136_opinion-gpu-deal-column",
    "137_fiber-cable-deal-ai-datacenter",
    "138_ai-law-takes-effect-lists-datacentres",
    "139_agent-sovereignty-column-korean",
    "140_sovereign-wealth-fund-backs-ai-model-english",
    "141_sovereign-wealth-fund-backs-ai-model-korean",
    "142_company-language-model-start-up-english",
    "143_export-dependence-no-ai-korean",
]


@pytest.mark.parametrize("case", ISSUE_21_CASES)
def test_national_ai_families_and_their_traps(analyser, topics, case: str) -> None:  # type: ignore[no-untyped-def]
    (example,) = [e for e in load_examples(CASES) if e.id == case]
    assert _topics_of(analyser, topics, example.title, example.text) == sorted(example.labels)


def test_eval_reports_the_keyword_baseline_beside_the_matcher(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.helpers import run_cli

    code, out, _ = run_cli(
        ["eval", str(CASES), "--baseline", "keywords", "--format", "json"], capsys
    )
    assert code == 0
    report = json.loads(out)
    baseline = report["baseline"]
    assert baseline["name"] == "keywords" and baseline["n"] == report["n"]
    assert set(baseline["topics"]) == set(report["topics"])
    # the keyword filter flags the AI-safety essay (it says "sovereign AI"); the matcher does not
    assert baseline["topics"]["sovereign_ai"]["fp"] > report["topics"]["sovereign_ai"]["fp"]
    assert report["macro_f1"] > baseline["macro_f1"]
    code, out, _ = run_cli(["eval", str(CASES), "--baseline", "keywords"], capsys)
    assert code == 0 and "baseline: keyword filter" in out


def test_learned_model_shows_its_reasons_as_evidence(analyser, topics) -> None:  # type: ignore[no-untyped-def]
    # invented text: a national language model and supercomputer, told without "sovereign"
    title = "Germany unveils national AI plan with its own language model"
    body = (
        "The German government unveiled a national AI plan on Tuesday that includes building its "
        "own large language model trained on German data. Officials said the country must not "
        "depend on foreign models for public services. The plan funds a new national "
        "supercomputer and a consortium of institutes that will release the model openly."
    )
    result = Matcher(topics, analyser).match(analyser.analyse(title, body))
    (match,) = [m for m in result.matches if m.topic == "sovereign_ai"]
    learned = [e for e in match.evidence if e.term.startswith("model: ")]
    assert learned, match.evidence
    for e in learned:  # "model: LEMMA +SHARE", shown with the words as the article writes them
        _, lemma, share = e.term.split(" ")
        assert float(share) > 0
        assert e.surface.lower() in (title + " " + body).lower()
    # the rule's own evidence comes first, so `why` still leads with the words of the topic
    assert not match.evidence[0].term.startswith("model: ")


def test_learned_weights_are_single_lemmas_and_numbers() -> None:
    from bot.analysis.topic_model import MODEL_PATH, TopicModel

    model = TopicModel.load(MODEL_PATH)
    assert model is not None and set(model.topics) == {"sovereign_ai", "apec", "gpu_deal"}
    for weights in model.topics.values():
        assert weights.veto <= weights.cutoff  # the rule's verdict needs a margin to be overturned
        for lemma, w in weights.lemmas.items():
            assert " " not in lemma and len(lemma) <= 30, lemma  # no phrase or sentence shipped
            assert isinstance(w, float)


def test_without_an_anchor_sovereign_ai_needs_a_word_of_the_state(analyser) -> None:  # type: ignore[no-untyped-def]
    """The shipped model's weights: an article the rule found no anchor in is tagged sovereign
    AI from the model's lemmas only when a word of the state is among them."""
    from bot.analysis.topic_model import MODEL_PATH, TopicModel

    model = TopicModel.load(MODEL_PATH)
    assert model is not None
    needs = model.topics["sovereign_ai"].cold_requires
    assert {"정부", "국가"} <= needs
    weights = model.topics["sovereign_ai"].lemmas
    strong = dict(sorted(weights.items(), key=lambda kv: -kv[1])[:8])  # its strongest lemmas
    company = {lemma: 1.0 for lemma in strong if lemma not in needs}
    state = dict(company, 정부=1.0)
    assert not model.verdict("sovereign_ai", company, 0.0, 1.0, False).carried
    assert model.verdict("sovereign_ai", state, 0.0, 1.0, False).carried
    # with an anchor (a rule score above 0) no such word is needed
    assert model.verdict("sovereign_ai", company, 0.5, 1.0, False).carried
    # English says it through the bridge: "government" is 정부
    english = analyser.lemmas("government")
    assert any(model.bridge.get(lemma) == "정부" for lemma in english)


def test_without_the_learned_model_the_rule_decides(analyser, topics, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from bot.analysis.topic_model import TopicModel

    assert TopicModel.load(tmp_path / "absent.json") is None
    analysis = analyser.analyse(
        "엔비디아, 국내 데이터센터에 GPU 1만 장 공급 계약",
        "엔비디아가 국내 통신사와 AI 데이터센터에 들어갈 GPU 1만 장 공급 계약을 맺었다. "
        "계약 규모는 5천억 원이며 내년 상반기까지 순차 공급한다.",
    )
    rule_only = Matcher(topics, analyser, model=None).match(analysis)
    assert [m.topic for m in rule_only.matches] == ["gpu_deal"]
    assert not any(e.term.startswith("model: ") for e in rule_only.matches[0].evidence)
