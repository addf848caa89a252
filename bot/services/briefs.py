"""Story briefs as users see them: the 세 줄 요약 of a story (digest entries and ``why``), and
``newsbot eval-briefs`` (ROUGE-1 recall against labelled summaries, lead-3 beside it).

The rule is :mod:`bot.analysis.briefs`.  A brief is made from the story's reports as stored
(earliest first), at most :data:`MAX_REPORTS` of them; the analyser runs on their bodies again
(a few milliseconds a story), and briefs are kept in memory by story and size, so a story that
gains a report gets a new brief.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.analysis import briefs as rule
from bot.services.labelled import date_order, read_jsonl
from bot.store.views import Article

if TYPE_CHECKING:
    from bot.runtime.app import App

MAX_REPORTS = 6
CACHE = 2000
_cache: OrderedDict[tuple[str, int, int], list[str]] = OrderedDict()


def story_brief(app: App, item: Article) -> list[str]:
    """The brief of the story ``item`` belongs to (of ``item`` alone when it has no other
    report)."""
    cluster = item.cluster
    ids = [m.id for m in cluster.members][:MAX_REPORTS] if cluster and cluster.members else []
    if item.id not in ids:
        ids = [item.id, *ids][:MAX_REPORTS]
    key = (app.settings.database_url, cluster.id if cluster else item.id, len(ids))
    found = _cache.get(key)
    if found is not None:
        return found
    reports = app.store.articles(ids) if len(ids) > 1 else [item]
    reports.sort(key=lambda a: (a.published or a.seen_at, a.id))
    found = rule.brief([rule.Report(a.title, a.body) for a in reports], app.analyser)
    _cache[key] = found
    while len(_cache) > CACHE:
        _cache.popitem(last=False)
    return found


def eval_briefs(app: App, path: Path) -> dict[str, Any]:
    """ROUGE-1 recall of the briefs, and of lead-3, against a labelled set: JSON Lines of
    ``{story, articles: [{title, text, published?}], reference: [sentence…]}``."""

    def check(row: dict[str, Any]) -> None:
        if not row.get("articles") or not row.get("reference"):
            raise ValueError("needs articles and reference")

    rows = read_jsonl(path, check)
    items: list[dict[str, Any]] = []
    spent = 0.0
    for row in rows:
        arts = sorted(row["articles"], key=lambda a: date_order(a.get("published")))
        reports = [rule.Report(str(a.get("title") or ""), str(a["text"])) for a in arts]
        started = time.perf_counter()
        ours = rule.brief(reports, app.analyser)
        spent += time.perf_counter() - started
        lead = rule.lead(reports, app.analyser)
        ref = [str(s) for s in row["reference"]]
        items.append(
            {
                "story": row.get("story"),
                "brief": ours,
                "rouge1": round(rule.rouge1_recall(ours, ref, app.analyser), 4),
                "lead3": round(rule.rouge1_recall(lead, ref, app.analyser), 4),
            }
        )
    n = len(items) or 1
    return {
        "n": len(items),
        "rouge1_recall": round(sum(float(i["rouge1"]) for i in items) / n, 4),
        "lead3_rouge1_recall": round(sum(float(i["lead3"]) for i in items) / n, 4),
        "ms_per_story": round(spent / n * 1000, 2),
        "items": items,
    }
