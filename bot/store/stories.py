"""Story assignment in the store: the ``story_keys`` index and the order stories are assigned in.

The rule deciding whether two reports are one story is :mod:`bot.analysis.stories`; the store
only finds the candidates and records the outcome, inside the transaction that saves the
analysis (SQLite's write lock or PostgreSQL's row locks serialise writers, so each assignment
sees every story saved before it, by any process).  ``story_seq`` numbers the assignments; a
rebuild replays them in that order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from bot.store.base import StoreBase
from bot.store.models import ArticleRow, StoryKeyRow, UTCDateTime
from bot.store.views import AnalysedRecord, StoryCandidate

Assign = Callable[[AnalysedRecord, list[StoryCandidate]], int | None]
PER_KEY = 60  # candidates one key brings at most (the most recent), so a common word stays cheap


class StoryQueries(StoreBase):
    def _assign_stories(
        self,
        s: Session,
        records: Sequence[AnalysedRecord],
        assign: Assign,
        window: timedelta,
    ) -> dict[int, int]:
        """Cluster ids for the records that have no story yet, assigned one after the other
        (a record sees the ones before it); returns {article id: cluster id}."""
        ids = [r.id for r in records]
        done = dict(
            s.execute(
                select(ArticleRow.id, ArticleRow.cluster_id).where(
                    ArticleRow.id.in_(ids), ArticleRow.story_seq.is_not(None)
                )
            ).all()
        )
        seq = s.scalar(select(func.max(ArticleRow.story_seq))) or 0
        out: dict[int, int] = {}
        for record in records:
            if record.id in done:  # analysed again (the topics changed): the story stays
                out[record.id] = done[record.id] or record.id
                continue
            when = record.when
            assert when is not None and record.story is not None
            known = getattr(assign, "known", None)
            candidates = self._story_candidates(
                s, record.id, record.story_keys, when, window, known
            )
            cluster = assign(record, candidates) or record.id
            seq += 1
            s.execute(
                update(ArticleRow)
                .where(ArticleRow.id == record.id)
                .values(cluster_id=cluster, story_seq=seq, story_profile=record.story)
            )
            if record.story_keys:  # a record not yet assigned has no keys (rebuild drops them)
                s.execute(
                    insert(StoryKeyRow),
                    [
                        {"article_id": record.id, "key": key[:200], "at": when}
                        for key in dict.fromkeys(record.story_keys)
                    ],
                )
            out[record.id] = cluster
        return out

    def _story_candidates(
        self,
        s: Session,
        article_id: int,
        keys: Sequence[str],
        when: datetime,
        window: timedelta,
        known: Callable[[int], bool] | None = None,
    ) -> list[StoryCandidate]:
        """The earlier articles sharing a key, in the window; ``known`` tells which ones the
        rule already holds the profile of (those are not loaded again)."""
        if not keys:
            return []
        # one statement for every key: each key's PER_KEY most recent articles in the window
        wanted = list(dict.fromkeys(k[:200] for k in keys))
        names = ", ".join(f":k{i}" for i in range(len(wanted)))
        params: dict[str, object] = {f"k{i}": k for i, k in enumerate(wanted)}
        params.update(lo=when - window, hi=when + window, per_key=PER_KEY)
        query = text(
            "SELECT article_id FROM (SELECT article_id, row_number() OVER "
            "(PARTITION BY key ORDER BY at DESC, article_id DESC) AS n FROM story_keys "
            f"WHERE key IN ({names}) AND at >= :lo AND at <= :hi) AS ranked "
            "WHERE n <= :per_key"
        ).bindparams(bindparam("lo", type_=UTCDateTime()), bindparam("hi", type_=UTCDateTime()))
        found: set[int] = {row[0] for row in s.execute(query, params)}
        found.discard(article_id)
        if not found:
            return []
        when_col = func.coalesce(ArticleRow.published_at, ArticleRow.seen_at)
        rows = s.execute(
            select(ArticleRow.id, ArticleRow.cluster_id, when_col, ArticleRow.minhash)
            .where(ArticleRow.id.in_(found), ArticleRow.story_seq.is_not(None))
            .order_by(ArticleRow.story_seq)
        ).all()
        need = [r[0] for r in rows if known is None or not known(r[0])]
        profiles: dict[int, Any] = {}
        if need:
            profiles = dict(
                s.execute(
                    select(ArticleRow.id, ArticleRow.story_profile).where(ArticleRow.id.in_(need))
                ).all()
            )
        return [
            StoryCandidate(i, c or i, _aware(w), dict(profiles.get(i) or {}), m)
            for i, c, w, m in rows
        ]

    def rebuild_stories(self, since: datetime, assign: Assign, window: timedelta) -> int:
        """Assign the stories of the articles seen since ``since`` again, in the order they were
        first assigned (the same rule in the same order gives the same stories); returns how
        many articles were assigned."""
        with self.write() as s:
            rows = s.execute(
                select(
                    ArticleRow.id,
                    ArticleRow.story_seq,
                    ArticleRow.story_profile,
                    func.coalesce(ArticleRow.published_at, ArticleRow.seen_at),
                    ArticleRow.minhash,
                )
                .where(ArticleRow.seen_at >= since, ArticleRow.story_seq.is_not(None))
                .order_by(ArticleRow.story_seq)
            ).all()
            ids = [r[0] for r in rows]
            keys: dict[int, list[str]] = {}
            for article_id, key in s.execute(
                select(StoryKeyRow.article_id, StoryKeyRow.key).where(
                    StoryKeyRow.article_id.in_(ids)
                )
            ):
                keys.setdefault(article_id, []).append(key)
            # forget them (they are assigned again one by one, as when they first came)
            s.execute(
                update(ArticleRow)
                .where(ArticleRow.id.in_(ids))
                .values(story_seq=None, cluster_id=ArticleRow.id)
            )
            s.execute(delete(StoryKeyRow).where(StoryKeyRow.article_id.in_(ids)))
            records = [
                AnalysedRecord(
                    id=i,
                    topics_hash="",
                    scores={},
                    matches=[],
                    entities=[],
                    title_terms="",
                    body_terms="",
                    when=_aware(w),
                    minhash=m,
                    story=dict(p or {}),
                    story_keys=sorted(keys.get(i, [])),
                )
                for i, _seq, p, w, m in rows
            ]
            for start in range(0, len(records), 256):
                self._assign_stories(s, records[start : start + 256], assign, window)
        return len(records)


def _aware(value: datetime | str) -> datetime:
    from bot.store.models import UTCDateTime

    if isinstance(value, str):  # SQLite hands coalesce() back as text
        value = datetime.fromisoformat(value)
    converted = UTCDateTime().process_result_value(value, None)
    assert converted is not None
    return converted
