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

**Mentions.**  One mention counts once, whichever terms of the watch name it: terms the analyser
reads the same way (aliases such as ``HBM`` and ``고대역폭메모리``) are one concept; each lemma of
the article counts for at most one term (the first that holds it, ``+`` terms first); and a mention
written twice in a row, ``HBM(고대역폭메모리)`` or ``엔비디아(NVIDIA)``, is one mention.  So
adding a synonym never changes what a watch matches.  Evidence shows the words as the article
wrote them (``HBM4``, ``고대역폭 메모리``) where the article's tokens are at hand (``written``),
else the lemmas; :func:`written_in` finds them in stored text without analysing it again.

**Score.**  A distinct concept in the title counts :data:`TITLE_POINTS`; each body mention counts
one, at most :data:`BODY_CAP` per concept.  The article carries the watch when a term is in the
title or the body holds :data:`MIN_BODY_HITS` mentions (a single passing mention is not
enough), every ``+`` term is present, no ``-`` term is, and the score reaches ``min``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

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
    text: str  # the first of the concept's words, as the user wrote it
    lemmas: tuple[str, ...]
    forms: tuple[str, ...] = ()  # every word of the watch read as this concept


class _Token(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class Written(Protocol):
    """An analysed field (:class:`bot.analysis.korean.Field`): its text and tokens' offsets."""

    @property
    def text(self) -> str: ...
    @property
    def tokens(self) -> Sequence[_Token]: ...


Span = tuple[int, int]  # token positions [start, end) of one mention


@dataclass(slots=True)
class CompiledWatch:
    topic: str
    spec: WatchSpec
    terms: list[_Term] = field(default_factory=list)
    required: list[_Term] = field(default_factory=list)
    exclude: list[_Term] = field(default_factory=list)

    @classmethod
    def compile(cls, topic: str, spec: WatchSpec, lemmatise: Lemmatise) -> CompiledWatch:
        def concepts(
            texts: Sequence[str], seen: dict[tuple[str, ...], list[str]]
        ) -> list[tuple[str, ...]]:
            """One term per concept: a term read like an earlier one (an alias) adds nothing
            but its written form."""
            out = []
            for text in texts:
                lemmas = term_lemmas(text, lemmatise)
                if lemmas in seen:
                    seen[lemmas].append(text)
                elif lemmas:
                    seen[lemmas] = [text]
                    out.append(lemmas)
            return out

        def made(
            keys: list[tuple[str, ...]], seen: dict[tuple[str, ...], list[str]]
        ) -> list[_Term]:
            return [_Term(seen[k][0], k, tuple(seen[k])) for k in keys]

        wanted: dict[tuple[str, ...], list[str]] = {}
        required = concepts(spec.required, wanted)  # a term both required and plain is required
        terms = concepts(spec.terms, wanted)
        unwanted: dict[tuple[str, ...], list[str]] = {}
        exclude = concepts(spec.exclude, unwanted)
        return cls(
            topic, spec, made(terms, wanted), made(required, wanted), made(exclude, unwanted)
        )

    def concepts(self) -> list[_Term]:
        """The ``+`` and plain terms, one per concept."""
        return [*self.required, *self.terms]

    def lemma_words(self) -> list[tuple[str, ...]]:
        """The lemmas of the plain and ``+`` terms: an article holding none cannot match."""
        return [t.lemmas for t in (*self.terms, *self.required)]

    def excluded_by(
        self,
        title: Sequence[str],
        body: Sequence[str],
        positions: tuple[Positions, Positions] | None = None,
    ) -> list[str]:
        """The ``-`` terms the article holds (as written)."""
        at_title, at_body = positions or (None, None)
        return [
            t.text
            for t in self.exclude
            if _starts(t.lemmas, title, at_title) or _starts(t.lemmas, body, at_body)
        ]

    def match(
        self,
        title: Sequence[str],
        body: Sequence[str],
        source: str | None = None,
        *,
        ignore_exclusions: bool = False,
        written: tuple[Written, Written] | None = None,
        positions: tuple[Positions, Positions] | None = None,
    ) -> Hit | None:
        """The watch's score and evidence for an article's title and body lemmas, or None when
        it does not carry the watch (rules in the module docstring).  ``written``: the analysed
        title and body the lemmas come from, so evidence quotes the article's own words;
        ``positions``: the :class:`Positions` of the title's and body's lemmas (made once for an
        article that many watches are matched against; the outcome is the same without)."""
        if self.spec.sources and (source or "") not in self.spec.sources:
            return None
        if not ignore_exclusions and self.excluded_by(title, body, positions):
            return None
        at_title, at_body = positions or (None, None)
        concepts = (*self.required, *self.terms)
        in_title = _mentions(concepts, title, at_title)
        in_body = _mentions(concepts, body, at_body)
        for k in range(len(self.required)):
            if not (in_title[k] or in_body[k]):
                return None
        score = 0.0
        body_hits = 0
        evidence: list[dict[str, str]] = []
        for k, term in enumerate(concepts):
            if in_title[k]:
                score += TITLE_POINTS
                where = written[0] if written else None
                evidence.append(
                    self._evidence(term, _surface(in_title[k][0], title, where), "title")
                )
            if in_body[k]:
                body_hits += len(in_body[k])
                score += min(len(in_body[k]), BODY_CAP)
                if not in_title[k]:
                    where = written[1] if written else None
                    evidence.append(
                        self._evidence(term, _surface(in_body[k][0], body, where), "body")
                    )
        if not evidence or not (any(in_title) or body_hits >= MIN_BODY_HITS):
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


def latin_stem(token: str) -> str | None:
    """``hbm3e`` → ``hbm``: the Latin word a token with a model number also matches (as
    :func:`_same` reads it)."""
    for i, ch in enumerate(token):
        if not ch.isalpha():
            stem = token[:i]
            return stem if stem and stem.isascii() and ch.isdigit() else None
    return None


class Positions:
    """Where each lemma of one field (an article's title or body) stands, found in one pass:
    what :func:`_starts` would scan the field for, once for every term of every candidate
    watch.  ``at``: each lemma's positions; ``stem_at``: the positions of a Latin word followed
    by a model number, by the word (``hbm4`` under ``hbm``); ``numbers``: the numbers'."""

    __slots__ = ("at", "numbers", "stem_at")

    def __init__(self, tokens: Sequence[str]) -> None:
        at: dict[str, list[int]] = {}
        stem_at: dict[str, list[int]] = {}
        numbers: list[int] = []
        for i, token in enumerate(tokens):
            found = at.get(token)
            if found is None:
                at[token] = [i]
            else:
                found.append(i)
            if not token.isalpha():  # (a letter is never a digit)
                if _same(NUM, token):
                    numbers.append(i)
                stem = latin_stem(token)
                if stem is not None:
                    stem_at.setdefault(stem, []).append(i)
        self.at = at
        self.stem_at = stem_at
        self.numbers = numbers

    def starts(self, first: str) -> list[int]:
        """The positions where a term's first lemma ``first`` matches, in order."""
        if first == NUM:
            return self.numbers
        found = self.at.get(first, [])
        if first.isascii() and first.isalpha():
            more = self.stem_at.get(first)
            if more:
                return sorted(found + more)
        return found


def _starts(
    lemmas: tuple[str, ...], tokens: Sequence[str], where: Positions | None = None
) -> list[int]:
    """Where ``lemmas`` occur in ``tokens`` (start positions).

    The places where the first lemma matches are found first (a plain word by equality, the
    fast path: most of an article is skipped at C speed; or looked up in ``where``, the
    field's :class:`Positions`), then the rest is checked there."""
    n = len(lemmas)
    last = len(tokens) - n
    first = lemmas[0]
    if where is not None:
        starts = [i for i in where.starts(first) if i <= last]
    elif first == NUM:
        starts = [i for i, token in enumerate(tokens) if i <= last and _same(first, token)]
    elif first.isascii() and first.isalpha():  # also the word with a model number: hbm → hbm4
        starts = [
            i
            for i, token in enumerate(tokens)
            if token.startswith(first) and i <= last and _same(first, token)
        ]
    else:
        starts = [i for i, token in enumerate(tokens) if token == first and i <= last]
    if n == 1:
        return starts  # (a term of one lemma: nothing more to check)
    return [i for i in starts if all(_same(lemmas[k], tokens[i + k]) for k in range(1, n))]


def _mentions(
    terms: Sequence[_Term], tokens: Sequence[str], where: Positions | None = None
) -> list[list[Span]]:
    """Each term's mentions in ``tokens``: a token counts for the first term that holds it, and
    a term's mentions written back to back (``HBM(고대역폭메모리)``) are one mention."""
    taken: set[int] = set()  # positions a term already holds
    found: list[tuple[int, int, int]] = []  # (start, end, term)
    for k, term in enumerate(terms):
        n = len(term.lemmas)
        for i in _starts(term.lemmas, tokens, where):
            span = range(i, i + n)
            if taken.isdisjoint(span):
                taken.update(span)
                found.append((i, i + n, k))
    out: list[list[Span]] = [[] for _ in terms]
    last_end = [-1] * len(terms)
    for start, end, k in sorted(found):
        if start != last_end[k]:  # not the same words again right after: HBM(고대역폭메모리)
            out[k].append((start, end))
        last_end[k] = end
    return out


def _surface(span: Span, lemmas: Sequence[str], written: Written | None) -> str:
    """A mention as the article wrote it (its lemmas when the text is not at hand)."""
    start, end = span
    if written is not None and end <= len(written.tokens):
        text = written.text
        first = written.tokens[start].start
        while first > 0 and text[first - 1].isalnum():  # a prefix kiwi set apart: 고|대역폭
            first -= 1
        return text[first : written.tokens[end - 1].end]
    return " ".join(lemmas[start:end])


def written_in(text: str, forms: Sequence[str]) -> str | None:
    """The first place ``text`` writes one of ``forms``, as it is written there (case aside; a
    space in a form may be missing or repeated; a Latin form also with a model number after it:
    ``HBM`` finds ``HBM4``), or None when it writes none of them."""
    found: tuple[int, int] | None = None
    for form in sorted({f.strip() for f in forms if f.strip() and NUM not in f}, key=len):
        m = _form_pattern(form).search(text)
        if m and (found is None or m.start() < found[0] or m.start() == found[0]):
            found = (m.start(), m.end())
    return text[found[0] : found[1]] if found else None


def _form_pattern(form: str) -> re.Pattern[str]:
    body = r"\s*".join(re.escape(part) for part in form.split())
    if form.isascii():  # a whole Latin word: AI is not the start of AIR; HBM also finds HBM3E
        return re.compile(
            rf"(?<![A-Za-z0-9]){body}(?:[0-9][0-9A-Za-z]*)?(?:'?s)?(?![A-Za-z])", re.IGNORECASE
        )
    return re.compile(body, re.IGNORECASE)
