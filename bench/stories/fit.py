"""Fit the story rule's weights (bot.analysis.stories.WEIGHTS) on a tuning set only.

    .venv/bin/python bench/stories/fit.py TUNE.jsonl [TEXT_MIN ...]

TUNE.jsonl is a labelled story set (``id``, ``title``, ``text``, ``published``, ``story``), for
example the real tuning split read from where it lies (it is never copied into the project).
Dates are read as ``eval-clusters`` reads them (partial or missing dates are unknown).
Logistic regression over the pairs of articles the rule compares (within the window, or either
undated; same story or not), then the assignment of :mod:`bot.analysis.stories` (a report joins
the story most of whose comparable members it matches) replayed in file order at several
thresholds, with the B-cubed and pairwise figures of each, and the MinHash-only rule beside them.
The held-out split is never read here.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.analysis import clusters, entities, stories, story_assign  # noqa: E402
from bot.analysis.evaluate import cluster_scores  # noqa: E402
from bot.analysis.korean import get_analyser  # noqa: E402
from bot.analysis.matcher import Matcher  # noqa: E402
from bot.config.topics import load_topics  # noqa: E402
from bot.ingest.cleaning import clean_body, headline  # noqa: E402
from bot.services.labelled import read_jsonl, read_published  # noqa: E402

_READ_AT = datetime(2026, 12, 1, tzinfo=UTC)  # an undated article's stand-in time (an order)


def load(path: Path) -> list[dict]:
    return read_jsonl(path, lambda row: None)


def profiles(rows: list[dict]):
    analyser = get_analyser()
    matcher = Matcher(load_topics(), analyser)
    out = []
    for row in rows:
        title = str(row.get("title") or "")
        body = clean_body(str(row["text"]), title)
        analysis = analyser.analyse(headline(title, body), body)  # as the pipeline reads it
        ents = [e.as_dict() for e in entities.extract(analysis, analyser)]
        when = read_published(row.get("published")).at
        sig = clusters.signature(analysis.body.lemmas or analysis.title.lemmas)
        roundup = matcher.match(analysis).roundup
        prof = stories.profile(
            analysis,
            ents,
            when or _READ_AT,
            org_names=analyser.org_names,
            roundup=roundup,
            dated=when is not None,
        )
        out.append((prof, sig))
    return out


def _gated(a, b) -> bool:  # type: ignore[no-untyped-def]
    """The rule's gates before the linear score (see bot.analysis.stories.same_story)."""
    if a.lone or b.lone or not stories.anchored(a, b) or stories.figures_clash(a, b):
        return False
    if stories.actors_clash(a, b):
        return False
    return stories.worded_alike(stories.features(a, b))


def verdict(a, b, sig_a, sig_b, weights, threshold):  # type: ignore[no-untyped-def]
    mh = clusters.jaccard(sig_a, sig_b)
    if stories.figures_clash(a, b) or stories.actors_clash(a, b):
        return None
    if mh >= stories.MINHASH_SAME:
        return 100 + mh
    if not _gated(a, b):
        return None
    s = float(np.dot(weights, stories.features(a, b)))
    return s if s >= threshold else None


def simulate(rows, profs, weights, threshold, minhash_only=False):
    story_of: dict[int, int] = {}
    for n in range(len(rows)):
        a, sig_a = profs[n]
        votes: dict[int, list[float | None]] = {}
        for m in range(n):
            b, sig_b = profs[m]
            if not stories.comparable(a, b):
                continue
            if minhash_only:
                mh = clusters.jaccard(sig_a, sig_b)
                found = mh if mh >= clusters.THRESHOLD else None
            else:
                found = verdict(a, b, sig_a, sig_b, weights, threshold)
            votes.setdefault(story_of[m], []).append(found)
        chosen = story_assign.choose(votes, single_link=minhash_only)
        story_of[n] = chosen if chosen is not None else n
    gold = {r["id"]: r["story"] for r in rows}
    return cluster_scores(gold, {r["id"]: story_of[n] for n, r in enumerate(rows)})


def fit(rows, profs, l2=0.01, steps=4000, lr=0.5):
    xs, ys = [], []
    for n in range(len(rows)):
        for m in range(n):
            a, b = profs[n][0], profs[m][0]
            if not stories.comparable(a, b) or not _gated(a, b):
                continue
            f = stories.features(a, b)
            same = 1.0 if rows[n]["story"] == rows[m]["story"] else 0.0
            xs.append(f)
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


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    rows = load(Path(sys.argv[1]))
    profs = profiles(rows)
    mins = [float(x) for x in sys.argv[2:]] or [stories.TEXT_MIN]
    base = simulate(rows, profs, None, 0, minhash_only=True)
    print(f"MinHash only: bcubed {base['bcubed']} pairwise {base['pairwise']}")
    for stories.TEXT_MIN in mins:
        w, positives, pairs = fit(rows, profs)
        print(f"text {stories.TEXT_MIN:.2f}: {pairs} pairs past the gates, {positives} same-story")
        print("weights:", dict(zip(stories.FEATURES, np.round(w, 2).tolist(), strict=True)))
        for t in (-0.6, -0.4, -0.2, 0.0, 0.2, 0.4, 0.6, 0.8, 1.0):
            r = simulate(rows, profs, w, t)
            print(f"  threshold {t:+.1f}: bcubed {r['bcubed']} pairwise {r['pairwise']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
