"""Story assignment in the store: the ``story_keys`` index and the order stories are assigned in.

The rule deciding whether two reports are one story is :mod:`bot.analysis.stories`; the store
only finds the candidates and records the outcome, inside the transaction that saves the
analysis (SQLite's write lock or PostgreSQL's row locks serialise writers, so each assignment
sees every story saved before it, by any process).  ``story_seq`` numbers the assignments; a
rebuild replays them in that order.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, delete, func, select, text, update
from sqlalchemy.orm import Session

from bot.core.unicode import has_unstorable, storable
from bot.store.base import StoreBase
from bot.store.models import ArticleRow, StoryKeyRow, UTCDateTime
from bot.store.views import AnalysedRecord, StoryCandidate

Assign = Callable[[AnalysedRecord, list[StoryCandidate]], int | None]
PER_KEY = 60  # candidates one key brings at most (the most recent), so a common word stays cheap
BATCH_PER_KEY = PER_KEY * 20  # a key's entries read for a whole batch (its window is wider)
PER_KEY_UNDATED = 60  # an undated report's date may be any: it looks further back
MEMBERS = 10  # a story's latest reports a new one is weighed against


class StoryQueries(StoreBase):
    def _assign_stories(
        self,
        s: Session,
        records: Sequence[AnalysedRecord],
        assign: Assign,
        window: timedelta,
    ) -> dict[int, int]:
        """Cluster ids for the records that have no story yet, assigned one after the other
        (a record sees the ones before it, in the store and in this batch); returns {article
        id: cluster id}.

        The batch's candidates are read in two statements (every key's entries in the batch's
        window, then the articles they name), the batch's own records are added in memory as
        they are assigned, and the outcome is written at the end: what each record sees is what
        it would see if the records were saved one by one (each key's :data:`PER_KEY` most recent
        entries within the record's window)."""
        ids = [r.id for r in records]
        done = dict(
            s.execute(
                select(ArticleRow.id, ArticleRow.cluster_id).where(
                    ArticleRow.id.in_(ids), ArticleRow.story_seq.is_not(None)
                )
            ).all()
        )
        out: dict[int, int] = {}
        fresh = []
        for record in records:
            if record.id in done:  # analysed again (the topics changed): the story stays
                out[record.id] = done[record.id] or record.id
            else:
                fresh.append(record)
        if not fresh:
            return out
        seq = s.scalar(select(func.max(ArticleRow.story_seq))) or 0
        keys_of = {r.id: _keys(r) for r in fresh}
        entries, seqs, known_rows = self._batch_candidates(s, fresh, keys_of, window, assign)
        members: dict[int, list[int]] = {}  # story id: its reports, in assignment order
        for i in sorted(known_rows, key=seqs.__getitem__):
            members.setdefault(known_rows[i].cluster_id, []).append(i)
        updates: list[dict[str, Any]] = []
        new_keys: list[tuple[int, str, Any]] = []
        conn = s.connection()
        column = _STORY_KEYS.c.at.type.dialect_impl(conn.dialect)
        stored_at = column.bind_processor(conn.dialect) or (lambda at: at)
        for record in fresh:
            when = record.when
            assert when is not None and record.story is not None
            keys = keys_of[record.id]
            undated = _undated(record.story)
            chosen: set[int] = set()
            lo, hi = _EVER if undated else (when - window, when + window)
            per_key = PER_KEY_UNDATED if undated else PER_KEY
            for key in keys + [UNDATED + k for k in keys]:  # each key's per_key most recent
                listed = entries.get(key, [])  # entries within the window (undated: any)
                if key.startswith(UNDATED) or (
                    listed and listed[0][2] <= hi and listed[-1][2] >= lo  # all within it
                ):
                    chosen.update(map(itemgetter(3), listed[:per_key]))
                    continue
                taken = 0
                for _order, _tie, at, article_id in listed:
                    if at > hi:
                        continue
                    if at < lo:
                        break  # newest first: the rest are older still
                    chosen.add(article_id)
                    taken += 1
                    if taken == per_key:
                        break
            chosen.discard(record.id)
            # the whole of each story found (its MEMBERS latest reports): the rule weighs a
            # report against a story as a whole, not against one member
            stories_found = {known_rows[i].cluster_id for i in chosen if i in known_rows}
            found = [
                i
                for c in stories_found
                for i in members.get(c, [])[-MEMBERS:]
                if i in known_rows and i != record.id
            ]
            found.sort(key=seqs.__getitem__)  # in assignment order (each seq is one article's)
            candidates = list(map(known_rows.__getitem__, found))
            cluster = assign(record, candidates) or record.id
            seq += 1
            updates.append(
                {
                    "id": record.id,
                    "cluster_id": cluster,
                    "story_seq": seq,
                    "story_profile": record.story,
                }
            )
            at, entry = stored_at(when), _entry(when, record.id)  # (the column's stored form)
            for key in [UNDATED + k for k in keys] if undated else keys:  # newest first
                listed = entries.setdefault(key, [])
                if not listed or entry <= listed[0]:
                    listed.insert(0, entry)  # the newest (as when ingesting as it comes)
                else:
                    insort(listed, entry)
                new_keys.append((record.id, key, at))
            seqs[record.id] = seq
            members.setdefault(cluster, []).append(record.id)
            known_rows[record.id] = StoryCandidate(
                record.id, cluster, when, dict(record.story), record.minhash
            )
            out[record.id] = cluster
        s.execute(update(ArticleRow), updates)
        if new_keys:
            _insert_keys(conn, new_keys)
        return out

    def _batch_candidates(
        self,
        s: Session,
        records: Sequence[AnalysedRecord],
        keys_of: dict[int, list[str]],
        window: timedelta,
        assign: Assign,
    ) -> tuple[dict[str, list[Entry]], dict[int, int], dict[int, StoryCandidate]]:
        """For a batch (``keys_of``: each record's keys, :func:`_keys`): every key's stored
        entries in the batch's window ({key: [entry]}, newest first, at most
        :data:`BATCH_PER_KEY` most recent per key; see :func:`_entry`), the story_seq of each
        article they name, and those articles as candidates (the profile left out where
        ``assign`` already holds it)."""
        times = [r.when for r in records if r.when is not None and not _undated(r.story)]
        keys = list(dict.fromkeys(k for r in records for k in keys_of[r.id]))
        entries: dict[str, list[Entry]] = {}
        if not keys:
            return entries, {}, {}
        # dated entries within the batch's window (any time when an undated record looks),
        # undated entries whenever they were read
        span = (min(times) - window, max(times) + window) if times else _EVER
        if len(times) < len(records):
            span = _EVER
        # a batch of undated reports takes each key's PER_KEY_UNDATED most recent entries and
        # adds its own in front: the ones further down are never looked at
        limit = BATCH_PER_KEY if times else PER_KEY_UNDATED
        named: set[int] = set()
        aware: dict[Any, tuple[float, datetime]] = {}  # an article's keys share its time
        for looked, (lo, hi) in ((keys, span), ([UNDATED + k for k in keys], _EVER)):
            params = {"keys": looked, "lo": lo, "hi": hi, "per_key": limit}
            for key, article_id, at in s.execute(_ENTRIES, params).all():
                if at not in aware:
                    converted = _aware(at)
                    aware[at] = (-converted.timestamp(), converted)
                order, converted = aware[at]
                entries.setdefault(key, []).append((order, -article_id, converted, article_id))
                named.add(article_id)
        for listed in entries.values():
            listed.sort()
        if not named:
            return entries, {}, {}
        known = getattr(assign, "known", None)
        when_col = func.coalesce(ArticleRow.published_at, ArticleRow.seen_at)
        columns = (
            ArticleRow.id,
            ArticleRow.cluster_id,
            ArticleRow.story_seq,
            when_col,
            ArticleRow.minhash,
        )
        rows = s.execute(
            select(*columns).where(ArticleRow.id.in_(named), ArticleRow.story_seq.is_not(None))
        ).all()
        # and the other reports of the stories they belong to
        found_stories = {c or i for i, c, _q, _w, _m in rows}
        others = s.execute(
            select(*columns).where(
                ArticleRow.cluster_id.in_(found_stories),
                ArticleRow.id.not_in(named),
                ArticleRow.story_seq.is_not(None),
            )
        ).all()
        rows = [*rows, *others]
        need = [r[0] for r in rows if known is None or not known(r[0])]
        profiles: dict[int, Any] = {}
        if need:
            profiles = dict(
                s.execute(
                    select(ArticleRow.id, ArticleRow.story_profile).where(ArticleRow.id.in_(need))
                ).all()
            )
        seqs = {i: q or 0 for i, _c, q, _w, _m in rows}
        found = {
            i: StoryCandidate(i, c or i, _aware(w), dict(profiles.get(i) or {}), m)
            for i, c, _q, w, m in rows
        }
        return entries, seqs, found

    def story_profile_versions(self, since: datetime) -> dict[int, int]:
        """{article id: the version of its stored story profile (0: none stated)} for the
        articles seen since ``since`` that have a story."""
        with self.read() as s:
            rows = s.execute(
                select(ArticleRow.id, ArticleRow.story_profile).where(
                    ArticleRow.seen_at >= since, ArticleRow.story_seq.is_not(None)
                )
            ).all()
        return {i: int((p or {}).get("v") or 0) for i, p in rows}

    def story_profiles(self, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """The stored story profiles of the articles ``ids`` ({} for one without)."""
        with self.read() as s:
            rows = s.execute(
                select(ArticleRow.id, ArticleRow.story_profile).where(ArticleRow.id.in_(ids))
            ).all()
        return {i: dict(p or {}) for i, p in rows}

    def replace_story_profiles(self, found: dict[int, tuple[dict[str, Any], list[str]]]) -> None:
        """Store new story profiles and lookup keys ({article id: (profile, keys)}) made from
        the articles again (an upgrade changed what a profile holds); the stories themselves
        are assigned again by :meth:`rebuild_stories`."""
        if not found:
            return
        now = self.clock.now()
        with self.write() as s:
            ids = list(found)
            for start in range(0, len(ids), 500):
                part = ids[start : start + 500]
                s.execute(delete(StoryKeyRow).where(StoryKeyRow.article_id.in_(part)))
            s.execute(
                update(ArticleRow),
                [{"id": i, "story_profile": profile} for i, (profile, _k) in found.items()],
            )
            rows = [
                {"article_id": i, "key": key, "at": now}
                for i, (profile, keys) in found.items()
                for key in dict.fromkeys(
                    (UNDATED if _undated(profile) else "") + k[:KEY_CHARS] for k in keys
                )
            ]
            if rows:
                s.execute(_STORY_KEYS.insert(), rows)

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
                keys.setdefault(article_id, []).append(key.removeprefix(UNDATED))
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


UNDATED = "u|"  # the prefix of an undated article's keys (looked up whatever the window)
KEY_CHARS = 200 - len(UNDATED)  # a key as stored, its prefix included, fits story_keys.key
_EVER = (datetime(1900, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC))


def _keys(record: AnalysedRecord) -> list[str]:
    """A record's story keys as stored: cut to :data:`KEY_CHARS`, made storable (as the
    database holds them, so a key read back is the key looked up), each once."""
    keys = [k[:KEY_CHARS] for k in record.story_keys]
    if has_unstorable("\n".join(keys)):
        keys = [storable(k) for k in keys]
    return list(dict.fromkeys(keys))


def _insert_keys(conn: Connection, rows: list[tuple[int, str, Any]]) -> None:
    """Insert story_keys rows (article id, key, stored time) with the driver's own executemany
    on the transaction's connection: SQLAlchemy's costs more per row, and its check for
    unstorable text (:mod:`bot.store.engine`) walks every value of every row; the keys come
    from :func:`_keys`, already made storable the same way."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(
            f"INSERT INTO story_keys (article_id, key, at) VALUES ({mark}, {mark}, {mark})", rows
        )
    finally:
        cursor.close()


def _undated(story: dict[str, Any] | None) -> bool:
    """Whether a story profile is of an article without a known date (``undated`` set by
    :mod:`bot.analysis.stories`): it is compared with any story, whenever it was read."""
    return bool(story and story.get("undated"))


# every key's entries in a window, the most recent first, at most :per_key of each
_ENTRIES = text(
    "SELECT key, article_id, at FROM (SELECT key, article_id, at, row_number() OVER "
    "(PARTITION BY key ORDER BY at DESC, article_id DESC) AS n FROM story_keys "
    "WHERE key IN :keys AND at >= :lo AND at <= :hi) AS ranked "
    "WHERE n <= :per_key"
).bindparams(
    bindparam("keys", expanding=True),
    bindparam("lo", type_=UTCDateTime()),
    bindparam("hi", type_=UTCDateTime()),
)
_UTC = UTCDateTime()
_STORY_KEYS = cast(Table, StoryKeyRow.__table__)


# a key's entry: (-timestamp, -article id, at, article id), so the natural order of a key's
# entries is newest first, the higher id first on a tie (the order the statement ranks them in)
Entry = tuple[float, int, datetime, int]


def _entry(at: datetime, article_id: int) -> Entry:
    return -at.timestamp(), -article_id, at, article_id


def _aware(value: datetime | str) -> datetime:
    if isinstance(value, str):  # SQLite hands coalesce() back as text
        value = datetime.fromisoformat(value)
    converted = _UTC.process_result_value(value, None)
    assert converted is not None
    return converted
