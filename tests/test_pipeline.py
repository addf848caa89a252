"""The pipeline on a real SQLite file: ingest in chunks, nothing lost or doubled, GC restored."""

from __future__ import annotations

import gc
from pathlib import Path

from bot.analysis import pipeline as pipeline_module
from bot.analysis.pipeline import Pipeline
from bot.config.topics import load_topics
from bot.ingest.drafts import Draft
from bot.store import open_store


def _drafts(n: int) -> list[Draft]:
    return [
        Draft(
            title=f"기사 {i}",
            body=f"엔비디아가 한국에 GPU {i + 1000}만 장을 공급한다. 기사 번호 {i}.",
            origin=f"case/{i}.txt",
        )
        for i in range(n)
    ]


def test_ingest_across_store_chunks_loses_and_doubles_nothing(tmp_path: Path, analyser) -> None:  # type: ignore[no-untyped-def]
    n = 2 * pipeline_module.STORE_CHUNK + 44
    drafts = _drafts(n)
    drafts.insert(n - 10, drafts[3])  # the same story again, in a later chunk
    store = open_store(f"sqlite:///{tmp_path / 'p.db'}")
    topics = load_topics()
    seen: list[tuple[int, int]] = []
    before = gc.get_threshold()
    try:
        pipe = Pipeline(store, topics, analyser)
        ids = pipe.ingest(
            drafts, progress=lambda done, total: seen.append((done, total, gc.get_threshold()[0]))
        )
        assert len(ids) == n and ids == sorted(ids) and len(set(ids)) == n
        assert store.count_pending(topics.digest) == 0  # every stored article was analysed
        assert store.count_articles() == n
        assert seen[-1][:2] == (n, n)
        assert all(threshold >= pipeline_module.GC_THRESHOLD0 for *_, threshold in seen)
        assert gc.get_threshold() == before  # the collector is back to its setting
        hits = store.search_ids(analyser.lemmas("기사 번호 299"))
        total, found = hits.total, hits.ids
        assert total == 1 and found == [ids[299]]
        assert pipe.ingest(drafts) == []  # again: nothing new
    finally:
        store.close()
