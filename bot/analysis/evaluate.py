"""``newsbot eval``: precision, recall and F1 of the matcher against labelled examples (read by
:func:`bot.services.labelled.read_examples`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.analysis.keyword_baseline import keyword_topics, pattern_for
from bot.analysis.korean import Analyser
from bot.analysis.limits import analysed_body, analysed_title
from bot.analysis.matcher import Matcher
from bot.config.topics import TopicSet
from bot.ingest.cleaning import clean_body, clean_page, headline


@dataclass(slots=True)
class Example:
    id: str
    title: str
    text: str
    labels: list[str]


def _as_ingested(example: Example) -> tuple[str, str]:
    """(title, body) as the pipeline analyses a stored article (the same bounds)."""
    if example.title:
        return analysed_title(example.title), analysed_body(clean_body(example.text, example.title))
    page = clean_page(example.text)
    body = analysed_body(page.body)
    return analysed_title(headline(page.title, body)), body


def evaluate(examples: list[Example], topics: TopicSet, analyser: Analyser) -> dict[str, Any]:
    """Score the matcher on the examples, after the same page cleaning as ``ingest``."""
    matcher = Matcher(topics, analyser)
    analyses = analyser.analyse_many([_as_ingested(e) for e in examples])
    results = [matcher.match(analysis) for analysis in analyses]
    predictions = [([m.topic for m in r.matches], r.scores) for r in results]
    return _report(examples, topics.ids(), predictions)


def evaluate_keywords(examples: list[Example], topics: TopicSet) -> dict[str, Any]:
    """The same figures for the keyword-filter baseline (:mod:`bot.analysis.keyword_baseline`)
    on the raw title and text."""
    patterns = {t.id: pattern_for(t) for t in topics.topics}
    predictions = []
    for ex in examples:
        predicted = keyword_topics(patterns, ex.title, ex.text)
        predictions.append((predicted, {t: float(t in predicted) for t in patterns}))
    return _report(examples, topics.ids(), predictions)


def _report(
    examples: list[Example],
    ids: list[str],
    predictions: list[tuple[list[str], dict[str, float]]],
) -> dict[str, Any]:
    counts = {t: {"tp": 0, "fp": 0, "fn": 0} for t in ids}
    items = []
    for ex, (predicted, scores) in zip(examples, predictions, strict=True):
        for t in ids:
            want, got = t in ex.labels, t in predicted
            if want and got:
                counts[t]["tp"] += 1
            elif got:
                counts[t]["fp"] += 1
            elif want:
                counts[t]["fn"] += 1
        items.append({"id": ex.id, "labels": ex.labels, "predicted": predicted, "scores": scores})
    per_topic = {}
    for t, c in counts.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        per_topic[t] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4), **c}
    macro = sum(v["f1"] for v in per_topic.values()) / len(per_topic) if per_topic else 0.0
    return {"n": len(examples), "topics": per_topic, "macro_f1": round(macro, 4), "items": items}


def cluster_scores(gold: dict[str, str], predicted: dict[str, object]) -> dict[str, Any]:
    """Pairwise and B-cubed precision, recall and F1 of a clustering against gold stories.

    Pairwise: over every pair of articles, "together" predicted vs labelled.  B-cubed: for each
    article, the share of its predicted cluster that is of its story (precision) and the share
    of its story inside its predicted cluster (recall), averaged over articles."""
    ids = sorted(gold)
    by_gold: dict[str, set[str]] = {}
    by_pred: dict[object, set[str]] = {}
    for i in ids:
        by_gold.setdefault(gold[i], set()).add(i)
        by_pred.setdefault(predicted[i], set()).add(i)
    tp = fp = fn = 0
    for n, a in enumerate(ids):
        for b in ids[n + 1 :]:
            same_gold, same_pred = gold[a] == gold[b], predicted[a] == predicted[b]
            tp += same_gold and same_pred
            fp += same_pred and not same_gold
            fn += same_gold and not same_pred
    bp = br = 0.0
    for i in ids:
        g, p = by_gold[gold[i]], by_pred[predicted[i]]
        both = len(g & p)
        bp += both / len(p)
        br += both / len(g)
    return {
        "pairwise": _prf(tp, fp, fn),
        "bcubed": _f1(bp / len(ids), br / len(ids)) if ids else _f1(0.0, 0.0),
    }


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return _f1(p, r)


def _f1(p: float, r: float) -> dict[str, float]:
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4)}
