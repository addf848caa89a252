"""Fit the story rule's weights (bot.analysis.stories.WEIGHTS) on the tuning set only.

    .venv/bin/python bench/stories/fit.py [bench/stories/tune.jsonl]

Logistic regression over the pairs of articles within the window (same story or not), then an
incremental single-link clustering of the set in file order at several thresholds, with the
B-cubed and pairwise figures of each, and the MinHash-only rule beside them.  The held-out set
is never read here.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.analysis import clusters, entities, stories  # noqa: E402
from bot.analysis.evaluate import cluster_scores  # noqa: E402
from bot.analysis.korean import get_analyser  # noqa: E402
from bot.analysis.matcher import Matcher  # noqa: E402
from bot.config.topics import load_topics  # noqa: E402


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def profiles(rows: list[dict]):
    analyser = get_analyser()
    matcher = Matcher(load_topics(), analyser)
    out = []
    for row in rows:
        analysis = analyser.analyse(row.get("title") or "", row["text"])
        ents = [e.as_dict() for e in entities.extract(analysis, analyser)]
        when = datetime.fromisoformat(row["published"])
        sig = clusters.signature(analysis.body.lemmas or analysis.title.lemmas)
        roundup = matcher.match(analysis).roundup
        prof = stories.profile(analysis, ents, when, org_names=analyser.org_names, roundup=roundup)
        out.append((prof, sig))
    return out


def _comparable(a, b) -> bool:  # type: ignore[no-untyped-def]
    """The rule's gates before the linear score (see bot.analysis.stories.same_story)."""
    if a.lone or b.lone or not stories.anchored(a, b) or stories.figures_clash(a, b):
        return False
    return stories.worded_alike(stories.features(a, b))


def simulate(rows, profs, weights, threshold, minhash_only=False):
    cluster: dict[str, object] = {}
    for n, row in enumerate(rows):
        best, best_score = None, None
        for m in range(n):
            a, sig_a = profs[n]
            b, sig_b = profs[m]
            mh = clusters.jaccard(sig_a, sig_b)
            if minhash_only:
                s = mh if mh >= clusters.THRESHOLD else None
            elif abs(a.when - b.when) > stories.WINDOW:
                s = None
            elif mh >= stories.MINHASH_SAME:
                s = 100 + mh
            elif not _comparable(a, b):
                s = None
            else:
                s = float(np.dot(weights, stories.features(a, b)))
                s = s if s >= threshold else None
            if s is not None and (best_score is None or s > best_score):
                best, best_score = m, s
        cluster[row["id"]] = cluster[rows[best]["id"]] if best is not None else row["id"]
    gold = {r["id"]: r["story"] for r in rows}
    return cluster_scores(gold, cluster)


def fit(rows, profs, l2=0.01, steps=4000, lr=0.5):
    xs, ys = [], []
    for n in range(len(rows)):
        for m in range(n):
            a, b = profs[n][0], profs[m][0]
            if abs(a.when - b.when) > stories.WINDOW or a.lone or b.lone:
                continue
            if not stories.anchored(a, b) or stories.figures_clash(a, b):
                continue
            f = stories.features(a, b)
            same = 1.0 if rows[n]["story"] == rows[m]["story"] else 0.0
            xs.append(f)
            ys.append(same)
            # the same pair as if published the same hour: most of a day's reports are, so the
            # words, actors and figures must tell events apart without the dates' help
            day = stories.FEATURES.index("days")
            xs.append([0.0 if k == day else v for k, v in enumerate(f)])
            ys.append(same)
    x, y = np.array(xs), np.array(ys)
    pos = y.mean()
    sample_w = np.where(y == 1, 0.5 / pos, 0.5 / (1 - pos))  # balance the classes
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w)))
        grad = x.T @ ((p - y) * sample_w) / len(y) + l2 * np.r_[w[:-1], 0]
        w -= lr * grad
    return w, int(y.sum()), len(y)


def same_day(rows: list[dict]) -> list[dict]:
    """The set with every article published at one moment (the dates give no help)."""
    return [{**r, "published": "2025-10-31T09:00:00+09:00"} for r in rows]


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "stories" / "tune.jsonl"
    rows = load(path)
    profs = profiles(rows)
    flat = profiles(same_day(rows))
    w, positives, pairs = fit(rows, profs)
    print(f"{len(rows)} articles, {pairs} pairs within the window, {positives} same-story")
    print("weights:", dict(zip(stories.FEATURES, np.round(w, 2), strict=True)))
    base = simulate(rows, profs, w, 0, minhash_only=True)
    print(f"MinHash only: bcubed {base['bcubed']} pairwise {base['pairwise']}")
    mins = [float(x) for x in sys.argv[2:]] or [stories.TEXT_MIN]
    for t, stories.TEXT_MIN in ((t, m) for m in mins for t in (-0.4, -0.2, 0.0, 0.2, 0.4, 0.6)):
        r = simulate(rows, profs, w, t)
        f = simulate(rows, flat, w, t)
        print(
            f"text {stories.TEXT_MIN:.2f} threshold {t:+.1f}: bcubed {r['bcubed']} pairwise {r['pairwise']}"
            f" | same day: bcubed {f['bcubed']['f1']} pairwise {f['pairwise']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
