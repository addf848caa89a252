"""Which watches an article can match: an index from lemma to the watches that name it.

A watch needs at least one of its plain or ``+`` terms in the article (title or body) to match
(:mod:`bot.analysis.watches`), and a term matches only where each of its lemmas matches a token.
So each term is filed under one of its lemmas (its *key*: the first one that is not ``#num``),
and an article is checked only against the watches filed under a lemma it holds.  A token
matches a key the way :func:`bot.analysis.watches._same` says: itself, or, for a Latin key, the
key followed by a model number (``hbm4`` and ``hbm3e`` look up ``hbm``).  A term made only of
``#num`` has no key; its watch is a candidate for every article.

``-`` terms only ever take a match away, so they need no entry: a watch is excluded only after
it became a candidate, by its own rule.  What the index changes is the cost, never the result:
:meth:`WatchIndex.candidates` keeps the watches' order, and every candidate is matched by the
watch's own rule (``tests/test_watch_index.py`` holds both with and without the index).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Generic, Protocol, TypeVar

from bot.analysis.matcher import NUM


class _Watch(Protocol):
    def lemma_words(self) -> list[tuple[str, ...]]: ...


W = TypeVar("W", bound=_Watch)


def _key(lemmas: tuple[str, ...]) -> str | None:
    return next((lemma for lemma in lemmas if lemma != NUM), None)


def _latin_stem(token: str) -> str | None:
    """``hbm3e`` → ``hbm``: the Latin word a token with a model number also matches."""
    for i, ch in enumerate(token):
        if not ch.isalpha():
            stem = token[:i]
            return stem if stem and stem.isascii() and ch.isdigit() else None
    return None


class WatchIndex(Generic[W]):
    """Built once per set of compiled watches (the pipeline rebuilds it when a watch changes)."""

    def __init__(self, watches: Sequence[W]) -> None:
        self.watches = list(watches)
        self._by_lemma: dict[str, list[int]] = {}
        self._always: list[int] = []
        for i, watch in enumerate(self.watches):
            keys = {_key(lemmas) for lemmas in watch.lemma_words()}
            if None in keys:
                self._always.append(i)
                continue
            for key in keys:
                assert key is not None
                self._by_lemma.setdefault(key, []).append(i)

    def __len__(self) -> int:
        return len(self.watches)

    def candidates(self, *fields: Iterable[str]) -> list[W]:
        """The watches that may match an article whose fields hold these lemmas, in order."""
        if not self.watches:
            return []
        found: set[int] = set(self._always)
        by_lemma = self._by_lemma
        seen: set[str] = set()
        for tokens in fields:
            seen.update(tokens)
        for token in seen:
            hit = by_lemma.get(token)
            if hit is not None:
                found.update(hit)
            stem = _latin_stem(token)
            if stem is not None and (hit := by_lemma.get(stem)) is not None:
                found.update(hit)
        return [self.watches[i] for i in sorted(found)]
