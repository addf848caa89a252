"""Stories as users act on them: measuring the story rule on a labelled set
(``newsbot eval-clusters``) and assigning a window's stories again (``newsbot clusters
rebuild``)."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.analysis import stories
from bot.analysis.evaluate import cluster_scores
from bot.analysis.pipeline import Pipeline
from bot.ingest.cleaning import clean_body
from bot.ingest.drafts import Draft
from bot.services.labelled import read_jsonl
from bot.store import open_store

if TYPE_CHECKING:
    from bot.runtime.app import App


def load_story_set(path: Path) -> list[dict[str, Any]]:
    """JSON Lines with ``id``, ``text``, ``story`` and optional ``title``, ``published``,
    ``source``; a :class:`UserError` names the first bad line."""

    def check(row: dict[str, Any]) -> None:
        if not {"id", "text", "story"} <= set(row):
            raise ValueError("needs id, text and story")
        if row.get("published"):
            datetime.fromisoformat(str(row["published"]))

    return read_jsonl(path, check)


def eval_clusters(app: App, path: Path, *, minhash_only: bool = False) -> dict[str, Any]:
    """Ingest the labelled set, in file order, into a scratch database through the real
    pipeline (analysis, the story rule in the store) and score the stories it made."""
    rows = load_story_set(path)
    with tempfile.TemporaryDirectory(prefix="newsbot-stories-") as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'stories.db'}", clock=app.clock)
        try:
            pipeline = Pipeline(store, app.topics, app.analyser)
            pipeline.stories = stories.StoryRule(minhash_only=minhash_only)
            drafts = [_draft(row, path) for row in rows]
            pipeline.ingest(drafts)
            by_hash = store.ids_by_content_hash([d.content_hash for d in drafts])
            articles = {a.id: a for a in store.articles(sorted(set(by_hash.values())))}
        finally:
            store.close()
    predicted: dict[str, object] = {}
    for row, draft in zip(rows, drafts, strict=True):
        article = articles[by_hash[draft.content_hash]]
        predicted[str(row["id"])] = article.cluster.id if article.cluster else article.id
    gold = {str(r["id"]): str(r["story"]) for r in rows}
    scores = cluster_scores(gold, predicted)
    return {
        "n": len(rows),
        "stories": len(set(gold.values())),
        "predicted_stories": len(set(predicted.values())),
        **scores,
        "items": [
            {"id": str(r["id"]), "story": str(r["story"]), "predicted": predicted[str(r["id"])]}
            for r in rows
        ],
    }


def _draft(row: dict[str, Any], path: Path) -> Draft:
    title = str(row.get("title") or "")
    published = datetime.fromisoformat(str(row["published"])) if row.get("published") else None
    return Draft(
        title=title,
        body=clean_body(str(row["text"]), title),
        origin=f"{path.name}#{row['id']}",
        source=row.get("source"),
        published_at=published,
    )


def rebuild(app: App, since: datetime) -> int:
    """Assign the stories of the articles seen since ``since`` again, in their first order."""
    return app.store.rebuild_stories(since, app.pipeline.stories, stories.WINDOW)
