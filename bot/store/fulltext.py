"""Full-text search over analysed lemmas.

The index holds, per article, the lemmas of its title and body (after aliases), so a query
analysed the same way finds inflected forms and aliases.  Every query term must be present (AND);
an article holding an excluded term (``-주가``) is left out.
SQLite uses FTS5 with BM25 (title weighted 3:1); PostgreSQL a weighted ``tsvector`` with a GIN
index and ``ts_rank_cd``.  Every hit is counted, and the ranking orders the ``RANK_WINDOW`` most
recent hits by relevance: in news a fresh story beats an old one that scores a little higher, and
a common word stays fast at 100,000 articles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

from bot.store.base import StoreBase
from bot.store.views import SearchHits

RANK_WINDOW = 400  # rank the most recent matches; count them all


def topic_tag(topic: str) -> str:
    """A topic's token in the index (``watch:12`` → ``topic_watch_12``)."""
    return "topic_" + topic.replace(":", "_")


def index_tags(topics: Sequence[str], when: datetime | None) -> str:
    """The filter tokens stored with an article in the index: its topics, year and month (UTC)."""
    tags = [topic_tag(t) for t in topics]
    if when is not None:
        utc = when.astimezone(UTC)
        tags += [f"year_{utc:%Y}", f"month_{utc:%Y%m}"]
    return " ".join(tags)


def _month_starts(first: datetime, last: datetime) -> list[datetime]:
    month = first.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    out = []
    while month <= last:
        out.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return out


def _period(
    since: datetime | None, until: datetime | None, first: datetime, last: datetime
) -> tuple[bool, list[str], list[str]]:
    """How a period reads in index tokens, for a store whose articles lie in [first, last]:
    (whether any month lies wholly inside, the tokens of the time wholly outside — whole years
    as ``year_`` tokens — and the months only partly inside)."""
    inside_any = False
    outside: dict[int, list[str]] = {}
    partial: list[str] = []
    for month in _month_starts(first, last):
        following = (month + timedelta(days=32)).replace(day=1)
        starts_in = since is None or since <= month
        ends_in = until is None or following <= until
        if starts_in and ends_in:
            inside_any = True
        elif (since is not None and following <= since) or (until is not None and month >= until):
            outside.setdefault(month.year, []).append(f"month_{month:%Y%m}")
        else:
            partial.append(f"month_{month:%Y%m}")
    tokens: list[str] = []
    for year, months in outside.items():
        start, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
        apart = (since is not None and since >= end) or (until is not None and until <= start)
        tokens += [f"year_{year}"] if apart else months
    return inside_any, tokens, partial


class FullTextQueries(StoreBase):
    def _index_terms(self, s: Session, rows: list[tuple[int, str, str, str]]) -> None:
        if not rows:
            return
        params = [{"id": i, "title": t, "body": b, "tags": g} for i, t, b, g in rows]
        if self.dialect == "sqlite":
            s.execute(
                text("DELETE FROM article_fts WHERE rowid = :id"), [{"id": r[0]} for r in rows]
            )
            s.execute(
                text(
                    "INSERT INTO article_fts (rowid, title, body, tags) "
                    "VALUES (:id, :title, :body, :tags)"
                ),
                params,
            )
        else:
            s.execute(
                text(
                    "INSERT INTO article_fts (rowid, title, body, tags) "
                    "VALUES (:id, :title, :body, :tags) ON CONFLICT (rowid) DO UPDATE SET "
                    "title = EXCLUDED.title, body = EXCLUDED.body, tags = EXCLUDED.tags"
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
        exclude: Sequence[str] = (),
        tenant: str | None = None,
    ) -> SearchHits:
        """Every hit counted, and the ids of the best ``limit`` hits after ``offset``; an
        article holding any of the ``exclude`` lemmas is left out.

        Every hit is counted; the ranking looks at the ``RANK_WINDOW`` most recent hits (all of
        them in a store of ordinary size), so a common word stays fast at 100,000 articles and
        the best matches among recent news come first."""
        terms = [t for t in dict.fromkeys(lemmas) if t.strip()]
        if not terms:
            return SearchHits(0, [])
        excluded = [t for t in dict.fromkeys(exclude) if t.strip() and t not in terms]
        private = self._private_filter(tenant)
        q = _Query(terms, topics, since, until, limit, offset, excluded, private)
        return self._search_sqlite(q) if self.dialect == "sqlite" else self._search_postgres(q)

    def _private_filter(self, tenant: str | None) -> tuple[str, dict[str, object]]:
        """The SQL that leaves out other workspaces' articles (none when nothing is private)."""
        if tenant is None:
            return "", {}
        with self.read() as s:
            if s.execute(text("SELECT 1 FROM articles WHERE owner IS NOT NULL LIMIT 1")).first():
                return (
                    " AND NOT EXISTS (SELECT 1 FROM articles o WHERE o.id = f.rowid "
                    "AND o.owner IS NOT NULL AND o.owner <> :tenant)",
                    {"tenant": tenant},
                )
        return "", {}

    def _search_sqlite(self, q: _Query) -> SearchHits:
        """Topic and month filters are tokens in the index's ``tags`` column, so they are part of
        the FTS5 query.  A period is written as "not in the months it leaves out" (FTS5 checks a
        NOT by seeking, far cheaper than merging the months it keeps); only articles in a month
        the period covers partly are checked against the exact times."""
        # The tags column's tokens (topic_…, month_…) cannot collide with lemmas, and its BM25
        # weight is 0, so the words need no column filter (which would cost a third more).
        base = " AND ".join(_quoted(t) for t in q.terms)
        if q.topics:
            base += " AND tags : (" + " OR ".join(f'"{topic_tag(t)}"' for t in q.topics) + ")"
        parts: list[tuple[str, str]] = []  # (MATCH expression, extra SQL condition)
        params: dict[str, object] = {"window": RANK_WINDOW}
        if q.since is None and q.until is None:
            parts.append((base, ""))
        else:
            first, last = self._date_range()
            if first is None or last is None:
                return SearchHits(0, [])
            inside, outside, partial = _period(q.since, q.until, first, last)
            left_out = outside + partial
            if inside:  # the months wholly inside: everything but what lies (partly) outside
                not_part = f" NOT tags : ({' OR '.join(left_out)})" if left_out else ""
                parts.append((base + not_part, ""))
            if partial:  # months the period covers partly: check the exact times
                exact, extra = _filters((), q.since, q.until)
                params.update(extra)
                parts.append((f"{base} AND tags : ({' OR '.join(partial)})", exact))
        counts, ranked = [], []
        params.update(q.private[1])
        for n, (match, exact) in enumerate(parts):
            exact += q.private[0]
            if q.excluded:  # FTS5's NOT: the words' articles, less those holding an excluded one
                match = f"({match}) NOT ({' OR '.join(_quoted(t) for t in q.excluded)})"
            params[f"q{n}"] = match
            hits = f"FROM article_fts f WHERE article_fts MATCH :q{n}{exact}"
            counts.append(f"SELECT count(*) AS n {hits}")
            ranked.append(
                f"SELECT * FROM (SELECT f.rowid AS id, bm25(article_fts, 3.0, 1.0, 0.0) "
                f"AS score {hits} ORDER BY f.rowid DESC LIMIT :window)"
            )
        if not parts:
            return SearchHits(0, [])
        union = " UNION ALL ".join(ranked)
        return self._run(counts, f"SELECT * FROM ({union})", "score", params, q.limit, q.offset)

    def _run(
        self,
        counts: list[str],
        ranked: str,
        best_first: str,
        params: dict[str, object],
        limit: int,
        offset: int,
    ) -> SearchHits:
        """Add up the counts; page through the ranked candidates, best first."""
        with self.read() as s:
            total = sum(s.execute(_typed(c, params), params).scalar() or 0 for c in counts)
            if not total:
                return SearchHits(0, [])
            rows = s.execute(
                _typed(
                    f"SELECT id FROM ({ranked}) AS candidates ORDER BY {best_first}, id DESC "
                    "LIMIT :limit OFFSET :offset",
                    params,
                ),
                {**params, "limit": limit, "offset": offset},
            ).all()
        return SearchHits(int(total), [r[0] for r in rows])

    def _date_range(self) -> tuple[datetime | None, datetime | None]:
        """The earliest and latest article time (publication, else ingestion), from indexes."""
        with self.read() as s:
            row = s.execute(
                text(  # four one-index lookups (one statement with all four would scan the table)
                    "SELECT (SELECT min(published_at) FROM articles), "
                    "(SELECT max(published_at) FROM articles), "
                    "(SELECT min(seen_at) FROM articles), (SELECT max(seen_at) FROM articles)"
                )
            ).one()
        from bot.store.models import UTCDateTime

        conv = UTCDateTime().process_result_value
        values = [conv(_as_datetime(v), self.engine.dialect) for v in row if v is not None]
        known = [v for v in values if v is not None]
        return (min(known), max(known)) if known else (None, None)

    def _search_postgres(self, q: _Query) -> SearchHits:
        filters, params = _filters(q.topics, q.since, q.until)
        filters += q.private[0]
        params.update(q.private[1])
        params["window"] = RANK_WINDOW
        params["q"] = " ".join(q.terms)
        for n, term in enumerate(q.excluded):
            params[f"x{n}"] = term
            filters += f" AND NOT f.tsv @@ plainto_tsquery('simple', :x{n})"
        hits = (
            f"FROM article_fts f, plainto_tsquery('simple', :q) query WHERE f.tsv @@ query{filters}"
        )
        ranked = (
            f"SELECT f.rowid AS id, ts_rank_cd(f.tsv, query) AS score {hits} "
            "ORDER BY f.rowid DESC LIMIT :window"
        )
        return self._run(
            [f"SELECT count(*) {hits}"], ranked, "score DESC", params, q.limit, q.offset
        )


@dataclass(frozen=True, slots=True)
class _Query:
    """One search as the two dialects' queries read it."""

    terms: list[str]
    topics: Sequence[str]
    since: datetime | None
    until: datetime | None
    limit: int
    offset: int
    excluded: Sequence[str] = ()
    private: tuple[str, dict[str, object]] = ("", {})


def _quoted(term: str) -> str:
    """A lemma as an FTS5 string (so no lemma is read as an operator)."""
    return '"' + term.replace('"', '""') + '"'


def _as_datetime(value: object) -> datetime:
    """SQLite hands raw aggregates back as text."""
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


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
            " AND EXISTS (SELECT 1 FROM matches m WHERE m.article_id = f.rowid "
            f"AND m.topic IN ({', '.join(names)}))"
        )
    when = "COALESCE(a.published_at, a.seen_at)"
    if since:
        params["since"] = since
        sql += f" AND EXISTS (SELECT 1 FROM articles a WHERE a.id = f.rowid AND {when} >= :since)"
    if until:
        params["until"] = until
        sql += f" AND EXISTS (SELECT 1 FROM articles a WHERE a.id = f.rowid AND {when} < :until)"
    return sql, params


def _typed(sql: str, params: dict[str, object]) -> TextClause:
    """Bind times through the UTC column type, as the ORM stores them."""
    from bot.store.models import UTCDateTime

    clause = text(sql)
    times = [
        bindparam(k, type_=UTCDateTime())
        for k in ("since", "until")
        if k in params and f":{k}" in sql
    ]
    return clause.bindparams(*times) if times else clause
