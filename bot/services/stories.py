"""Stories as users act on them: measuring the story rule on a labelled set
(``newsbot eval-clusters``) and assigning a window's stories again (``newsbot clusters
rebuild``)."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.analysis import stories, story_assign
from bot.analysis.evaluate import cluster_scores
from bot.analysis.limits import analysed_body, analysed_title
from bot.analysis.pipeline import Pipeline
from bot.ingest.cleaning import clean_body, headline
from bot.services.labelled import read_jsonl, read_published
from bot.store import open_store
from bot.store.drafts import Draft

if TYPE_CHECKING:
    from bot.services.context import ServiceContext


def load_story_set(path: Path) -> list[dict[str, Any]]:
    """JSON Lines with ``id``, ``text``, ``story`` and optional ``title``, ``published``,
    ``source``; a :class:`UserError` names the first bad line."""

    def check(row: dict[str, Any]) -> None:
        if not {"id", "text", "story"} <= set(row):
            raise ValueError("needs id, text and story")
        read_published(row.get("published"))

    return read_jsonl(path, check)


def eval_clusters(app: ServiceContext, path: Path, *, minhash_only: bool = False) -> dict[str, Any]:
    """Ingest the labelled set, in file order, into a scratch database through the real
    pipeline (analysis, the story rule in the store) and score the stories it made."""
    rows = load_story_set(path)
    with tempfile.TemporaryDirectory(prefix="newsbot-stories-") as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'stories.db'}", clock=app.clock)
        try:
            pipeline = Pipeline(store, app.topics, app.analyser)
            pipeline.stories = story_assign.StoryRule(minhash_only=minhash_only)
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
    langs = {str(r["id"]): str(r.get("lang") or _script(r)) for r in rows}
    scores["cross_language"] = cross_language_recall(gold, predicted, langs)
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


def cross_language_recall(
    gold: dict[str, str], predicted: dict[str, object], langs: dict[str, str]
) -> dict[str, Any]:
    """Of the labelled same-story pairs whose two articles are in different languages, the
    share put in one story: {``pairs``, ``joined``, ``r``} (``r`` None without such pairs)."""
    ids = sorted(gold)
    pairs = joined = 0
    for n, a in enumerate(ids):
        for b in ids[n + 1 :]:
            if gold[a] == gold[b] and langs[a] != langs[b]:
                pairs += 1
                joined += predicted[a] == predicted[b]
    return {"pairs": pairs, "joined": joined, "r": round(joined / pairs, 4) if pairs else None}


def _script(row: dict[str, Any]) -> str:
    """A row's language where the set gives none: Korean when its title or text has Hangul."""
    text = f"{row.get('title') or ''} {row.get('text') or ''}"[:400]
    return "ko" if any("\uac00" <= ch <= "\ud7a3" for ch in text) else "en"


def _draft(row: dict[str, Any], path: Path) -> Draft:
    title = str(row.get("title") or "")
    published = read_published(row.get("published"))
    return Draft(
        title=title,
        body=clean_body(str(row["text"]), title),
        origin=f"{path.name}#{row['id']}",
        source=row.get("source"),
        published_at=published.at,
        date_only=published.date_only,
    )


def rebuild(app: ServiceContext, since: datetime) -> int:
    """Assign the stories of the articles seen since ``since`` again, in their first order;
    story profiles made by an older version (before unknown dates and unknown companies were
    told apart) are made again from the stored articles first."""
    versions = app.store.story_profile_versions(since)
    stale = sorted(i for i, v in versions.items() if v < stories.VERSION)
    for start in range(0, len(stale), 200):
        found: dict[int, tuple[dict[str, Any], list[str]]] = {}
        for article in app.store.articles(stale[start : start + 200]):
            body = analysed_body(article.body)  # as the pipeline reads it (bot.analysis.limits)
            analysis = app.analyser.analyse(analysed_title(headline(article.title, body)), body)
            record = app.pipeline.record(
                article.id,
                analysis,
                article.when,
                article.source,
                dated=article.published is not None,
            )
            assert record.story is not None
            found[article.id] = (dict(record.story), record.story_keys)
        app.store.replace_story_profiles(found)
    return app.store.rebuild_stories(since, app.pipeline.stories, stories.WINDOW)
