"""Full-text search over analysed lemmas.

The index holds, per article, the lemmas of its title and body (after aliases), so a query
analysed the same way finds inflected forms and aliases.  SQLite uses FTS5 ranked by BM25 (title
weighted 3:1); PostgreSQL a weighted ``tsvector`` with a GIN index ranked by ``ts_rank_cd``.  Every
query term must be present (AND).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

from bot.store.base import StoreBase


class SearchQueries(StoreBase):
    def _index_terms(self, s: Session, rows: list[tuple[int, str, str]]) -> None:
        if not rows:
            return
        params = [{"id": i, "title": t, "body": b} for i, t, b in rows]
        if self.dialect == "sqlite":
            s.execute(
                text("DELETE FROM article_fts WHERE rowid = :id"), [{"id": i} for i, _, _ in rows]
            )
            s.execute(
                text("INSERT INTO article_fts (rowid, title, body) VALUES (:id, :title, :body)"),
                params,
            )
        else:
            s.execute(
                text(
                    "INSERT INTO article_fts (rowid, title, body) VALUES (:id, :title, :body) "
                    "ON CONFLICT (rowid) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body"
                ),
                params,
            )

    def search_ids(
        self,
        lemmas: Sequence[str],
        *,
        topics: Sequence[str] = (),
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> tuple[int, list[int]]:
        """(total hits, ids of the best ``limit`` hits after ``offset``)."""
        terms = [t for t in dict.fromkeys(lemmas) if t.strip()]
        if not terms:
            return 0, []
        filters, params = _filters(topics, since, until)
        if self.dialect == "sqlite":
            match = " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)
            base = (
                "FROM article_fts f JOIN articles a ON a.id = f.rowid "
                f"WHERE article_fts MATCH :q{filters}"
            )
            rank = "bm25(article_fts, 3.0, 1.0)"
            order = f"{rank}, a.id DESC"
            params["q"] = match
        else:
            base = (
                "FROM article_fts f JOIN articles a ON a.id = f.rowid, "
                "plainto_tsquery('simple', :q) query "
                f"WHERE f.tsv @@ query{filters}"
            )
            order = "ts_rank_cd(f.tsv, query) DESC, a.id DESC"
            params["q"] = " ".join(terms)
        with self.read() as s:
            total = s.execute(_typed(f"SELECT count(*) {base}", params), params).scalar() or 0
            if not total:
                return 0, []
            rows = s.execute(
                _typed(f"SELECT a.id {base} ORDER BY {order} LIMIT :limit OFFSET :offset", params),
                {**params, "limit": limit, "offset": offset},
            ).all()
        return int(total), [r[0] for r in rows]


def _filters(
    topics: Sequence[str], since: datetime | None, until: datetime | None
) -> tuple[str, dict[str, object]]:
    sql = ""
    params: dict[str, object] = {}
    if topics:
        names = []
        for i, t in enumerate(topics):
            params[f"t{i}"] = t
            names.append(f":t{i}")
        sql += (
            " AND EXISTS (SELECT 1 FROM matches m WHERE m.article_id = a.id "
            f"AND m.topic IN ({', '.join(names)}))"
        )
    when = "COALESCE(a.published_at, a.seen_at)"
    if since:
        params["since"] = since
        sql += f" AND {when} >= :since"
    if until:
        params["until"] = until
        sql += f" AND {when} < :until"
    return sql, params


def _typed(sql: str, params: dict[str, object]) -> TextClause:
    """Bind times through the UTC column type, as the ORM stores them."""
    from bot.models import UTCDateTime

    clause = text(sql)
    times = [bindparam(k, type_=UTCDateTime()) for k in ("since", "until") if k in params]
    return clause.bindparams(*times) if times else clause
