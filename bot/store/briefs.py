"""Stored briefs: each article's quotable sentences (``articles.brief_sentences``) and each
story's brief (``story_briefs``), made again whenever the story is saved or grows.

The rule choosing the sentences is :mod:`bot.analysis.briefs`; it is handed in (``summarise``),
so the store only reads a story's first reports and records the outcome.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from bot.store.base import StoreBase
from bot.store.models import ArticleRow, StoryBriefRow
from bot.store.views import BriefSource

Summarise = Callable[[Sequence[BriefSource]], list[str]]
CHUNK = 500  # ids per IN (...) list


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield list(ids[i : i + CHUNK])


class BriefQueries(StoreBase):
    def _refresh_briefs(
        self,
        s: Session,
        cluster_ids: Iterable[int],
        summarise: Summarise,
        reports: int,
        fresh: set[int] | None = None,
    ) -> int:
        """Make the briefs of these stories again from their first ``reports`` reports (by
        report time, then id; the reports every workspace reads, never a workspace's own feed's,
        since the brief is shown to all) and store them; returns how many were stored.  With ``fresh``
        (the articles just saved), a story whose first reports hold none of them keeps the brief
        it has (a later report does not change it)."""
        wanted = sorted(set(cluster_ids))
        if not wanted:
            return 0
        when = func.coalesce(ArticleRow.published_at, ArticleRow.seen_at)
        members: dict[int, list[tuple[Any, int]]] = defaultdict(list)
        for chunk in _chunks(wanted):
            for cid, aid, at in s.execute(
                select(ArticleRow.cluster_id, ArticleRow.id, when).where(
                    ArticleRow.cluster_id.in_(chunk),
                    ArticleRow.owner.is_(None),  # everyone's reports only: every reader sees it
                )
            ):
                if cid is not None:
                    members[cid].append((str(at), aid))
        first = {cid: [aid for _, aid in sorted(group)[:reports]] for cid, group in members.items()}
        if fresh is not None:
            kept: set[int] = set()
            for chunk in _chunks(wanted):
                kept.update(
                    s.scalars(
                        select(StoryBriefRow.cluster_id).where(StoryBriefRow.cluster_id.in_(chunk))
                    )
                )
            first = {
                cid: ids
                for cid, ids in first.items()
                if cid not in kept or not fresh.isdisjoint(ids)
            }
        need = [aid for ids in first.values() for aid in ids]
        texts: dict[int, BriefSource] = {}
        for chunk in _chunks(need):
            for aid, title, body, sentences in s.execute(
                select(
                    ArticleRow.id, ArticleRow.title, ArticleRow.body, ArticleRow.brief_sentences
                ).where(ArticleRow.id.in_(chunk))
            ):
                texts[aid] = BriefSource(title, body, sentences)
        rows = []
        for cid, ids in first.items():
            sources = [texts[i] for i in ids if i in texts]
            if any(src.sentences is None for src in sources):
                continue  # an old report not yet analysed for briefs: no brief rather than a guess
            rows.append(
                {"cluster_id": cid, "size": len(members[cid]), "sentences": summarise(sources)}
            )
        for chunk in _chunks(sorted(first)):
            s.execute(delete(StoryBriefRow).where(StoryBriefRow.cluster_id.in_(chunk)))
        if rows:
            s.execute(insert(StoryBriefRow), rows)
        return len(rows)

    def refresh_briefs(self, cluster_ids: Iterable[int], summarise: Summarise, reports: int) -> int:
        with self.write() as s:
            return self._refresh_briefs(s, cluster_ids, summarise, reports)

    def story_briefs(self, cluster_ids: Sequence[int]) -> dict[int, list[str]]:
        """The stored brief of each story that has one."""
        out: dict[int, list[str]] = {}
        with self.read() as s:
            for chunk in _chunks(sorted(set(cluster_ids))):
                for cid, sentences in s.execute(
                    select(StoryBriefRow.cluster_id, StoryBriefRow.sentences).where(
                        StoryBriefRow.cluster_id.in_(chunk)
                    )
                ):
                    out[cid] = [str(x) for x in sentences or []]
        return out

    def unbriefed_articles(
        self, since: datetime, *, after_id: int = 0, limit: int = 256
    ) -> list[tuple[int, str]]:
        """(id, body) of analysed articles seen since ``since`` whose sentences were never
        stored (saved before briefs were), by id."""
        with self.read() as s:
            return [
                (i, b)
                for i, b in s.execute(
                    select(ArticleRow.id, ArticleRow.body)
                    .where(
                        ArticleRow.seen_at >= since,
                        ArticleRow.id > after_id,
                        ArticleRow.brief_sentences.is_(None),
                        ArticleRow.story_seq.is_not(None),
                    )
                    .order_by(ArticleRow.id)
                    .limit(limit)
                )
            ]

    def save_brief_sentences(self, found: Sequence[tuple[int, list[Any]]]) -> None:
        if found:
            with self.write() as s:
                s.execute(
                    update(ArticleRow),
                    [{"id": i, "brief_sentences": sentences} for i, sentences in found],
                )

    def stories_since(self, since: datetime) -> list[int]:
        """The stories (cluster ids) with a report seen since ``since``."""
        with self.read() as s:
            return list(
                s.scalars(
                    select(ArticleRow.cluster_id)
                    .where(ArticleRow.seen_at >= since, ArticleRow.cluster_id.is_not(None))
                    .distinct()
                )
            )
