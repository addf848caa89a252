"""Fit the learned half of the topic matcher (``bot/analysis/topic_model.json``).

    python bench/topics/fit.py LABELS.jsonl [--stories ARTICLES.jsonl] [--extra MORE.jsonl]
        [--cv 5] [--write]

``LABELS.jsonl`` is an ``eval`` labels file (the real tuning split); ``--stories`` names a file
whose rows give each ``id`` its ``story``, so cross-validation folds keep one story's reports
together (without it, each article is its own group).  ``--cv K`` prints K-fold figures (the
rule alone, the model alone, and the combination); ``--write`` fits on the whole file and stores
the weights (single lemmas and numbers only).  ``--extra`` (repeatable) adds more labelled real
articles to the training rows (an ``eval`` labels file whose rows carry their own ``story``); the
cross-validation then folds them with the rest, by story, and prints the figures on the
``LABELS`` rows and on the extra rows apart.  Nothing here is read at run time but the JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.analysis import topic_model  # noqa: E402
from bot.analysis.evaluate import _as_ingested  # noqa: E402
from bot.analysis.korean import get_analyser  # noqa: E402
from bot.analysis.matcher import Matcher  # noqa: E402
from bot.config.topics import load_topics  # noqa: E402
from bot.services.labelled import read_examples, read_jsonl  # noqa: E402

MIN_DF = 3  # a lemma in fewer training articles gets no weight
L2 = 0.0001  # on every weight but the bias (the loss is a mean over articles)
# The rule features of gpu_deal and sovereign_ai are penalised 100x harder than a lemma.  The
# rules were tuned on this very file, so in-sample they look more reliable than they are on unseen
# news, and a model that leans on them inherits their misses (a rule "no" outweighed every lemma).
# 5-fold CV by story on the tune split, mean of three fold seeds: gpu_deal F1 0.935 with the rule
# penalised like a lemma, 0.941 at 10x, 0.954 at 100x (one seed: 0.968 at 100x, 0.964 at 300x,
# 0.938 at 1000x); sovereign_ai 0.896 like a lemma, 0.899 at 100x, and 0.914 at 100x with the
# model adding it from logit -0.75 (P 0.96, R 0.87; 0.907 like a lemma from -1.0; since split
# by anchor, see COLD_CUTOFFS): its misses are recall.  Its veto goes to -3: leaning less on the rule, the model would otherwise drop
# clear sovereign-AI seeds (logit -1.4), and CV is the same from -1 to -3.  APEC keeps the lemma
# penalty: CV is the same either way (0.964 / 0.970), and at 100x the model vetoed clear APEC
# reports and added APEC-week side news among the invented cases.  Neither bigrams of lemmas
# nor separate title features helped (model alone 0.871 and 0.884 against 0.884, one seed).
L2_RULE: float | None = None  # set while cross-validating; otherwise RULE_L2 per topic
RULE_L2 = {"gpu_deal": 0.01, "sovereign_ai": 0.01}
CUTOFFS = {"sovereign_ai": -1.0}  # per topic, chosen by the CV above; CUTOFF otherwise
# Where the rule found no anchor at all (score 0), sovereign_ai is added only from logit 0: from
# -0.75 the model added a company's own AI model ("AI", "모델", "개발" are common lemmas), and
# splitting the bar is better on CV too (mean of three fold seeds: 0.903 with -0.75 for both,
# 0.915 with -1 where the rule found an anchor and 0 where it found none, P 0.94 -> 0.96; -1.5/0
# 0.913, -1/0.5 0.914, -0.5/0 0.902); one seed (what --cv prints): 0.921, P 0.96 R 0.89. Rule
# terms for dependence on other countries and for national AI races raised CV to 0.920 but no
# tuning article used most of them and they tagged invented non-AI headlines ("rather than
# abroad", "AI powerhouse"): only the Stargate and AI-continent phrases were kept.  gpu_deal (one
# positive without an anchor in 205 articles) is added without one only from logit 2: mean of
# five fold seeds 0.947 -> 0.952, P 0.94 -> 0.95 (the model had added meetings about AI that
# merely name the chips).  APEC has no positive without an anchor; it keeps its one bar.
# Since the model is fitted with 177 more real articles as well (``--extra``: sovereign-AI reports
# of many countries, GPU deals, APEC meetings and their look-alikes), it leans harder on common
# lemmas, and the split bar let invented traps through (a card company's own AI model at logit
# 0.67, a wealth fund's stake in a chip start-up at 0.27).  Without an anchor sovereign_ai now
# needs a word of the state (COLD_REQUIRES) and is added from -1: pooled CV over the tuning and
# extra rows, mean of three seeds, 0.890 with the split (0 without an anchor) -> 0.901 (tuning
# rows 0.916 -> 0.915, extra rows 0.845 -> 0.876); one bar of -1 with no word needed: 0.904, but
# the traps get through.  gpu_deal's bar without an anchor is flat from -1 to 2 (pooled 0.911-0.912).
# A third labeller then added sovereign_ai to four extra rows (India's national GPU procurement);
# refitted on those labels: tuning rows 0.947 (sovereign_ai 0.907), pooled sovereign_ai 0.908.
COLD_CUTOFFS = {"sovereign_ai": -1.0, "gpu_deal": 2.0}  # per topic; the topic's cutoff otherwise
VETOS = {"sovereign_ai": -3.0}
# without an anchor, sovereign_ai also needs a word of the state (English ones via the bridge)
NATIONAL = {"국가", "정부", "국산", "자국", "국민", "대통령", "총리", "장관", "부처", "과기정통부"}
COLD_REQUIRES = {"sovereign_ai": NATIONAL}
CUTOFF = 0.0  # logit from which the model adds a topic the rule did not carry
# logit below which it drops one the rule carried (CV on tune: macro F1 0.938 against 0.940 at
# 0; the invented regression cases, real APEC meetings told without a title, need the margin)
VETO = -1.0
KEEP = 400  # lemmas stored per topic (largest weights)
# English words a Korean report says with these lemmas, beside the story rule's place names
TOPIC_BRIDGE = {
    "주권": "sovereignty",
    "국가": "national nation country",
    "정부": "government",
    "정상회의": "summit",
    "정상": "leader",
    "전략": "strategy",
    "모델": "model",
    "슈퍼컴퓨터": "supercomputer",
    "투자": "investment invest",
    "구매": "purchase buy",
    "계약": "contract deal",
    "칩": "chip",
    "클라우드": "cloud",
    "선언": "declaration",
    "장관": "minister ministerial",
    "주가": "share shares stock",
}


def build_bridge(analyser) -> dict[str, str]:
    words = tomllib.loads((ROOT / "bot/analysis/story_words.toml").read_text(encoding="utf-8"))
    pairs = dict(words.get("bridge", {}))
    for korean, english in TOPIC_BRIDGE.items():
        pairs[korean] = (pairs.get(korean, "") + " " + english).strip()
    bridge: dict[str, str] = {}
    for korean, english in pairs.items():
        target = "".join(analyser.lemmas(korean)) or korean
        for word in english.split():
            for lemma in analyser.lemmas(word) or [word]:
                if lemma != target:
                    bridge.setdefault(lemma, target)
    return bridge


def fit_logistic(x: np.ndarray, y: np.ndarray, penalty: np.ndarray, steps: int = 600) -> np.ndarray:
    """L2-regularised logistic regression by Newton steps in the dual-friendly form
    (few articles, many lemmas): returns weights with the bias last (not penalised)."""
    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))])
    pen = np.append(penalty, 0.0)
    w = np.zeros(d + 1)
    for _ in range(30):
        z = xb @ w
        p = 1.0 / (1.0 + np.exp(-z))
        grad = xb.T @ (p - y) / n + pen * w
        s = p * (1 - p) / n
        # Newton step with H = X^T S X + diag(pen); solved via Woodbury when d > n
        dinv = 1.0 / np.maximum(pen, 1e-6)
        dinv[-1] = 1e6  # the bias: almost free
        xs = xb * dinv
        inner = np.diag(1.0 / np.maximum(s, 1e-12)) + xs @ xb.T
        step = dinv * grad - xs.T @ np.linalg.solve(inner, xs @ grad)
        w -= step
        if np.max(np.abs(step)) < 1e-6:
            break
    return w


def _has_id(row: dict) -> None:
    if "id" not in row:
        raise ValueError("missing 'id'")


class Data:
    def __init__(
        self, labels_path: Path, stories_path: Path | None, extra_paths: Sequence[Path] = ()
    ) -> None:
        analyser = get_analyser()
        self.topics = load_topics()
        self.examples = read_examples(labels_path)
        own = len(self.examples)
        extra_story: dict[str, str] = {}
        for path in extra_paths:
            self.examples += read_examples(path)
            for row in read_jsonl(path, _has_id):
                extra_story[str(row["id"])] = "extra:" + str(row.get("story") or row["id"])
        self.extra = np.arange(len(self.examples)) >= own
        self.bridge = build_bridge(analyser)
        matcher = Matcher(self.topics, analyser, model=None)
        analyses = analyser.analyse_many([_as_ingested(e) for e in self.examples])
        self.feats = [topic_model.lemma_features(a, self.bridge) for a in analyses]
        results = [matcher.match(a) for a in analyses]
        self.ids = self.topics.ids()
        self.rule = {
            t.id: np.array(
                [
                    topic_model.rule_features(
                        r.scores.get(t.id, 0.0),
                        t.threshold,
                        any(m.topic == t.id for m in r.matches),
                    )
                    for r in results
                ]
            )
            for t in self.topics.topics
        }
        # a none term in the title rules a topic out, for the model too (bot.analysis.matcher)
        self.ruled_out = {t: np.array([t in r.ruled_out for r in results]) for t in self.ids}
        self.y = {t: np.array([t in e.labels for e in self.examples], float) for t in self.ids}
        self.national = np.array([bool(NATIONAL & f.keys()) for f in self.feats])  # COLD_REQUIRES
        story = {}
        if stories_path:
            for row in read_jsonl(stories_path, _has_id):
                story[str(row["id"])] = str(row.get("story") or row["id"])
        story.update(extra_story)
        self.groups = [story.get(e.id, e.id) for e in self.examples]

    def matrix(self, rows: list[int], vocab: list[str]) -> np.ndarray:
        index = {v: i for i, v in enumerate(vocab)}
        x = np.zeros((len(rows), len(vocab)))
        for r, row in enumerate(rows):
            for lemma, value in self.feats[row].items():
                col = index.get(lemma)
                if col is not None:
                    x[r, col] = value
        return x

    def vocab(self, rows: list[int]) -> list[str]:
        df: Counter[str] = Counter()
        for row in rows:
            df.update(self.feats[row].keys())
        return sorted(v for v, n in df.items() if n >= MIN_DF)

    def fit(
        self, rows: list[int], topic: str, use_rule: bool = True
    ) -> tuple[list[str], np.ndarray]:
        vocab = self.vocab(rows)
        x = self.matrix(rows, vocab)
        if use_rule:
            x = np.hstack([x, self.rule[topic][rows]])
            rule_pen = RULE_L2.get(topic, L2) if L2_RULE is None else L2_RULE
            penalty = np.array([L2] * len(vocab) + [rule_pen, rule_pen])
        else:
            x = np.hstack([x, np.zeros((len(rows), 2))])
            penalty = np.array([L2] * len(vocab) + [1e3, 1e3])
        return vocab, fit_logistic(x, self.y[topic][rows], penalty)

    def logits(self, rows: list[int], topic: str, vocab: list[str], w: np.ndarray) -> np.ndarray:
        x = np.hstack([self.matrix(rows, vocab), self.rule[topic][rows], np.ones((len(rows), 1))])
        return x @ w


def f1(y: np.ndarray, pred: np.ndarray) -> tuple[float, float, float]:
    tp = float(np.sum((y == 1) & pred))
    fp = float(np.sum((y == 0) & pred))
    fn = float(np.sum((y == 1) & ~pred))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def folds(groups: list[str], k: int, seed: int = 7) -> list[list[int]]:
    uniq = sorted(set(groups))
    rng = np.random.default_rng(seed)
    rng.shuffle(uniq)
    fold_of = {g: i % k for i, g in enumerate(uniq)}
    return [[i for i, g in enumerate(groups) if fold_of[g] == f] for f in range(k)]


def best_cutoff(y: np.ndarray, z: np.ndarray) -> float:
    best, cut = -1.0, 0.0
    for c in np.arange(-3.0, 3.01, 0.25):
        score = f1(y, z >= c)[2]
        if score > best + 1e-9:
            best, cut = score, float(c)
    return cut


def out_of_fold(
    data: Data, k: int, topic: str, rule_penalty: float | None, seed: int = 0
) -> np.ndarray:
    """Out-of-fold logits (folds by story); ``rule_penalty`` None leaves the rule out."""
    global L2_RULE
    saved = L2_RULE
    n = len(data.examples)
    z = np.zeros(n)
    for test in folds(data.groups, k, seed):
        held = set(test)
        train = [i for i in range(n) if i not in held]
        if rule_penalty is not None:
            L2_RULE = rule_penalty
        vocab, w = data.fit(train, topic, rule_penalty is not None)
        z[test] = data.logits(test, topic, vocab, w)
    L2_RULE = saved
    return z


def cross_validate(data: Data, k: int, seeds: int = 1) -> None:
    """Each variant's figures, the mean over ``seeds`` ways of dealing the stories into folds."""
    runs = [_cross_validate(data, k, seed) for seed in range(seeds)]
    for name in runs[0]:
        per = [tuple(np.mean([run[name][i] for run in runs], axis=0)) for i in range(len(data.ids))]
        macro = np.mean([p[2] for p in per])
        tops = " ".join(
            f"{t} {p[2]:.3f} (P {p[0]:.2f} R {p[1]:.2f})"
            for t, p in zip(data.ids, per, strict=True)
        )
        print(f"{k}-fold CV by story ({seeds} seeds), {name}: macro F1 {macro:.3f} | {tops}")


def _cross_validate(data: Data, k: int, seed: int) -> dict[str, list[tuple[float, float, float]]]:
    results: dict[str, list[tuple[float, float, float]]] = {}
    for t in data.ids:
        y = data.y[t]
        rule = data.rule[t][:, 1] > 0
        anchored = data.rule[t][:, 0] > 0
        cutoff = CUTOFFS.get(t, CUTOFF)
        alone = out_of_fold(data, k, t, None, seed)
        shipped = RULE_L2.get(t, L2)
        stacked = out_of_fold(data, k, t, shipped, seed)
        variants = {
            "rule alone (in-sample)": rule,
            "model alone": alone >= 0,
            "stacked, rule penalised like lemmas": (
                np.where(rule, (like := out_of_fold(data, k, t, L2, seed)) >= -1.0, like >= 0)
            ),
            "stacked, no veto margin": stacked >= 0,
            "stacked, veto below -1": np.where(rule, stacked >= -1.0, stacked >= 0),
            "stacked, shipped cutoffs and veto": np.where(
                rule,
                stacked >= VETOS.get(t, VETO),
                np.where(
                    anchored,
                    stacked >= cutoff,
                    (stacked >= COLD_CUTOFFS.get(t, cutoff))
                    & (data.national if t in COLD_REQUIRES else True),
                ),
            ),
            "stacked, one cutoff with or without anchor": np.where(
                rule, stacked >= VETOS.get(t, VETO), stacked >= cutoff
            ),
            "stacked, veto below -1.5": np.where(rule, stacked >= -1.5, stacked >= 0),
            "stacked, veto below -1, add from 0.5": np.where(rule, stacked >= -1.0, stacked >= 0.5),
            "rule or model>=1": rule | (alone >= 1.0),
            "rule or model>=0": rule | (alone >= 0.0),
            "(rule and model>=-1) or model>=1": (rule & (alone >= -1.0)) | (alone >= 1.0),
            "mean vote: model + 2*rule-1 >=0": (alone + 2.0 * (rule - 0.5)) >= 0,
        }
        for cold in (-1.0, -0.5, 0.0):
            variants[f"stacked, cold cutoff {cold:+.1f} and a national word"] = np.where(
                rule,
                stacked >= VETOS.get(t, VETO),
                np.where(anchored, stacked >= cutoff, (stacked >= cold) & data.national),
            )
        for cold in (-1.0, -0.5, 0.5, 1.0, 2.0):
            variants[f"stacked, shipped but cold cutoff {cold:+.1f}"] = np.where(
                rule,
                stacked >= VETOS.get(t, VETO),
                stacked >= np.where(anchored, cutoff, cold),
            )
        for name, pred in variants.items():
            pred = pred & ~data.ruled_out[t]
            results.setdefault(name, []).append(f1(y[~data.extra], pred[~data.extra]))
            if data.extra.any():
                results.setdefault("  on the extra rows: " + name, []).append(
                    f1(y[data.extra], pred[data.extra])
                )
                results.setdefault("  on all rows: " + name, []).append(f1(y, pred))
    return results


def write(data: Data, path: Path) -> None:
    rows = list(range(len(data.examples)))
    out = {}
    for t in data.ids:
        vocab, w = data.fit(rows, t, True)
        lemma_w = w[: len(vocab)]
        order = np.argsort(-np.abs(lemma_w))[:KEEP]
        out[t] = {
            "bias": round(float(w[-1]), 4),
            "rule_score": round(float(w[len(vocab)]), 4),
            "rule_carried": round(float(w[len(vocab) + 1]), 4),
            "cutoff": CUTOFFS.get(t, CUTOFF),
            "cold_cutoff": COLD_CUTOFFS.get(t, CUTOFFS.get(t, CUTOFF)),
            "cold_requires": sorted(COLD_REQUIRES.get(t, ())),
            "veto": VETOS.get(t, VETO),
            "lemmas": {
                vocab[i]: round(float(lemma_w[i]), 4) for i in sorted(order, key=lambda i: vocab[i])
            },
        }
    doc = {
        "about": "Learned topic weights (bot/analysis/topic_model.py), fitted by bench/topics/fit.py"
        " on the real tuning split: single lemmas and numbers only.",
        "min_df": MIN_DF,
        "l2": L2,
        "bridge": dict(sorted(data.bridge.items())),
        "topics": out,
    }
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")


def main() -> None:
    global L2
    ap = argparse.ArgumentParser()
    ap.add_argument("labels", type=Path)
    ap.add_argument("--stories", type=Path)
    ap.add_argument("--extra", type=Path, action="append", default=[])
    ap.add_argument("--cv", type=int, default=0)
    ap.add_argument("--seeds", type=int, default=1, help="fold deals averaged (--cv)")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--l2", type=float, nargs="*", default=[L2])
    ap.add_argument("--out", type=Path, default=topic_model.MODEL_PATH)
    args = ap.parse_args()
    data = Data(args.labels, args.stories, args.extra)
    for l2 in args.l2:
        L2 = l2
        if args.cv:
            print(f"L2 {l2}")
            cross_validate(data, args.cv, args.seeds)
    if args.write:
        write(data, args.out)


if __name__ == "__main__":
    main()
