"""The learned half of topic matching: one regularised logistic regression per topic.

Its inputs are the lemmas the analyser already produced (no second pass over the text) and the
rule's own verdict (:mod:`bot.analysis.matcher`).  A lemma's feature value is ``log(1 + n)`` for
its ``n`` occurrences in the title and body, plus ``LEAD_BONUS`` when it is in the title or the
lead (first) sentence; English lemmas go through the bilingual bridge first, so ``sovereign`` and
``소버린`` or ``supply`` and ``공급`` are one feature; the vector is then scaled to unit length, so a
short excerpt and a long page weigh alike.  The rule enters as two features: its score
divided by the topic's threshold (capped at ``RULE_CAP``) and whether the rule carried the topic.

The model decides: a topic the rule did not carry is added from logit ``cutoff`` (from
``cold_cutoff`` where the rule scored 0: no anchor sentence scored); a topic the rule carried is
dropped only below ``veto`` (the model fairly sure it is not), so the rule keeps its clear cases
and the model moves the borderline ones.  All three are per topic, chosen by cross-validation on
the tuning split: APEC 0, 0 and -1; gpu_deal 0, 2 and -1; sovereign_ai, whose misses on unseen news
are recall, -1, -1 and -3.  Where the rule found no anchor, a topic may also need one of
``cold_requires`` among the article's lemmas (after the bridge): sovereign_ai needs a word of the
state (국가, 정부, 장관, "government", "national"...), so common lemmas such as "AI", "모델",
"개발" alone never make a company's own model, or a wealth fund's stake, a national one.  How
much the model leans on the rule's two features is set when fitting (``bench/topics/fit.py``): the rules were
tuned on the same split, so their features are penalised harder than a lemma for gpu_deal and
sovereign_ai.

The weights are data (``topic_model.json``: single lemmas and numbers, never text), fitted on the
real tuning split by ``bench/topics/fit.py``; scoring an article costs about 0.13 ms (0.02× its
analysis, measured on the real excerpts).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.analysis.korean import Analysis

MODEL_PATH = Path(__file__).with_name("topic_model.json")
LEAD_BONUS = 1.0
RULE_CAP = 3.0


def lemma_features(analysis: Analysis, bridge: dict[str, str]) -> dict[str, float]:
    """``{lemma: value}`` for an analysed article (see the module docstring)."""
    counts: Counter[str] = Counter(analysis.title.lemmas)
    counts.update(analysis.body.lemmas)
    lead = set(analysis.title.lemmas)
    for tok in analysis.body.tokens:  # in sentence order
        if tok.sent:
            break
        lead.add(tok.lemma)
    out: dict[str, float] = {}
    log1p = math.log1p
    for lemma, n in counts.items():
        key = bridge.get(lemma, lemma)
        if len(key) < 2 or key[0].isdigit() or key[0] == "#":  # numbers, one letter, #num
            continue
        value = log1p(n) + (LEAD_BONUS if lemma in lead else 0.0)
        if value > out.get(key, 0.0):
            out[key] = value
    norm = math.sqrt(sum(v * v for v in out.values()))
    if norm > 0:  # length-free: a short excerpt and a long page weigh alike
        for key in out:
            out[key] /= norm
    return out


def rule_features(score: float, threshold: float, carried: bool) -> tuple[float, float]:
    return min(score / threshold, RULE_CAP) if threshold > 0 else 0.0, 1.0 if carried else 0.0


@dataclass(frozen=True, slots=True)
class TopicWeights:
    bias: float
    rule_score: float
    rule_carried: float
    cutoff: float  # the logit from which the topic is carried when the rule did not carry it
    veto: float  # below this logit a topic the rule carried is dropped
    cold_cutoff: float  # like cutoff, where the rule scored 0 (no anchor sentence scored)
    lemmas: dict[str, float]
    cold_requires: frozenset[str] = frozenset()  # there, one of these lemmas too (empty: none)


@dataclass(frozen=True, slots=True)
class Verdict:
    carried: bool
    logit: float
    # the lemmas that pushed it most, with their share (empty when the topic is not carried)
    top: tuple[tuple[str, float], ...]


class TopicModel:
    def __init__(self, topics: dict[str, TopicWeights], bridge: dict[str, str]) -> None:
        self.topics = topics
        self.bridge = bridge

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> TopicModel | None:
        """The stored model, or None where there is none (the rule then decides alone)."""
        if not path.exists():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        topics = {
            tid: TopicWeights(
                float(t["bias"]),
                float(t["rule_score"]),
                float(t["rule_carried"]),
                float(t["cutoff"]),
                float(t.get("veto", t["cutoff"])),
                float(t.get("cold_cutoff", t["cutoff"])),
                {k: float(v) for k, v in t["lemmas"].items()},
                frozenset(t.get("cold_requires", ())),
            )
            for tid, t in data["topics"].items()
        }
        return cls(topics, dict(data.get("bridge", {})))

    def features(self, analysis: Analysis) -> dict[str, float]:
        return lemma_features(analysis, self.bridge)

    def verdict(
        self,
        topic: str,
        features: dict[str, float],
        score: float,
        threshold: float,
        carried: bool,
        top: int = 5,
    ) -> Verdict | None:
        weights = self.topics.get(topic)
        if weights is None:
            return None
        r_score, r_carried = rule_features(score, threshold, carried)
        logit = weights.bias + weights.rule_score * r_score + weights.rule_carried * r_carried
        lemma_weights = weights.lemmas
        common = features.keys() & lemma_weights.keys()
        logit += sum([lemma_weights[lemma] * features[lemma] for lemma in common])
        if carried:
            keep = logit >= weights.veto
        elif score > 0:
            keep = logit >= weights.cutoff
        else:
            needs = weights.cold_requires
            keep = logit >= weights.cold_cutoff and (not needs or not needs.isdisjoint(features))
        shown: tuple[tuple[str, float], ...] = ()
        if keep:  # (what pushed it is shown for a topic carried, and only there)
            parts = [(lemma, lemma_weights[lemma] * features[lemma]) for lemma in common]
            parts.sort(key=lambda p: -p[1])
            shown = tuple((lemma, round(c, 2)) for lemma, c in parts[:top] if c > 0)
        return Verdict(keep, logit, shown)
