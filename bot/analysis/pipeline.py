"""The one path from stored text to matches: analyse, match, extract entities, cluster, index.

Seeds and feed items go through the same :class:`Pipeline`.  Work is taken from the store as
"articles not yet analysed with the current topics file", so a crash between storing and
analysing loses nothing, and editing the topics file re-matches the stored articles on the next
run.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from bot.analysis import briefs, clusters, entities, stories, story_assign, watches
from bot.analysis.korean import Analyser, Analysis, get_analyser
from bot.analysis.limits import analysed_body, analysed_title
from bot.analysis.matcher import NUM, Matcher
from bot.analysis.watch_index import WatchIndex
from bot.config.topics import TopicSet
from bot.core import metrics
from bot.ingest.cleaning import headline
from bot.store import AnalysedRecord, PendingArticle, Store
from bot.store.drafts import Draft

log = logging.getLogger(__name__)

BATCH = 256  # analyses saved per write transaction (fewer, larger FTS5 segments: -15% save CPU)
PAGE = 256  # pending articles read per query
STORE_CHUNK = 128  # drafts stored per transaction by ingest, while kiwi works on earlier ones
FIRST_CHUNK = 16
Progress = Callable[[int, int], None]  # (done, total)


GC_THRESHOLD0 = 50_000  # allocations between young-generation collections while analysing
_gc_lock = threading.Lock()
_gc_users = 0
_gc_saved: tuple[int, int, int] | None = None


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Let the cyclic garbage collector run less often while articles are analysed.

    Analysis makes hundreds of thousands of small tuples (tokens, hits) and holds no reference
    cycles; at Python's default threshold (a collection every 700 allocations) the collector runs
    thousands of times per thousand articles and walks the same young objects again and again
    (measured: a third of the tokenising loop's time).  Nested and concurrent runs share one
    raised threshold; the last one out restores the previous setting."""
    global _gc_users, _gc_saved
    with _gc_lock:
        if _gc_users == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(max(GC_THRESHOLD0, _gc_saved[0]), *_gc_saved[1:])
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0 and _gc_saved is not None:
                gc.set_threshold(*_gc_saved)


class Pipeline:
    def __init__(self, store: Store, topics: TopicSet, analyser: Analyser | None = None) -> None:
        self.store = store
        self.topics = topics
        self.analyser = analyser or get_analyser()
        self.matcher = Matcher(topics, self.analyser)
        self.stories = story_assign.StoryRule()
        self.watches: WatchIndex[watches.CompiledWatch] = WatchIndex([])
        self._watch_stamp: tuple[tuple[int, str], ...] | None = None
        self._compiled: dict[tuple[int, str], watches.CompiledWatch] = {}

    def load_watches(self) -> None:
        """Compile the stored watches (again when one was added, edited or removed): the new
        and edited ones, their terms lemmatised in one batch; then the index over them all."""
        found = self.store.watches()
        stamp = tuple((w.id, w.updated_at.isoformat()) for w in found)
        if stamp == self._watch_stamp:
            return
        self._watch_stamp = stamp
        specs = {
            key: watches.WatchSpec.from_dict(w.spec) for key, w in zip(stamp, found, strict=True)
        }
        new = [key for key in stamp if key not in self._compiled]
        texts = list(
            dict.fromkeys(
                part  # what term_lemmas lemmatises: the words between #num wildcards
                for key in new
                for term in (*specs[key].terms, *specs[key].required, *specs[key].exclude)
                for part in term.split(NUM)
                if part.strip()
            )
        )
        known = dict(zip(texts, self.analyser.lemmas_many(texts), strict=True))

        def lemmatise(text: str) -> list[str]:
            got = known.get(text)
            return list(got) if got is not None else self.analyser.lemmas(text)

        compiled = {key: self._compiled[key] for key in stamp if key in self._compiled}
        for key, w in zip(stamp, found, strict=True):
            if key not in compiled:
                compiled[key] = watches.CompiledWatch.compile(w.topic, specs[key], lemmatise)
        self._compiled = compiled
        self.watches = WatchIndex([compiled[key] for key in stamp])

    def ingest(
        self, drafts: Sequence[Draft], *, silent: bool = False, progress: Progress | None = None
    ) -> list[int]:
        """Store the drafts and analyse what was new; returns the new article ids.

        The drafts are stored ``STORE_CHUNK`` at a time (the first chunk smaller), each chunk
        committed before any of its articles is analysed, and the next chunk is stored when
        kiwi asks for more text: kiwi starts on the first articles at once instead of waiting
        for the whole batch."""
        new_ids: list[int] = []
        # a small first chunk, so kiwi starts sooner
        chunks = deque([drafts[:FIRST_CHUNK]])
        chunks.extend(
            drafts[i : i + STORE_CHUNK] for i in range(FIRST_CHUNK, len(drafts), STORE_CHUNK)
        )

        def store_next() -> bool:
            if not chunks:
                return False
            new_ids.extend(self.store.add_drafts(chunks.popleft(), silent=silent))
            return True

        store_next()
        self.process_pending(progress, store_more=store_next, unstored=sum(map(len, chunks)))
        return new_ids

    @fewer_collections()
    def process_pending(
        self,
        progress: Progress | None = None,
        *,
        store_more: Callable[[], bool] | None = None,
        unstored: int = 0,
    ) -> int:
        """Analyse every article not yet matched with the current topics; returns how many.

        The pending articles stream through kiwi (which reads ahead and tokenises on its own
        threads) while this thread matches them; results are saved every ``BATCH`` articles, so
        an interruption loses at most one batch of work, never an article.  When kiwi has read
        the last article, the results so far are saved at once, while kiwi finishes the few it
        read ahead, so little is left to save after it stops.  ``store_more``
        stores more articles when the pending ones run out (False: none left); ``unstored``
        says how many may still come that way (for the progress total).
        """
        self.load_watches()
        total = self.store.count_pending(self.topics.digest) + unstored
        done = 0
        articles: deque[PendingArticle] = deque()
        read_all = False  # kiwi has read every pending article

        def pending() -> Iterator[tuple[str, str]]:
            nonlocal read_all
            last_id = 0
            while True:
                page = self.store.pending_analysis(self.topics.digest, limit=PAGE, after_id=last_id)
                if not page:
                    if store_more is not None and store_more():
                        continue
                    read_all = True
                    return
                for article in page:
                    articles.append(article)
                    body = analysed_body(article.body)  # bounded: see bot.analysis.limits
                    yield analysed_title(headline(article.title, body)), body
                last_id = page[-1].id

        records: list[AnalysedRecord] = []
        saved_at_end_of_input = False
        for analysis in self.analyser.stream(pending()):
            article = articles.popleft()
            records.append(
                self.record(
                    article.id,
                    analysis,
                    article.when,
                    article.source,
                    article.body,
                    dated=article.published_at is not None,
                )
            )
            if len(records) >= BATCH or (read_all and not saved_at_end_of_input):
                saved_at_end_of_input = read_all
                self._save(records)
                done += len(records)
                records = []
                if progress:
                    progress(done, max(total, done))
        if records:
            self._save(records)
            done += len(records)
        if progress:
            progress(done, done)  # finished (the total was an estimate: duplicates are skipped)
        return done

    def _save(self, records: list[AnalysedRecord]) -> None:
        """Save a batch, its stories, and the briefs of the stories it made or grew."""
        self.store.save_analysis(
            records, self.stories, stories.WINDOW, briefs.summarise, briefs.MAX_REPORTS
        )

    def record(
        self,
        article_id: int,
        analysis: Analysis,
        when: datetime | None = None,
        source: str | None = None,
        body: str | None = None,
        *,
        dated: bool = True,
    ) -> AnalysedRecord:
        result = self.matcher.match(analysis)
        found_watches = []
        title_lemmas, body_lemmas = analysis.title.lemmas, analysis.body.lemmas
        # only the watches naming a lemma the article holds
        candidates = self.watches.candidates(title_lemmas, body_lemmas)
        # where each lemma stands, found once for all of them
        where = (
            (watches.Positions(title_lemmas), watches.Positions(body_lemmas))
            if candidates
            else None
        )
        for watch in candidates:
            hit = watch.match(
                title_lemmas,
                body_lemmas,
                source,
                written=(analysis.title, analysis.body),
                positions=where,
            )
            if hit is not None:
                found_watches.append((watch.topic, hit.score, list(hit.evidence)))
        for match in result.matches:
            metrics.ITEMS_MATCHED.labels(match.topic).inc()
        raw = clusters.to_bytes(clusters.signature(body_lemmas or analysis.title.lemmas))
        found = [e.as_dict() for e in entities.extract(analysis, self.analyser)]
        story = stories.profile(
            analysis,
            found,
            when or self.store.clock.now(),
            org_names=self.analyser.org_names,
            roundup=result.roundup,
            dated=dated and when is not None,
        )
        return AnalysedRecord(
            id=article_id,
            topics_hash=self.topics.digest,
            scores=result.scores,
            matches=[(m.topic, m.score, [e.as_dict() for e in m.evidence]) for m in result.matches]
            + found_watches,
            entities=found,
            title_terms=" ".join(analysis.title.lemmas),
            body_terms=" ".join(body_lemmas),
            minhash=raw,
            when=when,
            story=story.as_json(),
            story_keys=stories.lookup_keys(story),
            brief_sentences=[  # offsets into the body as stored (``body``)
                c.as_json()
                for c in briefs.candidates(
                    analysis.body.text if body is None else analysed_body(body),  # a prefix
                    analysis.body,
                    self.analyser.org_names,
                )
            ],
        )
