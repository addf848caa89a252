"""The one path from stored text to matches: analyse, match, extract entities, cluster, index.

Seeds and feed items go through the same :class:`Pipeline`.  Work is taken from the store as
"articles not yet analysed with the current topics file", so a crash between storing and
analysing loses nothing, and editing the topics file re-matches the stored articles on the next
run.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta

from bot import clusters, entities, metrics
from bot.korean import Analyser, Analysis, get_analyser
from bot.matcher import Matcher
from bot.models import utcnow
from bot.sources.cleaning import headline
from bot.sources.drafts import Draft
from bot.store import AnalysedRecord, PendingArticle, Store
from bot.topics import TopicSet

log = logging.getLogger(__name__)

BATCH = 64  # analyses saved per write transaction
PAGE = 256  # pending articles read per query
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

        The pending articles stream through kiwi (which reads ahead and tokenises on its own
        threads) while this thread matches them; results are saved every ``BATCH`` articles, so
        an interruption loses at most one batch of work, never an article.
        """
        total = self.store.count_pending(self.topics.digest)
        done = 0
        articles: deque[PendingArticle] = deque()

        def pending() -> Iterator[tuple[str, str]]:
            last_id = 0
            while page := self.store.pending_analysis(
                self.topics.digest, limit=PAGE, after_id=last_id
            ):
                for article in page:
                    articles.append(article)
                    yield headline(article.title, article.body), article.body
                last_id = page[-1].id

        records: list[AnalysedRecord] = []
        for analysis in self.analyser.stream(pending()):
            article = articles.popleft()
            records.append(self.record(article.id, analysis, article.when))
            if len(records) >= BATCH:
                self.store.save_analysis(records)
                done += len(records)
                records = []
                if progress:
                    progress(done, max(total, done))
        if records:
            self.store.save_analysis(records)
            done += len(records)
            if progress:
                progress(done, max(total, done))
        return done

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
