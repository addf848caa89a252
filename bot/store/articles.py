"""Article queries.  The store returns only what is new: :meth:`add_drafts` gives the ids of the
drafts it inserted and skips the ones it already holds (same content hash, same canonical URL,
or same identity within the same feed — all three are unique constraints).

Provenance: when a draft holds an article the store already has by content hash or canonical URL
but *outranks* the stored copy (:func:`bot.config.outlets.rank`: an outlet's own report beats a
copy from another feed; an item every workspace reads beats one a single workspace's feed
brought), the stored row is replaced by the draft in place (link, source, feed, text): its id,
story and deliveries stay, and the copy is gone.  A lower or equal rank is skipped as before.

One item per article whatever the source: besides content hash and canonical URL (the
publisher's URL, tracking parameters dropped, which Naver's ``originallink`` and a feed share),
a draft is the article the store holds when both name the same *outlet* (a known outlet or a
bare domain, never a ``(feed) name``), their normalised titles are equal
(:func:`title_key`) and they were published within :data:`SAME_ARTICLE_WINDOW` of each other:
that is how a Google News item, whose link is only a redirect, meets the outlet's own report.

Tenants: an article's ``owner`` is the workspace whose own feed brought it (None: everyone's);
a query given a ``tenant`` sees only everyone's articles and that workspace's.  A workspace's own
items are deduplicated among themselves only (their hash and URL keys are the workspace's), so a
private feed never suppresses what others read, nor the other way round."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.config.outlets import rank
from bot.store.base import from_row
from bot.store.briefs import BriefQueries, Summarise
from bot.store.dedup import Held, draft_values, replace_copy
from bot.store.drafts import Draft
from bot.store.fulltext import FullTextQueries, index_tags
from bot.store.models import ArticleRow, MatchRow, StoryBriefRow
from bot.store.stories import Assign, StoryQueries
from bot.store.views import (
    AlertFacts,
    AnalysedRecord,
    Article,
    Cluster,
    PendingArticle,
    StoryMember,
    Window,
)

INSERT_CHUNK = 400


class ArticleQueries(FullTextQueries, StoryQueries, BriefQueries):
    def add_drafts(self, drafts: Iterable[Draft], *, silent: bool = False) -> list[int]:
        """Insert the drafts the store does not hold yet; return their ids, in order."""
        new_ids: list[int] = []
        batch = list(drafts)
        with self.write() as s:
            for start in range(0, len(batch), INSERT_CHUNK):
                new_ids.extend(self._insert_new(s, batch[start : start + INSERT_CHUNK], silent))
        return new_ids

    def _insert_new(self, s: Session, chunk: list[Draft], silent: bool) -> list[int]:
        hashes = [d.content_hash for d in chunk]
        seen = Held.load(s, chunk, hashes)
        rows: list[dict[str, Any]] = []
        now = self.clock.now()
        for d, digest in zip(chunk, hashes, strict=True):
            if seen.same_item(d):
                continue
            held = seen.holder(d, digest)
            if held is not None:
                if rank(d.source, d.url, d.owner) > held[1]:
                    replace_copy(s, held[0], d, digest)
                    seen.add(d, digest, held[0])
                continue
            seen.add(d, digest)  # the same story twice in one batch is stored once
            rows.append(
                {
                    **draft_values(d, digest),
                    "seen_at": now,
                    "silent": silent,
                    "scores": {},
                    "entities": [],
                }
            )
        if not rows:
            return []
        try:
            with s.begin_nested():
                # one executemany, then the ids by content hash (unique): far cheaper than
                # INSERT … RETURNING, which SQLite runs one row at a time to keep the order
                s.execute(insert(ArticleRow), rows)
                digests = [row["content_hash"] for row in rows]
                id_of = dict(
                    s.execute(
                        select(ArticleRow.content_hash, ArticleRow.id).where(
                            ArticleRow.content_hash.in_(digests)
                        )
                    ).all()
                )
                return [id_of[d] for d in digests]
        except IntegrityError:
            pass  # another writer stored some of them meanwhile: one at a time
        ids = []
        for row in rows:
            try:
                with s.begin_nested():
                    ids.append(s.scalars(insert(ArticleRow).returning(ArticleRow.id), [row]).one())
            except IntegrityError:
                continue
        return ids

    def set_owner_of_feed(self, feed_id: int, owner: str | None) -> None:
        """The stored items of a feed become ``owner``'s (None: everyone's)."""
        with self.write() as s:
            s.execute(update(ArticleRow).where(ArticleRow.feed_id == feed_id).values(owner=owner))

    def readable(self, article_id: int, tenant: str | None) -> bool:
        """Whether the workspace ``tenant`` may read the article (None: the operator, all)."""
        with self.read() as s:
            row = s.execute(
                select(ArticleRow.owner).where(ArticleRow.id == article_id)
            ).one_or_none()
        return row is not None and (tenant is None or row[0] is None or row[0] == tenant)

    def pending_analysis(
        self, topics_hash: str, limit: int = 500, after_id: int = 0
    ) -> list[PendingArticle]:
        with self.read() as s:
            rows = s.execute(
                select(
                    ArticleRow.id,
                    ArticleRow.title,
                    ArticleRow.body,
                    ArticleRow.source,
                    ArticleRow.seen_at,
                    ArticleRow.published_at,
                )
                .where(or_(ArticleRow.topics_hash.is_(None), ArticleRow.topics_hash != topics_hash))
                .where(ArticleRow.id > after_id)
                .order_by(ArticleRow.id)
                .limit(limit)
            ).all()
        return [PendingArticle(*row) for row in rows]

    def count_pending(self, topics_hash: str) -> int:
        with self.read() as s:
            return (
                s.scalar(
                    select(func.count())
                    .select_from(ArticleRow)
                    .where(
                        or_(ArticleRow.topics_hash.is_(None), ArticleRow.topics_hash != topics_hash)
                    )
                )
                or 0
            )

    def save_analysis(
        self,
        records: Sequence[AnalysedRecord],
        assign: Assign | None = None,
        window: timedelta = timedelta(days=7),  # stories.WINDOW (analysis sits above the store)
        summarise: Summarise | None = None,
        brief_reports: int = 6,
    ) -> None:
        """Save what the pipeline learned, and (with ``assign``, the story rule) put each new
        article into its story, in the same transaction (:mod:`bot.store.stories`); with
        ``summarise`` (the brief rule) the briefs of the stories saved or grown are made again
        from their first ``brief_reports`` reports and stored (:mod:`bot.store.briefs`)."""
        if not records:
            return
        with self.write() as s:
            ids = [r.id for r in records]
            s.execute(delete(MatchRow).where(MatchRow.article_id.in_(ids)))
            s.execute(
                update(ArticleRow),
                [
                    {
                        "id": r.id,
                        "scores": r.scores,
                        "entities": r.entities,
                        "topics_hash": r.topics_hash,
                        "minhash": r.minhash,
                        "brief_sentences": r.brief_sentences,
                    }
                    for r in records
                ],
            )
            if assign is not None:
                stories = self._assign_stories(s, records, assign, window)
                if summarise is not None:
                    self._refresh_briefs(
                        s, set(stories.values()), summarise, brief_reports, fresh=set(ids)
                    )
            matches = [
                {"article_id": r.id, "topic": topic, "score": score, "evidence": evidence}
                for r in records
                for topic, score, evidence in r.matches
            ]
            if matches:
                s.execute(insert(MatchRow), matches)
            self._index_terms(
                s,
                [
                    (
                        r.id,
                        r.title_terms,
                        r.body_terms,
                        index_tags([m[0] for m in r.matches], r.when),
                    )
                    for r in records
                ],
            )

    def ids_by_content_hash(self, hashes: Sequence[str]) -> dict[str, int]:
        """The id of the article holding each content hash (the ones stored)."""
        if not hashes:
            return {}
        with self.read() as s:
            rows = s.execute(
                select(ArticleRow.content_hash, ArticleRow.id).where(
                    ArticleRow.content_hash.in_(list(set(hashes)))
                )
            ).all()
        return {h: i for h, i in rows}

    def resolve_article(self, ref: str) -> int | None:
        """An article id (``42``), or a seed's file name or a unique prefix of it (``001``,
        ``001_c233d94f552e6215``); a number with a leading zero is read as a file name."""
        ref = ref.strip().lstrip("#")
        if not ref:
            return None
        with self.read() as s:
            if ref.isascii() and ref.isdigit() and not ref.startswith("0"):
                if len(ref) > 18:  # past any id (and past what the database can compare)
                    return None
                return int(ref) if s.get(ArticleRow, int(ref)) is not None else None
            rows = s.execute(
                select(ArticleRow.id, ArticleRow.origin).where(
                    ArticleRow.kind == "seed", ArticleRow.origin.contains(ref)
                )
            ).all()
        hits = [i for i, origin in rows if PurePosixPath(origin).name.startswith(ref)]
        return hits[0] if len(hits) == 1 else None

    def alert_facts(self, ids: Sequence[int]) -> list[AlertFacts]:
        """Scores, entities and cluster of the given articles, in id order; no bodies."""
        if not ids:
            return []
        with self.read() as s:
            rows = s.execute(
                select(ArticleRow.id, ArticleRow.scores, ArticleRow.entities, ArticleRow.cluster_id)
                .where(ArticleRow.id.in_(list(ids)))
                .order_by(ArticleRow.id)
            ).all()
        return [AlertFacts(i, dict(sc or {}), list(en or []), c or i) for i, sc, en, c in rows]

    def articles(self, ids: Sequence[int], tenant: str | None = None) -> list[Article]:
        """Articles in the order of ``ids`` (missing ids are left out); with ``tenant``, their
        stories list only the reports that workspace may read."""
        if not ids:
            return []
        with self.read() as s:
            arts = {a.id: a for a in s.scalars(select(ArticleRow).where(ArticleRow.id.in_(ids)))}
            matches: dict[int, list[MatchRow]] = defaultdict(list)
            for m in s.scalars(select(MatchRow).where(MatchRow.article_id.in_(ids))):
                matches[m.article_id].append(m)
            cluster_ids = {a.cluster_id for a in arts.values() if a.cluster_id}
            members: dict[int, list[StoryMember]] = defaultdict(list)
            if cluster_ids:
                q = (
                    select(
                        ArticleRow.cluster_id,
                        ArticleRow.id,
                        ArticleRow.source,
                        ArticleRow.title,
                        ArticleRow.url,
                        ArticleRow.published_at,
                        ArticleRow.published_date_only,
                    )
                    .where(ArticleRow.cluster_id.in_(cluster_ids))
                    .order_by(ArticleRow.id)
                )
                if tenant is not None:
                    q = q.where(readable_by(tenant))
                for cid, aid, source, title, url, published, date_only in s.execute(q):
                    if cid is not None:
                        members[cid].append(
                            StoryMember(aid, title, url, source, published, bool(date_only))
                        )
            story_of = {a.id: a.cluster_id or a.id for a in arts.values()}
            briefs: dict[int, list[Any]] = dict(
                s.execute(
                    select(StoryBriefRow.cluster_id, StoryBriefRow.sentences).where(
                        StoryBriefRow.cluster_id.in_(set(story_of.values()))
                    )
                ).all()
            )
        out = []
        for i in ids:
            a = arts.get(i)
            if a is None:
                continue
            ms = sorted(matches.get(i, []), key=lambda m: -m.score)
            cluster = None
            if a.cluster_id is not None and a.cluster_id in members:
                group = members[a.cluster_id]
                sources = list(dict.fromkeys(m.source for m in group if m.source))
                cluster = Cluster(a.cluster_id, len(group), sources, group)
            out.append(
                from_row(
                    Article,
                    a,
                    published=a.published_at,
                    topics=[m.topic for m in ms],
                    scores={**dict(a.scores or {}), **{m.topic: m.score for m in ms}},
                    evidence=[e for m in ms for e in m.evidence],
                    entities=list(a.entities or []),
                    cluster=cluster,
                    brief=[str(x) for x in briefs.get(story_of[a.id]) or []],
                )
            )
        return out

    def matched_ids(self, window: Window) -> list[int]:
        """Ids of articles carrying any of the window's topics (all topics when none given),
        best score first."""
        with self.read() as s:
            when = func.coalesce(ArticleRow.published_at, ArticleRow.seen_at)
            best = func.max(MatchRow.score).label("best")
            q = select(ArticleRow.id, best).join(MatchRow, MatchRow.article_id == ArticleRow.id)
            conds: list[Any] = []
            if window.topics:
                conds.append(MatchRow.topic.in_(list(window.topics)))
            if window.since:
                conds.append(when >= window.since)
            if window.until:
                conds.append(when < window.until)
            if window.seen_since:
                conds.append(ArticleRow.seen_at >= window.seen_since)
            if window.seen_until:
                conds.append(ArticleRow.seen_at < window.seen_until)
            if not window.include_silent:
                conds.append(ArticleRow.silent.is_(False))
            if window.ids:
                conds.append(ArticleRow.id.in_(list(window.ids)))
            if window.tenant is not None:
                conds.append(readable_by(window.tenant))
            if conds:
                q = q.where(and_(*conds))
            q = q.group_by(ArticleRow.id).order_by(best.desc(), ArticleRow.id)
            return [row[0] for row in s.execute(q)]

    def count_articles(self) -> int:
        with self.read() as s:
            return s.scalar(select(func.count()).select_from(ArticleRow)) or 0

    def topic_counts(self, since: datetime, tenant: str | None = None) -> dict[str, int]:
        """Matched articles per topic since ``since``, on the digest's clock: publication time,
        ingestion time for an undated article; of what the workspace ``tenant`` reads."""
        when = func.coalesce(ArticleRow.published_at, ArticleRow.seen_at)
        q = (
            select(MatchRow.topic, func.count())
            .join(ArticleRow, ArticleRow.id == MatchRow.article_id)
            .where(when >= since)
            .group_by(MatchRow.topic)
        )
        if tenant is not None:
            q = q.where(readable_by(tenant))
        with self.read() as s:
            rows = s.execute(q).all()
        return {topic: n for topic, n in rows}


def readable_by(tenant: str) -> Any:
    """The articles a workspace reads: everyone's and its own."""
    return or_(ArticleRow.owner.is_(None), ArticleRow.owner == tenant)
