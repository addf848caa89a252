"""Story brief time per story, against analysing the same reports once (the part a brief cannot
avoid), on the 50 labelled stories of ``bench/briefs/`` (2–4 reports each).

    .venv/bin/python bench/bench_briefs.py
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROUNDS = 5


def main() -> dict[str, float]:
    from bot.analysis.briefs import Report, brief
    from bot.analysis.korean import get_analyser

    analyser = get_analyser()
    stories = []
    for name in ("tune.jsonl", "holdout.jsonl"):
        for line in (HERE / "briefs" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                stories.append([Report(a.get("title") or "", a["text"]) for a in row["articles"]])
    brief(stories[0], analyser)  # warm up
    ours, base = [], []
    for _ in range(ROUNDS):
        for reports in stories:
            t0 = time.perf_counter()
            for r in reports:
                analyser.analyse("", r.body)
            base.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            brief(reports, analyser)
            ours.append(time.perf_counter() - t0)
    p50, b50 = statistics.median(ours), statistics.median(base)
    print(f"story briefs: {len(stories)} stories x {ROUNDS} rounds")
    print(f"  brief per story   : p50 {p50 * 1e3:.1f} ms, max {max(ours) * 1e3:.1f} ms")
    print(f"  analysing alone   : p50 {b50 * 1e3:.1f} ms; brief / analysis {p50 / b50:.2f}x")
    return {"brief_p50": p50, "analyse_p50": b50}


if __name__ == "__main__":
    main()
