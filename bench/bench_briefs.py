"""What stored briefs cost, each part beside its baseline in the same run:

1. per report at ingest: cutting its sentences and giving them their keys
   (:func:`bot.analysis.briefs.candidates`, from the analysis ingest already made), vs analysing
   the report (the analyser's own time);
2. per story as it is saved or grows: choosing the brief from the stored sentences
   (:func:`bot.analysis.briefs.choose`, no model);
3. the whole ingest of ``N`` articles (store, analyse, match, stories, index) with briefs, vs the
   same pipeline with the brief parts switched off, alternating ``ROUNDS`` times.

The texts are the invented labelled stories of ``bench/briefs/`` (parts 1–2) and the bench corpus
(part 3).

    .venv/bin/python bench/bench_briefs.py [N]
"""

from __future__ import annotations

import contextlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import scaled_corpus

HERE = Path(__file__).resolve().parent
ROUNDS = 5
INGEST_ROUNDS = 3


def main(n: int = 400) -> dict[str, float]:
    from bot.analysis import briefs
    from bot.analysis.korean import get_analyser

    analyser = get_analyser()
    stories = []
    for name in ("tune.jsonl", "holdout.jsonl"):
        for line in (HERE / "briefs" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                stories.append(
                    [briefs.Report(a.get("title") or "", a["text"]) for a in row["articles"]]
                )
    analyser.analyse("", stories[0][0].body)  # warm up
    analyse_t, cut_t, choose_t = [], [], []
    for _ in range(ROUNDS):
        for reports in stories:
            made = []
            for r in reports:
                t0 = time.perf_counter()
                field = analyser.analyse("", r.body).body
                t1 = time.perf_counter()
                found = briefs.candidates(r.body, field, analyser.org_names)
                t2 = time.perf_counter()
                analyse_t.append(t1 - t0)
                cut_t.append(t2 - t1)
                made.append(briefs.Report(r.title, r.body, found))
            t0 = time.perf_counter()
            briefs.choose(made)
            choose_t.append(time.perf_counter() - t0)
    a50, c50, s50 = (statistics.median(x) for x in (analyse_t, cut_t, choose_t))
    print(f"story briefs: {len(stories)} stories x {ROUNDS} rounds")
    print(f"  sentences of a report : p50 {c50 * 1e3:.2f} ms; analysing it p50 {a50 * 1e3:.2f} ms")
    print(f"                          ({c50 / a50:.2f}x the analysis)")
    print(f"  brief of a story      : p50 {s50 * 1e3:.2f} ms, max {max(choose_t) * 1e3:.2f} ms")
    on, off = _ingest(n, analyser)
    print(f"ingest of {n} articles, {INGEST_ROUNDS} alternating rounds (median):")
    print(f"  with briefs {on:.2f} s, without {off:.2f} s: {on / off:.2f}x")
    return {"cut_p50": c50, "analyse_p50": a50, "choose_p50": s50, "ingest_ratio": on / off}


def _ingest(n: int, analyser: object) -> tuple[float, float]:
    from unittest import mock

    from bot.analysis import briefs
    from bot.analysis.pipeline import Pipeline
    from bot.analysis.stories import WINDOW
    from bot.config.topics import load_topics
    from bot.store import open_store
    from bot.store.drafts import Draft

    class NoBriefs(Pipeline):
        """The pipeline with the brief parts switched off (the baseline)."""

        def _save(self, records):  # type: ignore[no-untyped-def]
            self.store.save_analysis(records, self.stories, WINDOW)

    topics = load_topics()
    docs = scaled_corpus(n)
    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(INGEST_ROUNDS):
        for with_briefs in (True, False):
            with tempfile.TemporaryDirectory() as tmp:
                store = open_store(f"sqlite:///{Path(tmp) / 'bench.db'}")
                kind = Pipeline if with_briefs else NoBriefs
                pipeline = kind(store, topics, analyser)  # type: ignore[arg-type]
                drafts = [
                    Draft(title=t, body=b, origin=f"b/{i}.txt") for i, (t, b) in enumerate(docs)
                ]
                off = mock.patch.object(briefs, "candidates", lambda *a, **k: [])
                with off if not with_briefs else contextlib.nullcontext():
                    t0 = time.perf_counter()
                    pipeline.ingest(drafts)
                    times[with_briefs].append(time.perf_counter() - t0)
                store.close()
    return statistics.median(times[True]), statistics.median(times[False])


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 400)
