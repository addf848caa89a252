"""What the learned topic model adds to matching, per article, against the analysis itself.

    python bench/topics/speed.py [LABELS.jsonl | CASES_DIR]   (default: tests/cases)

Analyses the articles once, then matches them with the rules alone and with the rules and the
learned model, three interleaved rounds, and prints the model's cost as milliseconds an article
and as a share of the analysis time measured in the same run.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.analysis.evaluate import _as_ingested  # noqa: E402
from bot.analysis.korean import get_analyser  # noqa: E402
from bot.analysis.matcher import Matcher  # noqa: E402
from bot.config.topics import load_topics  # noqa: E402
from bot.services.labelled import read_examples  # noqa: E402


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "cases"
    analyser = get_analyser()
    topics = load_topics()
    rules = Matcher(topics, analyser, model=None)
    both = Matcher(topics, analyser)
    docs = [_as_ingested(e) for e in read_examples(path)]
    start = time.perf_counter()
    analyses = analyser.analyse_many(docs)
    analysis = (time.perf_counter() - start) / len(docs)
    for round_no in range(3):
        start = time.perf_counter()
        for a in analyses:
            rules.match(a)
        rule_t = (time.perf_counter() - start) / len(docs)
        start = time.perf_counter()
        for a in analyses:
            both.match(a)
        both_t = (time.perf_counter() - start) / len(docs)
        extra = both_t - rule_t
        print(
            f"round {round_no}: {len(docs)} articles; analysis {analysis * 1e3:.2f} ms, rules "
            f"{rule_t * 1e3:.3f} ms, rules+model {both_t * 1e3:.3f} ms an article; the model adds "
            f"{extra * 1e3:.3f} ms ({extra / analysis:.3f}x the analysis)"
        )


if __name__ == "__main__":
    main()
