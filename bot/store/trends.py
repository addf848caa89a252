"""The rows a trend picture counts: one per (topic, article) in a period, light (no bodies)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, or_, select

from bot.store.base import StoreBase
from bot.store.models import ArticleRow, MatchRow
from bot.store.views import TrendRow


class TrendQueries(StoreBase):
    def trend_rows(
        self,
        topics: Sequence[str],
        since: datetime,
        until: datetime,
        tenant: str | None = None,
    ) -> list[TrendRow]:
        """Every article carrying one of ``topics`` whose time (publication, else ingestion) is
        in ``[since, until)``: its story, outlet, time and title; silent ones included (a first
        poll's backlog is news that happened).  With ``tenant``, only what that workspace may
        read."""
        if not topics:
            return []
        when = func.coalesce(ArticleRow.published_at, ArticleRow.seen_at)
        q = (
            select(
                MatchRow.topic,
                ArticleRow.id,
                ArticleRow.cluster_id,
                ArticleRow.source,
                ArticleRow.published_at,
                ArticleRow.seen_at,
                ArticleRow.title,
            )
            .join(ArticleRow, ArticleRow.id == MatchRow.article_id)
            .where(and_(MatchRow.topic.in_(list(topics)), when >= since, when < until))
            .order_by(ArticleRow.id)
        )
        if tenant is not None:
            q = q.where(or_(ArticleRow.owner.is_(None), ArticleRow.owner == tenant))
        with self.read() as s:
            return [
                TrendRow(
                    topic=topic,
                    article_id=aid,
                    story=cluster or aid,
                    source=source,
                    at=published or seen,
                    title=title,
                    dated=published is not None,
                )
                for topic, aid, cluster, source, published, seen, title in s.execute(q)
            ]
