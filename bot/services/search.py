"""Search: analyse the query like an article, look it up in the lemma index, show a snippet.

``엔비디아`` finds 엔비디아가 / 엔비디아의 (particles are not indexed) and NVIDIA (an alias of the
same lemma); ``-주가`` leaves out the articles that mention 주가 (in any inflection).  The snippet is the body sentence holding most query words, with the hits marked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.analysis.korean import Analyser
from bot.services.errors import UserError
from bot.store.views import Article

if TYPE_CHECKING:
    from bot.services.context import ServiceContext

SNIPPET_CHARS = 180
MAX_QUERY = 200
MAX_LIMIT = 1000


@dataclass(slots=True)
class SearchResult:
    query: str
    total: int
    items: list[Article]

    def as_json(self) -> dict[str, object]:
        return {
            "query": self.query,
            "total": self.total,
            "items": [i.as_json(with_body=False) for i in self.items],
        }


def search(
    app: ServiceContext,
    query: str,
    *,
    topics: Sequence[str] = (),
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 10,
    tenant: str | None = None,
) -> SearchResult:
    """The best ``limit`` articles for ``query`` (every query word must be there), with
    snippets.  An empty or too long query, or a limit out of range, is a :class:`UserError`."""
    query = " ".join(query.split())
    if not query:
        raise UserError("search.no_query")
    if len(query) > MAX_QUERY:
        raise UserError("search.too_long", max=MAX_QUERY)
    if not 1 <= limit <= MAX_LIMIT:
        raise UserError("search.bad_limit", option="--limit", max=MAX_LIMIT)
    analyser = app.analyser
    wanted, unwanted = split_exclusions(query)
    if not wanted:
        raise UserError("search.only_exclusions")
    lemmas = analyser.lemmas(" ".join(wanted))
    if not lemmas:
        return SearchResult(query, 0, [])
    excluded = [lemma for word in unwanted for lemma in analyser.lemmas(word)]
    hits = app.store.search_ids(
        lemmas,
        topics=topics,
        since=since,
        until=until,
        limit=limit,
        exclude=excluded,
        tenant=tenant,
    )
    items = app.store.articles(hits.ids, tenant)
    patterns = _patterns(" ".join(wanted), lemmas, analyser)
    for item in items:
        item.snippet, item.snippet_hits = snippet(item.body or item.title, patterns)
    return SearchResult(query, hits.total, items)


def split_exclusions(query: str) -> tuple[list[str], list[str]]:
    """(words to find, words to exclude): a word written ``-주가`` excludes articles holding it
    (as a lemma, so 주가는 and 주가가 too); a lone ``-`` is just a dash."""
    wanted, unwanted = [], []
    for word in query.split():
        if word.startswith("-") and len(word) > 1:
            unwanted.append(word[1:])
        else:
            wanted.append(word)
    return wanted, unwanted


def _patterns(query: str, lemmas: list[str], analyser: Analyser) -> re.Pattern[str] | None:
    words = set(query.split())
    for lemma in lemmas:
        words.add(lemma[:-1] if lemma.endswith("다") and len(lemma) > 2 else lemma)
        words.update(analyser.variants(lemma))
    words = {w for w in words if len(w) >= 1 and w.strip()}
    if not words:
        return None
    alternatives = sorted((re.escape(w) for w in words), key=len, reverse=True)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def snippet(text: str, pattern: re.Pattern[str] | None) -> tuple[str, list[tuple[int, int]]]:
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]
    if not sentences:
        return "", []
    if pattern is None:
        return _cut(sentences[0], 0)[0], []
    best = max(
        sentences,
        key=lambda s: (len({m.group(0).lower() for m in pattern.finditer(s)}), -sentences.index(s)),
    )
    first = pattern.search(best)
    cut, offset = _cut(best, first.start() if first else 0)
    hits = [(m.start(), m.end()) for m in pattern.finditer(cut)]
    return cut, hits


def _cut(sentence: str, focus: int) -> tuple[str, int]:
    if len(sentence) <= SNIPPET_CHARS:
        return sentence, 0
    start = max(0, min(focus - SNIPPET_CHARS // 3, len(sentence) - SNIPPET_CHARS))
    piece = sentence[start : start + SNIPPET_CHARS]
    return ("…" if start else "") + piece + (
        "…" if start + SNIPPET_CHARS < len(sentence) else ""
    ), start
