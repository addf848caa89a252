"""The watch index: an article is checked only against the watches that name a lemma it holds,
and what matches is the same as checking every watch."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from bot.analysis.watch_index import WatchIndex
from bot.analysis.watches import CompiledWatch, Positions, WatchSpec
from bot.config.settings import Settings
from bot.runtime.app import App
from bot.services.labelled import read_examples as load_examples
from bot.store.drafts import Draft

ROOT = Path(__file__).resolve().parent.parent

HAND_WRITTEN = [
    WatchSpec(terms=("HBM", "고대역폭메모리"), exclude=("주가",)),
    WatchSpec(terms=("엔비디아", "GPU"), exclude=("게임",)),
    WatchSpec(terms=("소버린 AI", "독자 AI 파운데이션 모델")),
    WatchSpec(terms=("데이터센터",), required=("전력",)),
    WatchSpec(terms=("APEC", "정상회의"), exclude=("관광",)),
    WatchSpec(terms=("GPU #num",)),  # a number inside a phrase
    WatchSpec(terms=("#num",), required=("엔비디아",)),  # a number alone: no key lemma
    WatchSpec(required=("삼성전자", "HBM")),  # only + terms
    WatchSpec(terms=("H100", "블랙웰")),
    WatchSpec(terms=("반도체",), sources=("연합뉴스",)),
]


@pytest.fixture(scope="module")
def articles(analyser):  # type: ignore[no-untyped-def]
    examples = load_examples(ROOT / "tests" / "cases")
    assert len(examples) > 40
    return [analyser.analyse(e.title, e.text) for e in examples]


def _watches(analyser, n_random: int) -> list[CompiledWatch]:  # type: ignore[no-untyped-def]
    """The hand-written watches plus ``n_random`` of two words each, drawn from the lemmas the
    labelled cases hold (so many of them match something)."""
    counts: Counter[str] = Counter()
    for e in load_examples(ROOT / "tests" / "cases"):
        counts.update(analyser.lemmas(e.title + " " + e.text))
    vocab = [w for w, _ in counts.most_common(1500) if len(w) > 1]
    rng = random.Random(23)
    specs = list(HAND_WRITTEN)
    for _ in range(n_random):
        a, b = rng.sample(vocab, 2)
        kind = rng.random()
        if kind < 0.2:
            specs.append(WatchSpec(terms=(a,), exclude=(b,)))
        elif kind < 0.3:
            specs.append(WatchSpec(terms=(f"{a} {b}",)))
        else:
            specs.append(WatchSpec(terms=(a, b)))
    return [CompiledWatch.compile(f"w{i}", s, analyser.lemmas) for i, s in enumerate(specs)]


def test_the_index_finds_exactly_the_watches_a_full_scan_finds(analyser, articles) -> None:  # type: ignore[no-untyped-def]
    watches = _watches(analyser, 600)
    index = WatchIndex(watches)
    checked = matched = 0
    for n, analysis in enumerate(articles):
        title, body = analysis.title.lemmas, analysis.body.lemmas
        source = "연합뉴스" if n % 2 else "뉴시스"
        every = [(w.topic, w.match(title, body, source)) for w in watches]
        scan = [(topic, hit) for topic, hit in every if hit is not None]
        candidates = index.candidates(title, body)
        via_index = [(w.topic, w.match(title, body, source)) for w in candidates]
        assert [(t, h) for t, h in via_index if h is not None] == scan
        # as ingest matches them: the lemmas' positions found once and shared by every watch
        where = (Positions(title), Positions(body))
        shared = [(w.topic, w.match(title, body, source, positions=where)) for w in candidates]
        assert shared == via_index
        checked += len(candidates)
        matched += len(scan)
    assert matched > len(articles)  # the watches do match things
    # and an article is checked against a small share of them
    assert checked < 0.25 * len(watches) * len(articles)


def test_model_numbers_and_numbers_reach_their_watches(analyser) -> None:  # type: ignore[no-untyped-def]
    index = WatchIndex(_watches(analyser, 0))
    analysis = analyser.analyse(
        "SK하이닉스, 엔비디아에 HBM3E 공급",
        "엔비디아가 GPU 1만 장을 사들인다. HBM3E 물량도 늘린다.",
    )
    found = {
        w.topic
        for w in index.candidates(analysis.title.lemmas, analysis.body.lemmas)
        if w.match(analysis.title.lemmas, analysis.body.lemmas) is not None
    }
    assert {"w0", "w1", "w6"} <= found  # HBM3E → HBM; a #num watch; 엔비디아 → NVIDIA's watch


def test_ingest_tags_articles_with_the_watches_they_match_among_many(tmp_path: Path) -> None:
    app = App(Settings(database_url=f"sqlite:///{tmp_path / 'n.db'}"))
    for ws in range(20):
        for k in range(10):
            app.store.save_watch("slack", f"T{ws}", f"noise{k}", {"terms": [f"없는말{ws}x{k}"]})
    hbm = app.store.save_watch("slack", "T3", "hbm", WatchSpec(("HBM",), (), ("주가",)).as_dict())
    supply = Draft(
        "SK하이닉스, 엔비디아에 HBM4 공급 계약",
        "SK하이닉스가 엔비디아에 HBM4를 공급한다. 회사는 HBM 물량을 늘린다.",
        "supply.txt",
    )
    stock = Draft("HBM 기대감에 주가 급등", "HBM 수요 기대감에 주가가 올랐다.", "stock.txt")
    ids = app.pipeline.ingest([supply, stock])
    got = {a.title: a.topics for a in app.store.articles(ids)}
    assert hbm.topic in got[supply.title]
    assert hbm.topic not in got[stock.title]  # the watch excludes 주가
    app.close()


def test_finding_a_term_gives_what_a_scan_of_every_position_gives(analyser, articles) -> None:  # type: ignore[no-untyped-def]
    from bot.analysis.watches import _same, _starts

    def every_position(lemmas: tuple[str, ...], tokens: list[str]) -> list[int]:
        n = len(lemmas)
        return [
            i
            for i in range(len(tokens) - n + 1)
            if all(_same(lemmas[k], tokens[i + k]) for k in range(n))
        ]

    terms = [t for w in _watches(analyser, 300) for t in w.lemma_words()]
    terms += [("hbm",), ("#num",), ("gpu", "#num"), ("ai",), ("#num", "장")]
    found = 0
    for analysis in articles:
        for tokens in (analysis.title.lemmas, analysis.body.lemmas):
            where = Positions(tokens)
            for lemmas in terms:
                got = _starts(lemmas, tokens)
                assert got == every_position(lemmas, tokens), lemmas
                assert _starts(lemmas, tokens, where) == got, lemmas  # looked up, not scanned
                found += len(got)
    assert found > 1000
