"""The one path from stored text to matches: analyse, match, extract entities, cluster, index.

Seeds and feed items go through the same :class:`Pipeline`.  Work is taken from the store as
"articles not yet analysed with the current topics file", so a crash between storing and
analysing loses nothing, and editing the topics file re-matches the stored articles on the next
run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from bot import clusters, entities, metrics
from bot.korean import Analyser, Analysis, Tokenised, get_analyser
from bot.matcher import Matcher
from bot.models import utcnow
from bot.sources.cleaning import headline
from bot.sources.drafts import Draft
from bot.store import AnalysedRecord, PendingArticle, Store
from bot.topics import TopicSet

log = logging.getLogger(__name__)

BATCH = 64  # documents per kiwi batch call; the next batch is tokenised meanwhile
Progress = Callable[[int, int], None]  # (done, total)


class Pipeline:
    def __init__(self, store: Store, topics: TopicSet, analyser: Analyser | None = None) -> None:
        self.store = store
        self.topics = topics
        self.analyser = analyser or get_analyser()
        self.matcher = Matcher(topics, self.analyser)
        self._clusterer: clusters.Clusterer | None = None

    @property
    def clusterer(self) -> clusters.Clusterer:
        if self._clusterer is None:
            self._clusterer = clusters.Clusterer()
            since = utcnow() - timedelta(days=clusters.WINDOW_DAYS)
            self._clusterer.load(self.store.recent_signatures(since))
        return self._clusterer

    def ingest(
        self, drafts: Sequence[Draft], *, silent: bool = False, progress: Progress | None = None
    ) -> list[int]:
        """Store the drafts and analyse what was new; returns the new article ids."""
        new_ids = self.store.add_drafts(drafts, silent=silent)
        self.process_pending(progress=progress)
        return new_ids

    def process_pending(self, progress: Progress | None = None) -> int:
        """Analyse every article not yet matched with the current topics; returns how many.

        Kiwi releases the GIL, so the next batch is tokenised on a worker thread while this
        thread matches and stores the current one.
        """
        total = self.store.count_pending(self.topics.digest)
        done = 0
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiwi") as pool:
            batch = self._pending(0)
            future = pool.submit(self._tokenise, batch) if batch else None
            while batch and future is not None:
                analyses = self.analyser.finish(future.result())
                following = self._pending(batch[-1].id)
                future = pool.submit(self._tokenise, following) if following else None
                records = [
                    self.record(a.id, an, a.when) for a, an in zip(batch, analyses, strict=True)
                ]
                self.store.save_analysis(records)
                done += len(batch)
                if progress:
                    progress(done, max(total, done))
                batch = following
        return done

    def _pending(self, after_id: int) -> list[PendingArticle]:
        return self.store.pending_analysis(self.topics.digest, limit=BATCH, after_id=after_id)

    def _tokenise(self, batch: Sequence[PendingArticle]) -> Tokenised:
        return self.analyser.tokenise([(headline(a.title, a.body), a.body) for a in batch])

    def analyse(self, batch: Sequence[PendingArticle]) -> list[AnalysedRecord]:
        analyses = self.analyser.analyse_many([(headline(a.title, a.body), a.body) for a in batch])
        return [self.record(a.id, an, a.when) for a, an in zip(batch, analyses, strict=True)]

    def record(
        self, article_id: int, analysis: Analysis, when: datetime | None = None
    ) -> AnalysedRecord:
        result = self.matcher.match(analysis)
        for match in result.matches:
            metrics.ITEMS_MATCHED.labels(match.topic).inc()
        body_lemmas = analysis.body.lemmas
        sig, cluster_id = self.clusterer.assign(article_id, body_lemmas or analysis.title.lemmas)
        return AnalysedRecord(
            id=article_id,
            topics_hash=self.topics.digest,
            scores=result.scores,
            matches=[(m.topic, m.score, [e.as_dict() for e in m.evidence]) for m in result.matches],
            entities=[e.as_dict() for e in entities.extract(analysis, self.analyser)],
            title_terms=" ".join(analysis.title.lemmas),
            body_terms=" ".join(body_lemmas),
            minhash=sig,
            cluster_id=cluster_id,
            when=when,
        )
