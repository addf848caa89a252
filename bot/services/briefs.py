"""Story briefs as users see them: the 세 줄 요약 of a story (digest entries, ``why``, weekly
reports, JSON items' ``brief``), filling them for stories saved before briefs were stored, and
``newsbot eval-briefs`` (ROUGE-1 recall against labelled summaries, lead-3 beside it).

The rule is :mod:`bot.analysis.briefs`.  A story's brief is made when the story is saved or grows
(the ingest pipeline hands the rule to the store, which makes it from the story's first
:data:`~bot.analysis.briefs.MAX_REPORTS` reports' stored sentences) and read from the store by
everything that shows it, so reading a brief never loads the Korean model.  A story saved before
briefs were stored has none until :func:`fill` (``newsbot clusters rebuild``) analyses its reports.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.analysis import briefs as rule
from bot.analysis.limits import analysed_body
from bot.services.labelled import date_order, read_jsonl
from bot.store.views import Article

if TYPE_CHECKING:
    from bot.services.context import ServiceContext

PAGE = 256


def story_brief(app: ServiceContext, item: Article) -> list[str]:
    """The stored brief of the story ``item`` belongs to (empty when it has none: never made
    here, so a reader never waits for the model)."""
    return list(item.brief)


def fill(
    app: ServiceContext, since: datetime, progress: Callable[[int], None] | None = None
) -> int:
    """Store the sentences of the articles seen since ``since`` that were saved before briefs
    were (the analyser runs on their bodies), then make the briefs of every story with a
    report in that window again; returns how many stories have a brief."""
    after = 0
    done = 0
    while page := app.store.unbriefed_articles(since, after_id=after, limit=PAGE):
        analyser = app.analyser
        found = []
        heads = [(article_id, analysed_body(body)) for article_id, body in page]  # bounded
        for (article_id, head), analysis in zip(
            heads, analyser.analyse_many(("", head) for _, head in heads), strict=True
        ):
            sentences = rule.candidates(head, analysis.body, analyser.org_names)
            found.append((article_id, [c.as_json() for c in sentences]))
        app.store.save_brief_sentences(found)
        after = page[-1][0]
        done += len(page)
        if progress:
            progress(done)
    return app.store.refresh_briefs(
        app.store.stories_since(since), rule.summarise, rule.MAX_REPORTS
    )


def eval_briefs(app: ServiceContext, path: Path) -> dict[str, Any]:
    """ROUGE-1 recall of the briefs, and of lead-3, against a labelled set: JSON Lines of
    ``{story, articles: [{title, text, published?}], reference: [sentence…]}``.  Reports are
    read by report time (a partial date such as ``2025-11`` as its first day, undated ones
    last), and, as when a story is saved, the first :data:`~bot.analysis.briefs.MAX_REPORTS`
    make the brief."""

    def check(row: dict[str, Any]) -> None:
        if not row.get("articles") or not row.get("reference"):
            raise ValueError("needs articles and reference")

    rows = read_jsonl(path, check)
    items: list[dict[str, Any]] = []
    spent = 0.0
    for row in rows:
        arts = sorted(row["articles"], key=lambda a: date_order(a.get("published")))
        reports = [
            rule.Report(str(a.get("title") or ""), str(a["text"])) for a in arts[: rule.MAX_REPORTS]
        ]
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
