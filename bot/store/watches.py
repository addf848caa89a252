"""Watches (topics a workspace defines from chat), their stored matches, and per-channel mutes.

A watch's matches are ``matches`` rows under the topic ``watch:<id>``, so digests, search
filters, subscriptions and ``why`` read them like a built-in topic's.  Re-applying a watch reads
the lemmas the full-text index already holds (:meth:`stored_lemmas`), never the analyser.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, text
from sqlalchemy.orm import Session

from bot.store.articles import readable_by
from bot.store.fulltext import FullTextQueries, index_tags
from bot.store.models import (
    ArticleRow,
    DestinationRow,
    MatchRow,
    MuteRow,
    SubscriptionRow,
    WatchRow,
)
from bot.store.subscriptions import SubscriptionQueries
from bot.store.views import Mute, Place, StoredLemmas, Watch, topic_id

NUM = "#num"
DIRECT_MAX = 20_000  # a window this small is read whole instead of through the index


def _watch(row: WatchRow) -> Watch:
    return Watch(
        row.id,
        row.platform,
        row.workspace,
        row.name,
        dict(row.spec),
        row.created_by,
        row.updated_at,
    )


class WatchQueries(FullTextQueries, SubscriptionQueries):
    # -- watches -------------------------------------------------------------------------------

    def watches(self, platform: str | None = None, workspace: str | None = None) -> list[Watch]:
        """The watches of a workspace (every watch when no platform is given), by name."""
        with self.read() as s:
            q = select(WatchRow)
            if platform is not None:
                q = q.where(WatchRow.platform == platform, WatchRow.workspace == (workspace or ""))
            return [_watch(r) for r in s.scalars(q.order_by(WatchRow.name, WatchRow.id))]

    def save_watch(
        self,
        platform: str,
        workspace: str,
        name: str,
        spec: Mapping[str, Any],
        *,
        user: str | None = None,
    ) -> Watch:
        """Create the watch, or replace the spec of the one with that name."""
        [watch] = self.save_watches(platform, workspace, [(name, spec)], user=user)
        return watch

    def save_watches(
        self,
        platform: str,
        workspace: str,
        named: Sequence[tuple[str, Mapping[str, Any]]],
        *,
        user: str | None = None,
    ) -> list[Watch]:
        """Create or replace several watches in one transaction: all of them or none."""
        with self.write() as s:
            return [self._save_watch(s, platform, workspace, n, spec, user) for n, spec in named]

    def _save_watch(
        self,
        s: Session,
        platform: str,
        workspace: str,
        name: str,
        spec: Mapping[str, Any],
        user: str | None,
    ) -> Watch:
        now = self.clock.now()
        row = s.scalar(
            select(WatchRow).where(
                WatchRow.platform == platform,
                WatchRow.workspace == workspace,
                WatchRow.name == name,
            )
        )
        if row is None:
            row = WatchRow(
                platform=platform,
                workspace=workspace,
                name=name,
                spec=dict(spec),
                created_by=user,
                created_at=now,
                updated_at=now,
            )
            s.add(row)
        else:
            row.spec = dict(spec)
            row.updated_at = now
        s.flush()
        return _watch(row)

    def remove_watch(self, watch_id: int) -> None:
        """Delete the watch, its matches and the subscriptions to it."""
        topic = topic_id(watch_id)
        with self.write() as s:
            ids = list(s.scalars(select(MatchRow.article_id).where(MatchRow.topic == topic)))
            s.execute(delete(MatchRow).where(MatchRow.topic == topic))
            s.execute(delete(SubscriptionRow).where(SubscriptionRow.topic == topic))
            s.execute(delete(WatchRow).where(WatchRow.id == watch_id))
            self._retag(s, ids)

    # -- matches -------------------------------------------------------------------------------

    def stored_lemmas(
        self, since: datetime, any_of: Sequence[Sequence[str]], tenant: str | None = None
    ) -> list[StoredLemmas]:
        """Articles of the window (publication time, else ingestion) whose index holds every
        lemma of at least one of ``any_of`` (a Latin word also as the start of a longer one:
        ``hbm`` finds ``hbm4``), newest first.  A window of at most :data:`DIRECT_MAX` articles
        is read whole (cheaper than the index for a week of news; the watch decides).  With
        ``tenant``, only the articles that workspace reads."""
        groups = [[w for w in words if w != NUM and w.strip()] for words in any_of]
        groups = [g for g in groups if g]
        if not groups:
            return []
        when = func.coalesce(ArticleRow.published_at, ArticleRow.seen_at)
        recent = or_(
            ArticleRow.published_at >= since,
            and_(ArticleRow.published_at.is_(None), ArticleRow.seen_at >= since),
        )  # = when >= since, in a form the two time indexes serve
        with self.read() as s:
            in_window = s.scalar(select(func.count()).select_from(ArticleRow).where(recent)) or 0
            hits: Any
            if in_window <= DIRECT_MAX:  # a week of news: read its lemmas, skip the index
                hits = select(ArticleRow.id).where(recent)
            elif self.dialect == "sqlite":
                match = " OR ".join(
                    "(" + " AND ".join(_fts5_word(w) for w in g) + ")" for g in groups
                )
                hits = text("SELECT rowid FROM article_fts WHERE article_fts MATCH :q").bindparams(
                    q=match
                )
            else:
                params: dict[str, str] = {}
                alts = []
                for i, g in enumerate(groups):
                    parts = []
                    for j, w in enumerate(g):
                        params[f"w{i}_{j}"] = w
                        parts.append(_pg_word(w, f":w{i}_{j}"))
                    alts.append("(" + " && ".join(parts) + ")")
                hits = text(
                    f"SELECT rowid FROM article_fts WHERE tsv @@ ({' || '.join(alts)})"
                ).bindparams(**params)
            ids = [r[0] for r in s.execute(hits)]
            if not ids:
                return []
            out: list[StoredLemmas] = []
            for chunk in _chunks(ids, 5000):
                rows = s.execute(
                    text(
                        "SELECT rowid, title, body FROM article_fts WHERE rowid IN "
                        f"({', '.join(str(int(i)) for i in chunk)})"
                    )
                ).all()
                terms = {r[0]: (r[1], r[2]) for r in rows}
                q = select(ArticleRow.id, ArticleRow.source, when).where(
                    ArticleRow.id.in_(chunk), when >= since
                )
                if tenant is not None:
                    q = q.where(readable_by(tenant))
                meta = s.execute(q).all()
                for i, source, at in meta:
                    title, body = terms.get(i, ("", ""))
                    out.append(StoredLemmas(i, title.split(), body.split(), source, _aware(at)))
        out.sort(key=lambda r: (r.when, r.id), reverse=True)
        return out

    def article_texts(self, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """(title, body) of these articles, to quote a watch's evidence as written."""
        out: dict[int, tuple[str, str]] = {}
        with self.read() as s:
            for chunk in _chunks(sorted(set(ids)), 5000):
                rows = s.execute(
                    select(ArticleRow.id, ArticleRow.title, ArticleRow.body).where(
                        ArticleRow.id.in_(chunk)
                    )
                )
                out.update({i: (title or "", body or "") for i, title, body in rows})
        return out

    def replace_watch_matches(
        self,
        topic: str,
        since: datetime,
        found: Mapping[int, tuple[float, list[dict[str, str]]]],
    ) -> tuple[int, int]:
        """Make ``found`` the watch's matches among the articles of the window (older matches
        stay); returns (matches before, after) in the window."""
        when = func.coalesce(ArticleRow.published_at, ArticleRow.seen_at)
        with self.write() as s:
            old = list(
                s.scalars(
                    select(MatchRow.article_id)
                    .join(ArticleRow, ArticleRow.id == MatchRow.article_id)
                    .where(MatchRow.topic == topic, when >= since)
                )
            )
            if old:
                s.execute(
                    delete(MatchRow).where(MatchRow.topic == topic, MatchRow.article_id.in_(old))
                )
            if found:
                s.execute(
                    insert(MatchRow),
                    [
                        {"article_id": i, "topic": topic, "score": sc, "evidence": ev}
                        for i, (sc, ev) in found.items()
                    ],
                )
            self._retag(s, set(old) | set(found))
            return len(old), len(found)

    def _retag(self, s: Session, ids: Iterable[int]) -> None:
        """Rewrite the topic tokens of these articles in the SQLite index (PostgreSQL filters
        topics through ``matches`` and needs nothing)."""
        ids = sorted(set(ids))
        if self.dialect != "sqlite" or not ids:
            return
        when = func.coalesce(ArticleRow.published_at, ArticleRow.seen_at)
        for chunk in _chunks(ids, 5000):
            topics: dict[int, list[str]] = {i: [] for i in chunk}
            for i, t in s.execute(
                select(MatchRow.article_id, MatchRow.topic).where(MatchRow.article_id.in_(chunk))
            ):
                topics[i].append(t)
            times = dict(
                s.execute(select(ArticleRow.id, when).where(ArticleRow.id.in_(chunk))).all()
            )
            listing = ", ".join(str(int(i)) for i in chunk)
            rows = s.execute(
                text(f"SELECT rowid, title, body FROM article_fts WHERE rowid IN ({listing})")
            ).all()
            self._index_terms(  # the index's own writer, with the new topic tokens
                s,
                [
                    (
                        i,
                        title,
                        body,
                        index_tags(topics[i], _aware(times[i]) if i in times else None),
                    )
                    for i, title, body in rows
                ],
            )

    def outlet_named(self, name: str) -> str | None:
        """The outlet (an article's ``source``) spelled ``name``, ignoring case, or None when
        no stored article comes from it."""
        with self.read() as s:
            exact = s.scalar(select(ArticleRow.source).where(ArticleRow.source == name).limit(1))
            if exact is not None:
                return str(exact)
            found = s.scalar(
                select(ArticleRow.source)
                .where(func.lower(ArticleRow.source) == name.lower())
                .limit(1)
            )
            return str(found) if found is not None else None

    # -- mutes ---------------------------------------------------------------------------------

    def mute(
        self, place: Place, kind: str, value: str, until: datetime | None, user: str | None
    ) -> None:
        dest = self.destination(place)
        assert dest is not None
        with self.write() as s:
            s.execute(
                delete(MuteRow).where(
                    MuteRow.destination_id == dest.id, MuteRow.kind == kind, MuteRow.value == value
                )
            )
            s.add(
                MuteRow(
                    destination_id=dest.id, kind=kind, value=value, until=until, created_by=user
                )
            )

    def unmute(self, place: Place, kind: str | None, value: str | None) -> int:
        """Remove one mute (or every mute of the channel when ``value`` is None)."""
        with self.write() as s:
            dest = s.scalar(
                select(DestinationRow.id).where(
                    DestinationRow.platform == place.platform,
                    DestinationRow.workspace == place.workspace,
                    DestinationRow.channel == place.channel,
                )
            )
            if dest is None:
                return 0
            q = delete(MuteRow).where(MuteRow.destination_id == dest)
            if value is not None:
                q = q.where(MuteRow.value == value)
                if kind is not None:
                    q = q.where(MuteRow.kind == kind)
            return int(s.execute(q).rowcount or 0)  # type: ignore[attr-defined]

    def mutes(self, place: Place, now: datetime) -> list[Mute]:
        """The channel's mutes in force at ``now``."""
        with self.read() as s:
            rows = s.execute(
                select(MuteRow.kind, MuteRow.value, MuteRow.until)
                .join(DestinationRow, DestinationRow.id == MuteRow.destination_id)
                .where(
                    DestinationRow.platform == place.platform,
                    DestinationRow.workspace == place.workspace,
                    DestinationRow.channel == place.channel,
                    or_(MuteRow.until.is_(None), and_(MuteRow.until > now)),
                )
                .order_by(MuteRow.kind, MuteRow.value)
            ).all()
        return [Mute(k, v, _aware(u) if u is not None else None) for k, v, u in rows]


def _fts5_word(word: str) -> str:
    quoted = '"' + word.replace('"', '""') + '"'
    return quoted + "*" if word.isascii() and word.isalpha() else quoted


def _pg_word(word: str, param: str) -> str:
    if word.isascii() and word.isalpha():
        return f"to_tsquery('simple', {param} || ':*')"
    return f"plainto_tsquery('simple', {param})"


def _chunks(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _aware(value: datetime | str) -> datetime:
    from bot.store.stories import _aware as aware

    return aware(value)
