"""Watches: topics a team defines from chat (``/news watch add hbm HBM 고대역폭메모리 -주가``),
matched over an article's lemmas as the store keeps them, so saving or editing a watch re-applies
it to stored articles without analysing them again.

**Terms.**  Each term (a word, or a quoted phrase) goes through the same analyser as articles and
the built-in topics' terms: particles and endings do not matter, aliases from the lexicon apply
(``엔비디아`` = ``NVIDIA``, ``고대역폭메모리`` = ``고대역폭 메모리`` = ``HBM``), ``#num`` matches any
number.  A term matches consecutive lemmas of the title or the body.  A Latin lemma of the term
also matches that lemma followed by a model number: ``HBM`` matches ``HBM4`` and ``HBM3E``.

**Kinds.**  Plain terms: at least one must be present.  ``+term``: must be present.  ``-term``:
an article holding it (title or body) is left out.  ``min:N`` sets the least score;
``source:연합뉴스`` keeps only that outlet's articles (repeat for several).

**Score.**  A distinct term in the title counts :data:`TITLE_POINTS`; each body occurrence counts
one, at most :data:`BODY_CAP` per term.  The article carries the watch when a term is in the
title or the body holds :data:`MIN_BODY_HITS` occurrences (a single passing mention is not
enough), every ``+`` term is present, no ``-`` term is, and the score reaches ``min``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.analysis.matcher import NUM, term_lemmas

Lemmatise = Callable[[str], list[str]]

TITLE_POINTS = 3.0
BODY_CAP = 3
MIN_BODY_HITS = 2


@dataclass(frozen=True, slots=True)
class WatchSpec:
    """What a user wrote: the terms of each kind, as written."""

    terms: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    min_score: float | None = None
    sources: tuple[str, ...] = ()

    def words(self) -> list[str]:
        """The spec written back as command words (quoted where a term holds a space)."""

        def q(text: str) -> str:
            return f'"{text}"' if " " in text else text

        out = [q(t) for t in self.terms]
        out += [f"+{q(t)}" for t in self.required]
        out += [f"-{q(t)}" for t in self.exclude]
        if self.min_score is not None:
            out.append(f"min:{self.min_score:g}")
        out += [f"source:{q(s)}" for s in self.sources]
        return out

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> WatchSpec:
        """The spec as stored (:meth:`as_dict`)."""
        return cls(
            tuple(raw.get("terms") or ()),
            tuple(raw.get("all") or ()),
            tuple(raw.get("exclude") or ()),
            raw.get("min_score"),
            tuple(raw.get("sources") or ()),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "terms": list(self.terms),
            "all": list(self.required),
            "exclude": list(self.exclude),
            "min_score": self.min_score,
            "sources": list(self.sources),
        }


@dataclass(frozen=True, slots=True)
class Hit:
    score: float
    evidence: tuple[dict[str, str], ...]


@dataclass(frozen=True, slots=True)
class _Term:
    text: str
    lemmas: tuple[str, ...]


@dataclass(slots=True)
class CompiledWatch:
    topic: str
    spec: WatchSpec
    terms: list[_Term] = field(default_factory=list)
    required: list[_Term] = field(default_factory=list)
    exclude: list[_Term] = field(default_factory=list)

    @classmethod
    def compile(cls, topic: str, spec: WatchSpec, lemmatise: Lemmatise) -> CompiledWatch:
        def terms(texts: Sequence[str]) -> list[_Term]:
            out = []
            for text in texts:
                lemmas = term_lemmas(text, lemmatise)
                if lemmas:
                    out.append(_Term(text, lemmas))
            return out

        return cls(topic, spec, terms(spec.terms), terms(spec.required), terms(spec.exclude))

    def lemma_words(self) -> list[tuple[str, ...]]:
        """The lemmas of the plain and ``+`` terms: an article holding none cannot match."""
        return [t.lemmas for t in (*self.terms, *self.required)]

    def excluded_by(self, title: Sequence[str], body: Sequence[str]) -> list[str]:
        """The ``-`` terms the article holds (as written)."""
        return [t.text for t in self.exclude if _find(t.lemmas, title) or _find(t.lemmas, body)]

    def match(
        self,
        title: Sequence[str],
        body: Sequence[str],
        source: str | None = None,
        *,
        ignore_exclusions: bool = False,
    ) -> Hit | None:
        """The watch's score and evidence for an article's title and body lemmas, or None when
        it does not carry the watch (rules in the module docstring)."""
        if self.spec.sources and (source or "") not in self.spec.sources:
            return None
        if not ignore_exclusions and self.excluded_by(title, body):
            return None
        for term in self.required:
            if not (_find(term.lemmas, title) or _find(term.lemmas, body)):
                return None
        score = 0.0
        body_hits = 0
        in_title = False
        evidence: list[dict[str, str]] = []
        for term in (*self.terms, *self.required):
            found = _find(term.lemmas, title)
            if found:
                in_title = True
                score += TITLE_POINTS
                evidence.append(self._evidence(term, found[0], "title"))
            hits = _find(term.lemmas, body)
            if hits:
                body_hits += len(hits)
                score += min(len(hits), BODY_CAP)
                if not found:
                    evidence.append(self._evidence(term, hits[0], "body"))
        if not evidence or not (in_title or body_hits >= MIN_BODY_HITS):
            return None
        if self.spec.min_score is not None and score < self.spec.min_score:
            return None
        return Hit(score, tuple(evidence))

    def _evidence(self, term: _Term, surface: str, where: str) -> dict[str, str]:
        return {"topic": self.topic, "term": term.text, "surface": surface, "field": where}


def _same(want: str, token: str) -> bool:
    if want == token:
        return True
    if want == NUM:
        return token.replace(",", "").replace(".", "").isdigit()
    # a Latin word followed by a model number: hbm → hbm4, hbm3e
    return (
        want.isascii()
        and want.isalpha()
        and token.startswith(want)
        and len(token) > len(want)
        and token[len(want)].isdigit()
    )


def _find(lemmas: tuple[str, ...], tokens: Sequence[str]) -> list[str]:
    """The surfaces (matched lemmas, joined) of every occurrence of ``lemmas`` in ``tokens``.

    The places where the first lemma matches are found first (a plain word by equality, the
    fast path: most of an article is skipped at C speed), then the rest is checked there."""
    n = len(lemmas)
    last = len(tokens) - n
    first = lemmas[0]
    if first == NUM:
        starts = [i for i, token in enumerate(tokens) if i <= last and _same(first, token)]
    elif first.isascii() and first.isalpha():  # also the word with a model number: hbm → hbm4
        starts = [
            i
            for i, token in enumerate(tokens)
            if token.startswith(first) and i <= last and _same(first, token)
        ]
    else:
        starts = [i for i, token in enumerate(tokens) if token == first and i <= last]
    out = []
    for i in starts:
        if all(_same(lemmas[k], tokens[i + k]) for k in range(1, n)):
            out.append(" ".join(tokens[i : i + n]))
    return out
