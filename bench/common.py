"""Shared helpers for the benchmarks: a corpus of realistic texts and small timing tools."""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def corpus() -> list[tuple[str, str]]:
    """(title, body) of every text in the repository: seeds, test cases, held-out sets."""
    from bot.evaluate import load_examples
    from bot.sources.seeds import find_seed_files, read_seeds

    docs = [(d.title, d.body) for d in read_seeds(find_seed_files([str(ROOT / "seeds")]))]
    docs += [(e.title, e.text) for e in load_examples(ROOT / "tests" / "cases")]
    for held in sorted((ROOT / "bench").glob("holdout*/articles.jsonl")):
        for line in held.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            docs.append((row.get("title", ""), row["text"]))
    return docs


def scaled_corpus(n: int) -> list[tuple[str, str]]:
    """``n`` distinct documents made from the corpus (a numbered line keeps each one unique)."""
    base = corpus()
    return [
        (title, f"{body}\n({i}번째 사본)")
        for i, (title, body) in ((i, base[i % len(base)]) for i in range(n))
    ]


@contextmanager
def timer() -> Iterator[Callable[[], float]]:
    start = time.perf_counter()
    done: list[float] = []
    yield lambda: done[0] if done else time.perf_counter() - start
    done.append(time.perf_counter() - start)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return p50, p95
