"""Which watches an article can match: an index from lemma to the watches that name it.

A watch needs at least one of its plain or ``+`` terms in the article (title or body) to match
(:mod:`bot.analysis.watches`), and a term matches only where each of its lemmas matches a token.
So each term is filed under one of its lemmas (its *key*: the first one that is not ``#num``),
and an article is checked only against the watches filed under a lemma it holds.  A token
matches a key the way :func:`bot.analysis.watches._same` says: itself, or, for a Latin key, the
key followed by a model number (``hbm4`` and ``hbm3e`` look up ``hbm``).  A term made only of
``#num`` has no key; its watch is a candidate for every article.

A candidate must also pass two cheap checks that only count its key lemmas (each a condition
the watch's own rule needs, so nothing it would match is left out): every ``+`` term's key is in
the article; and a positive term's key is in the title, or the body holds the keys at least
:data:`~bot.analysis.watches.MIN_BODY_HITS` times (counted per term, each term at most its key's
occurrences).  Most random mentions of a common word end there, without a scan of the text.

``-`` terms only ever take a match away, so they need no entry: a watch is excluded only after
it became a candidate, by its own rule.  What the index changes is the cost, never the result:
:meth:`WatchIndex.candidates` keeps the watches' order, and every candidate is matched by the
watch's own rule (``tests/test_watch_index.py`` holds both with and without the index).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar

from bot.analysis.matcher import NUM
from bot.analysis.watches import MIN_BODY_HITS, latin_stem


class _Term(Protocol):
    @property
    def lemmas(self) -> tuple[str, ...]: ...


class _Watch(Protocol):
    def lemma_words(self) -> list[tuple[str, ...]]: ...

    @property
    def required(self) -> Sequence[_Term]: ...


W = TypeVar("W", bound=_Watch)


def _key(lemmas: tuple[str, ...]) -> str | None:
    return next((lemma for lemma in lemmas if lemma != NUM), None)


class WatchIndex(Generic[W]):
    """Built once per set of compiled watches (the pipeline rebuilds it when a watch changes)."""

    def __init__(self, watches: Sequence[W]) -> None:
        self.watches = list(watches)
        self._by_lemma: dict[str, list[int]] = {}
        self._always: list[int] = []
        # per watch: the key of each positive term (None: a term of numbers alone; no checks),
        # the same as a set, and the keys of its + terms
        self._keys: list[tuple[list[str], frozenset[str], list[str]] | None] = []
        for i, watch in enumerate(self.watches):
            keys = [_key(lemmas) for lemmas in watch.lemma_words()]
            needed = [_key(t.lemmas) for t in watch.required]
            if None in keys or None in needed:
                self._always.append(i)
                self._keys.append(None)
                continue
            positive = [k for k in keys if k]
            self._keys.append((positive, frozenset(positive), [k for k in needed if k]))
            for key in set(keys):
                assert key is not None
                self._by_lemma.setdefault(key, []).append(i)

    def __len__(self) -> int:
        return len(self.watches)

    def candidates(self, title: Sequence[str], body: Sequence[str]) -> list[W]:
        """The watches that may match an article with these title and body lemmas, in order."""
        if not self.watches:
            return []
        in_title = _counts(title)
        in_body = _counts(body)
        by_lemma = self._by_lemma
        found: set[int] = set(self._always)
        # (the lemmas some watch is filed under, found at C speed)
        for token in by_lemma.keys() & (in_title.keys() | in_body.keys()):
            found.update(by_lemma[token])
        out = []
        titled = in_title.keys()
        in_body_get = in_body.get
        for i in sorted(found):
            keys = self._keys[i]
            if keys is not None:
                positive, named, needed = keys
                if needed and any(k not in in_title and k not in in_body for k in needed):
                    continue
                if titled.isdisjoint(named):  # no positive term's key in the title
                    hits = 0
                    for k in positive:
                        hits += in_body_get(k, 0)
                    if hits < MIN_BODY_HITS:
                        continue
            out.append(self.watches[i])
        return out


def _counts(tokens: Sequence[str]) -> dict[str, int]:
    """How often each lemma occurs, a model number also counting for its Latin word."""
    counts: dict[str, int] = Counter(tokens)  # (counted at C speed)
    for token in [token for token in counts if not token.isalpha()]:
        stem = latin_stem(token)  # (a word, never itself a key of this loop)
        if stem is not None:
            counts[stem] = counts.get(stem, 0) + counts[token]
    return counts
