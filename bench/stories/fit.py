"""Fit the story rule's weights (bot.analysis.story_rule.WEIGHTS) on a tuning set only.

    .venv/bin/python bench/stories/fit.py TUNE.jsonl [TEXT_MIN ...]

TUNE.jsonl is a labelled story set (``id``, ``title``, ``text``, ``published``, ``story``), for
example the real tuning split read from where it lies (it is never copied into the project).
Dates are read as ``eval-clusters`` reads them (partial or missing dates are unknown).
Logistic regression over the pairs of articles the rule compares (within the window, or either
undated; same story or not), then the assignment of :mod:`bot.analysis.story_assign` (a report
joins a story when it passes the rule with one member and its mean score over the story's
comparable members reaches ``LINK``) replayed in file order at several
thresholds, with the B-cubed and pairwise figures of each, and the MinHash-only rule beside them:
cross-validated (five folds by story: each article is scored with weights fitted without its
story's fold) and fitted on the whole set.
The held-out split is never read here.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.analysis import clusters, entities, stories, story_assign, story_rule  # noqa: E402
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


def _gated(a, b, mh=0.0) -> bool:  # type: ignore[no-untyped-def]
    """The rule's gates before the linear score (see bot.analysis.story_rule.same_story)."""
    if a.lone or b.lone or not story_rule.anchored(a, b) or story_rule.figures_clash(a, b):
        return False
    if story_rule.actors_clash(a, b):
        return False
    return story_rule.worded_alike(story_rule.features(a, b, mh))


def verdict(a, b, mh, weights, threshold):  # type: ignore[no-untyped-def]
    if story_rule.figures_clash(a, b) or story_rule.actors_clash(a, b):
        return None
    if mh >= stories.MINHASH_SAME:
        return 100 + mh
    if not _gated(a, b, mh):
        return None
    s = float(np.dot(weights, story_rule.features(a, b, mh)))
    return s if s >= threshold else None


def minhashes(profs):  # type: ignore[no-untyped-def]
    return {
        (n, m): clusters.jaccard(profs[n][1], profs[m][1])
        for n in range(len(profs))
        for m in range(n)
        if story_rule.comparable(profs[n][0], profs[m][0])
    }


def simulate(rows, profs, mhs, weights_of, threshold, minhash_only=False):
    """Replay the assignment in file order; ``weights_of(n)``: the weights the incoming
    article ``n`` is scored with (in cross-validation, those fitted without its fold)."""
    story_of: dict[int, int] = {}
    shipped = story_rule.WEIGHTS
    for n in range(len(rows)):
        a = profs[n][0]
        weights = None if minhash_only else weights_of(n)
        votes: dict[int, list[float | None]] = {}  # (MinHash only)
        compared: dict[int, list] = {}
        for m in range(n):
            if (n, m) not in mhs:
                continue  # not comparable
            mh = mhs[n, m]
            if minhash_only:
                votes.setdefault(story_of[m], []).append(mh if mh >= clusters.THRESHOLD else None)
            else:
                found = verdict(a, profs[m][0], mh, weights, threshold)
                compared.setdefault(story_of[m], []).append((profs[m][0], mh, found))
        if minhash_only:
            chosen = story_assign.choose(votes, {}, single_link=True)
        else:
            story_rule.WEIGHTS = tuple(weights)  # (the story's mean is scored with these)
            try:
                chosen = story_assign.decide(a, compared)
            finally:
                story_rule.WEIGHTS = shipped
        story_of[n] = chosen if chosen is not None else n
    gold = {r["id"]: r["story"] for r in rows}
    scores = cluster_scores(gold, {r["id"]: story_of[n] for n, r in enumerate(rows)})
    cross = [
        story_of[n] == story_of[m]
        for n in range(len(rows))
        for m in range(n)
        if rows[n]["story"] == rows[m]["story"] and rows[n].get("lang") != rows[m].get("lang")
    ]
    scores["cross"] = round(sum(cross) / len(cross), 3) if cross else None
    return scores


def pairs(rows, profs, mhs):  # type: ignore[no-untyped-def]
    """The pairs past the gates: (n, m, features, same story)."""
    out = []
    for (n, m), mh in mhs.items():
        a, b = profs[n][0], profs[m][0]
        if mh >= stories.MINHASH_SAME or not _gated(a, b, mh):
            continue
        out.append((n, m, story_rule.features(a, b, mh), rows[n]["story"] == rows[m]["story"]))
    return out


def fit(found, l2=0.01, steps=4000, lr=0.5):  # type: ignore[no-untyped-def]
    x = np.array([f for _, _, f, _ in found])
    y = np.array([1.0 if same else 0.0 for *_, same in found])
    pos = y.mean()
    sample_w = np.where(y == 1, 0.5 / pos, 0.5 / (1 - pos))  # balance the classes
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w)))
        grad = x.T @ ((p - y) * sample_w) / len(y) + l2 * np.r_[w[:-1], 0]
        w -= lr * grad
    return w, int(y.sum()), len(y)


FOLDS = 5
THRESHOLDS = (-0.4, -0.2, 0.0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4)


def folds(rows):  # type: ignore[no-untyped-def]
    """Each article's fold, by story (all reports of a story in one fold)."""
    names = sorted({r["story"] for r in rows})
    np.random.default_rng(0).shuffle(names)
    fold = {s: i % FOLDS for i, s in enumerate(names)}
    return [fold[r["story"]] for r in rows]


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    rows = load(Path(sys.argv[1]))
    profs = profiles(rows)
    mhs = minhashes(profs)
    base = simulate(rows, profs, mhs, None, 0, minhash_only=True)
    print(f"MinHash only: bcubed {base['bcubed']} pairwise {base['pairwise']}")
    found = pairs(rows, profs, mhs)
    fold = folds(rows)
    held = []  # weights fitted without each fold's stories
    for k in range(FOLDS):
        train = [p for p in found if fold[p[0]] != k and fold[p[1]] != k]
        held.append(fit(train)[0])
    w, positives, total = fit(found)
    print(f"{total} pairs past the gates, {positives} same-story")
    print("weights:", dict(zip(story_rule.FEATURES, np.round(w, 2).tolist(), strict=True)))
    for t in THRESHOLDS:
        cv = simulate(rows, profs, mhs, lambda n: held[fold[n]], t)
        r = simulate(rows, profs, mhs, lambda n: w, t)
        print(
            f"  threshold {t:+.1f}: CV bcubed {cv['bcubed']['f1']} pairwise {cv['pairwise']}"
            f" cross {cv['cross']} | fitted on all: bcubed {r['bcubed']['f1']}"
            f" pairwise {r['pairwise']} cross {r['cross']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
