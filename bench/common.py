"""Shared helpers for the benchmarks: a corpus of realistic texts and small timing tools."""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def corpus() -> list[tuple[str, str]]:
    """(title, body) of every text in the repository: seeds, test cases, held-out sets."""
    from bot.ingest.seeds import find_seed_files, read_seeds
    from bot.services.labelled import read_examples

    docs = [(d.title, d.body) for d in read_seeds(find_seed_files([str(ROOT / "seeds")]))]
    docs += [(e.title, e.text) for e in read_examples(ROOT / "tests" / "cases")]
    for held in sorted((ROOT / "bench").glob("holdout*/articles.jsonl")):
        for line in held.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            docs.append((row.get("title", ""), row["text"]))
    return docs


def scaled_corpus(n: int, seed: int = 5) -> list[tuple[str, str]]:
    """``n`` distinct documents: the real ones first, then articles of 6–16 sentences drawn at
    random from all of them (titled by their first sentence), so a large run has the vocabulary
    of real news without a flood of near-identical copies."""
    import random
    import re

    base = corpus()
    if n <= len(base):
        return base[:n]
    sentences = [
        s.strip() for _, body in base for s in re.split(r"(?<=[.!?])\s+|\n+", body) if len(s) > 20
    ]
    rng = random.Random(seed)
    docs = list(base)
    while len(docs) < n:
        picked = rng.sample(sentences, rng.randint(6, 16))
        docs.append((picked[0][:60], " ".join(picked[1:])))
    return docs


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return p50, p95
