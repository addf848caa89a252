"""The matcher: a pure function from an analysed article to ``[(topic, score, evidence)]``.

**Tokenisation.**  Articles and topic terms go through the same analyser (:mod:`bot.analysis.korean`):
NFKC, kiwi morphemes reduced to content lemmas, Latin lower-cased, aliases applied.  A term is a
sequence of lemmas; it matches consecutive lemmas of the title or of one body sentence, and may
step over an aside in brackets (``소버린(주권형) AI`` matches ``소버린 AI``).  ``#num`` matches any
number.

**Precedence.**  Within a topic every group and context term is looked up at every position; where
hits overlap, the longest hit wins and the shorter one is dropped (``AI 데이터센터`` is one hit, not
``AI`` plus ``데이터센터``).  A sentence that holds a term of a ``none`` group counts for nothing.

**Scoring.**  A sentence with an anchor (a term of an ``any``/``all`` group) scores its best
anchor's weight, plus ``ANCHOR_EXTRA`` for each further distinct anchor, plus the weights of the
distinct context terms in it (negative weights lower it); a topic with ``needs_context`` scores a
sentence only when it also holds a positive context term (a GPU named with no deal word is not a
deal).  Once one anchor sentence reaches ``ESTABLISH`` × threshold, a sentence without an anchor
with two or more distinct context terms weighing ``FOLLOW_MIN`` together (one at least 1) continues
the topic ("the summit", "the deal") at ``FOLLOW_FACTOR`` of their weight.  Context terms of ``frame`` groups in
the title or the lead (first) sentence frame the whole article: their weights are added to every
scoring body sentence (a share-price story that mentions a GPU order).  A ``none`` term in the
title rules the topic out, for the learned model too (a sovereign wealth fund).  The title's score is
multiplied by ``title_weight``.  The article's score adds the sentence scores from best to worst
with diminishing returns (the k-th best counts ``DECAY**k``).  The topic is carried when the rule
holds (each ``all`` group and at least one ``any`` group present), the score reaches
``threshold``, and at least ``min_sentences`` sentences score (the title counts as two): one
sentence that merely names the topic is a passing mention.

**Learned model.**  The rule's verdict then goes through a learned model
(:mod:`bot.analysis.topic_model`, weights in ``topic_model.json`` fitted on real labelled news by
``bench/topics/fit.py``): one logistic regression per topic over the article's lemmas (bridged
across languages, length-normalised) and the rule's score and verdict.  It has the last word with
a margin: a topic the rule did not carry (every topic is scored, anchor or not) is added from
logit ``cutoff`` (``cold_cutoff`` where the rule's score is 0: no anchor sentence scored, and
then only with one of the topic's ``cold_requires`` lemmas, for sovereign_ai a word of the
state); one the rule carried is dropped only below ``veto``.  A topic without learned
weights (a topic of your own file) is decided by the rule alone, and so is every topic when
``topic_model.json`` is absent.  A roundup page still needs the topic in its title.  ``scores``
stay the rule's scores.

**Evidence.**  Each distinct (term, field) that contributed with a weight of at least 1, with its
surface form; title first, then by weight.  A carried topic then shows the learned model's three
strongest lemmas, as ``model: LEMMA +SHARE`` (its share of the logit) with their first surface.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.analysis.korean import Analyser, Analysis, Field
from bot.analysis.lemmas import Token
from bot.analysis.topic_model import TopicModel
from bot.config.topics import Topic, TopicSet

DECAY = 0.6
ANCHOR_EXTRA = 0.5
ESTABLISH = 0.8  # an anchor sentence scoring this share of the threshold establishes the topic
FOLLOW_MIN = 1.5
FOLLOW_FACTOR = 0.5
NUM = "#num"
MAX_ASIDE = 8
MAX_EVIDENCE = 12
LEARNED_EVIDENCE = 3  # the learned model's top lemmas shown as evidence
EVIDENCE_WEIGHT = 1.0  # lighter context terms (정부, 경주 …) raise scores but are not shown


@dataclass(frozen=True, slots=True)
class Evidence:
    topic: str
    term: str  # the term as written in the topics file
    surface: str  # as it appears in the article
    field: str  # "title" | "body"
    weight: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "term": self.term,
            "surface": self.surface,
            "field": self.field,
        }


@dataclass(frozen=True, slots=True)
class TopicMatch:
    topic: str
    score: float
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class Result:
    matches: tuple[TopicMatch, ...]  # the topics the article carries
    scores: dict[str, float]  # every topic's score, carried or not
    roundup: bool = False  # its title says it gathers many stories ("오늘의 주요 뉴스")
    ruled_out: frozenset[str] = frozenset()  # topics a ``none`` term in the title rules out


@dataclass(frozen=True, slots=True)
class _Term:
    lemmas: tuple[str, ...]
    text: str
    group: str
    weight: float
    kind: str  # "anchor" | "none" | "support" (other groups and context terms)
    frame: bool = False


@dataclass(slots=True)  # not frozen: made for every term found, and frozen init is slower
class _Hit:
    term: _Term
    start: int  # token index
    end: int  # token index, exclusive
    surface: str
    sent: int


class CompiledTopic:
    """A topic's terms, indexed by their first lemma (one-lemma terms) and by their first two
    lemmas (longer terms), so each position of an article costs one or two dict lookups."""

    def __init__(self, topic: Topic, analyser: Analyser) -> None:
        self.topic = topic
        anchors = set(topic.anchor_groups)
        nones = set(topic.none)
        self.single: dict[str, list[_Term]] = defaultdict(list)
        self.multi: dict[tuple[str, str], list[_Term]] = defaultdict(list)
        self._seen: set[tuple[str, ...]] = set()
        for group in topic.groups:
            kind = (
                "anchor" if group.name in anchors else "none" if group.name in nones else "support"
            )
            self._add(group.name, group.weight, group.terms, kind, analyser)
        for ctx in topic.context:
            self._add(ctx.name, ctx.weight, ctx.terms, "support", analyser, ctx.frame)
        for terms in self.multi.values():
            terms.sort(key=lambda t: -len(t.lemmas))

    def _add(
        self,
        group: str,
        weight: float,
        terms: tuple[str, ...],
        kind: str,
        analyser: Analyser,
        frame: bool = False,
    ) -> None:
        for text in terms:
            lemmas = term_lemmas(text, analyser.lemmas)
            if not lemmas or lemmas in self._seen:
                continue  # empty, or an alias of a term already listed (GPU / 그래픽처리장치)
            self._seen.add(lemmas)
            term = _Term(lemmas, text, group, weight, kind, frame)
            if len(lemmas) == 1:
                self.single[lemmas[0]].append(term)
            else:
                self.multi[(lemmas[0], lemmas[1])].append(term)


def term_lemmas(text: str, lemmatise: Callable[[str], list[str]]) -> tuple[str, ...]:
    """A term's lemmas as the analyser reads them, with ``#num`` kept as a wildcard for any
    number (topics' terms and watches' alike)."""
    out: list[str] = []
    for i, part in enumerate(text.split(NUM)):
        if i:
            out.append(NUM)
        if part.strip():
            out.extend(lemmatise(part))
    return tuple(out)


class Matcher:
    """Compiles a topic set once; :meth:`match` is then a pure function of the analysis.

    All topics' terms share one index, so an article is walked once for every topic."""

    def __init__(
        self, topics: TopicSet, analyser: Analyser, model: TopicModel | str | None = "stored"
    ) -> None:
        self.topics = topics
        # "stored": the shipped weights (bot/analysis/topic_model.json); None: the rule alone
        self.model: TopicModel | None = (
            TopicModel.load()
            if model == "stored"
            else model
            if isinstance(model, TopicModel)
            else None
        )
        self.compiled = [CompiledTopic(t, analyser) for t in topics.topics]
        self.single: dict[str, list[tuple[int, _Term]]] = defaultdict(list)
        self.multi: dict[tuple[str, str], list[tuple[int, _Term]]] = defaultdict(list)
        for index, ct in enumerate(self.compiled):
            for first, terms in ct.single.items():
                self.single[first].extend((index, t) for t in terms)
            for key, terms in ct.multi.items():
                self.multi[key].extend((index, t) for t in terms)
        for pairs in self.multi.values():
            pairs.sort(key=lambda p: -len(p[1].lemmas))
        self.multi_firsts = {first for first, _ in self.multi}
        self.firsts = set(self.single) | self.multi_firsts  # lemmas that can start a term
        self.roundup = [
            lemmas for t in topics.roundup if (lemmas := term_lemmas(t, analyser.lemmas))
        ]
        self.roundup_firsts = {lemmas[0] for lemmas in self.roundup}

    def match(self, analysis: Analysis) -> Result:
        matches = []
        scores: dict[str, float] = {}
        title = analysis.title.tokens
        roundup = any(
            _match_at(title, i, lemmas) is not None
            for i, tok in enumerate(title)
            if tok.lemma in self.roundup_firsts
            for lemmas in self.roundup
        )
        title_hits = self.hits(analysis.title)
        body_hits = self.hits(analysis.body)
        model = self.model
        features = model.features(analysis) if model is not None else None
        ruled_out = set()
        for index, ct in enumerate(self.compiled):
            tid = ct.topic.id
            evidence: tuple[Evidence, ...] = ()
            if any(h.term.kind == "none" for h in title_hits[index]):
                # the title says it is about something else (a game, a filter, a sovereign
                # wealth fund): neither the rule nor the model may carry it
                ruled_out.add(tid)
                score, ok = 0.0, False
            elif not _has_anchor(title_hits[index]) and not _has_anchor(body_hits[index]):
                score, ok = 0.0, False  # nothing to score: most articles
            else:
                score, evidence, ok = _score_topic(ct, title_hits[index], body_hits[index])
            if model is not None and features is not None and tid not in ruled_out:
                verdict = model.verdict(tid, features, score, ct.topic.threshold, ok)
                if verdict is not None:
                    ok = verdict.carried
                    if ok:
                        learned = _learned_evidence(tid, verdict.top, analysis, model)
                        if roundup and not any(e.field == "title" for e in evidence):
                            ok = False  # a roundup page: its title must name the topic
                        evidence = evidence[: MAX_EVIDENCE - len(learned)] + learned
            if ok and roundup and not any(e.field == "title" for e in evidence):
                ok = False  # a roundup page: one of its many items named the topic
            scores[tid] = round(score, 2)
            if ok:
                matches.append(TopicMatch(tid, round(score, 2), evidence))
        return Result(tuple(matches), scores, roundup, frozenset(ruled_out))

    def hits(self, field: Field) -> list[list[_Hit]]:
        """Every topic's term hits in a field (one list per topic), after precedence."""
        tokens = field.tokens
        text = field.text
        single, multi, multi_firsts = self.single, self.multi, self.multi_firsts
        starts = self.firsts
        found: list[list[_Hit]] = [[] for _ in self.compiled]
        lemmas = field.lemmas
        # most tokens start no term: find the few that may, at C speed
        for i in [i for i, lemma in enumerate(lemmas) if lemma in starts or lemma.isdigit()]:
            tok = tokens[i]
            lemma = lemmas[i]
            firsts = (lemma, NUM) if lemma.isdigit() else (lemma,)
            for first in firsts:
                for index, term in single.get(first, ()):
                    found[index].append(_Hit(term, i, i + 1, tok.surface, tok.sent))
                if first not in multi_firsts:
                    continue
                j = _next(tokens, i)
                if j is None or tokens[j].sent != tok.sent:
                    continue
                second = tokens[j].lemma
                keys = ((first, second), (first, NUM)) if second.isdigit() else ((first, second),)
                for key in keys:
                    for index, term in multi.get(key, ()):
                        end = _match_rest(tokens, j, term.lemmas, tok.sent)
                        if end is not None:
                            start = _number_start(tokens, i) if first == NUM else tok.start
                            surface = text[start : tokens[end - 1].end]
                            found[index].append(_Hit(term, i, end, surface, tok.sent))
        return [_longest_first(hits, len(tokens)) for hits in found]


_NUMBER_PARTS = frozenset("십백천만억조")  # the Korean units inside one written figure


def _number_start(tokens: Sequence[Token], i: int) -> int:
    """Where the figure that token ``i`` (a digit) ends goes back to: ``1만8천장`` is read as
    1, 만, 8, 천, 장, and a term ``#num 천 장`` found at the 8 quotes the whole ``1만8천장``."""
    start = tokens[i].start
    while i > 0:
        before = tokens[i - 1]
        if before.end != start or not (before.lemma.isdigit() or before.lemma in _NUMBER_PARTS):
            break
        start, i = before.start, i - 1
    return start


def _learned_evidence(
    topic: str, top: tuple[tuple[str, float], ...], analysis: Analysis, model: TopicModel
) -> tuple[Evidence, ...]:
    """The model's strongest lemmas as evidence: ``term`` is ``model: LEMMA +SHARE``, the
    surface is the lemma's first written form (title first)."""
    out = []
    for lemma, share in top[:LEARNED_EVIDENCE]:
        surface, field_name = lemma, "body"
        for name, field in (("title", analysis.title), ("body", analysis.body)):
            tok = next(
                (t for t in field.tokens if model.bridge.get(t.lemma, t.lemma) == lemma), None
            )
            if tok is not None:
                surface, field_name = tok.surface, name
                break
        out.append(Evidence(topic, f"model: {lemma} {share:+.2f}", surface, field_name, share))
    return tuple(out)


def _has_anchor(hits: list[_Hit]) -> bool:
    return any(h.term.kind == "anchor" for h in hits)


def _longest_first(hits: list[_Hit], size: int) -> list[_Hit]:
    """Precedence: longest first, then earliest; a hit overlapping a kept one is dropped."""
    if len(hits) < 2:
        return hits
    hits.sort(key=lambda h: (h.start - h.end, h.start))
    taken = bytearray(size)
    kept = []
    for hit in hits:
        if any(taken[hit.start : hit.end]):
            continue
        taken[hit.start : hit.end] = b"\x01" * (hit.end - hit.start)
        kept.append(hit)
    return kept


def _match_rest(
    tokens: tuple[Token, ...], j: int, lemmas: tuple[str, ...], sent: int
) -> int | None:
    """End of a term whose first two lemmas matched, the second at ``j``."""
    for want in lemmas[2:]:
        following = _next(tokens, j)
        if following is None:
            return None
        j = following
        tok = tokens[j]
        if tok.sent != sent or not (tok.lemma == want or (want == NUM and tok.lemma.isdigit())):
            return None
    return j + 1


def _match_at(tokens: tuple[Token, ...], i: int, lemmas: tuple[str, ...]) -> int | None:
    """End of ``lemmas`` matched from position ``i``, or None."""
    first = tokens[i].lemma
    if not (first == lemmas[0] or (lemmas[0] == NUM and first.isdigit())):
        return None
    if len(lemmas) == 1:
        return i + 1
    j = _next(tokens, i)
    if j is None or tokens[j].sent != tokens[i].sent:
        return None
    second = tokens[j].lemma
    if not (second == lemmas[1] or (lemmas[1] == NUM and second.isdigit())):
        return None
    return _match_rest(tokens, j, lemmas, tokens[i].sent)


def _next(tokens: tuple[Token, ...], j: int) -> int | None:
    """The next token, stepping over an aside that opens right after ``j``."""
    n = len(tokens)
    if j + 1 >= n:
        return None
    if tokens[j + 1].aside and not tokens[j].aside:
        k = j + 1
        while k < n and tokens[k].aside and k - j <= MAX_ASIDE:
            k += 1
        if k < n and not tokens[k].aside:
            return k
    return j + 1


def _score_topic(
    ct: CompiledTopic, title_hits: list[_Hit], body_hits: list[_Hit]
) -> tuple[float, tuple[Evidence, ...], bool]:
    topic = ct.topic
    lead = [h for h in body_hits if h.sent == 0]
    frame = sum({h.term.lemmas: h.term.weight for h in title_hits + lead if h.term.frame}.values())
    sentences: list[tuple[str, list[_Hit]]] = []
    for field_name, hits_in_field in (
        ("title", title_hits),
        ("body", body_hits),
    ):
        by_sent: dict[int, list[_Hit]] = defaultdict(list)
        for hit in hits_in_field:
            by_sent[hit.sent].append(hit)
        sentences.extend((field_name, hits) for _, hits in sorted(by_sent.items()))
    raw = [_sentence_score(hits, topic.needs_context) for _, hits in sentences]
    established = max(raw, default=0.0) >= ESTABLISH * topic.threshold
    scores: list[float] = []
    count = 0
    present: set[str] = set()
    evidence: dict[tuple[str, str], Evidence] = {}
    for (field_name, hits), score in zip(sentences, raw, strict=True):
        if score <= 0 and established:
            score = _follow_score(hits)
        if score > 0 and field_name == "body":
            score += frame
        if score <= 0:
            continue
        present.update(h.term.group for h in hits if h.term.kind == "anchor")
        weight = topic.title_weight if field_name == "title" else 1.0
        scores.append(score * weight)
        count += 2 if field_name == "title" else 1
        for h in hits:
            if h.term.kind != "none" and h.term.weight >= EVIDENCE_WEIGHT:
                key = (h.term.text, field_name)
                if key not in evidence:
                    evidence[key] = Evidence(
                        topic.id, h.term.text, h.surface, field_name, h.term.weight
                    )
    scores.sort(reverse=True)
    total = sum(s * DECAY**k for k, s in enumerate(scores))
    rule_ok = all(g in present for g in topic.all) and (
        not topic.any or any(g in present for g in topic.any)
    )
    ranked = sorted(evidence.values(), key=lambda e: (e.field != "title", -e.weight, e.term))[
        :MAX_EVIDENCE
    ]
    carried = rule_ok and total >= topic.threshold and count >= topic.min_sentences
    return total, tuple(ranked), carried


def _follow_score(hits: list[_Hit]) -> float:
    """A sentence without an anchor that keeps talking about an established topic ("the
    summit", "the deal"): two or more distinct positive context terms weighing ``FOLLOW_MIN``
    together, one of them at least 1."""
    if any(h.term.kind in ("none", "anchor") for h in hits):
        return 0.0
    weights = {h.term.lemmas: h.term.weight for h in hits}
    positive = [w for w in weights.values() if w > 0]
    if len(positive) < 2 or sum(positive) < FOLLOW_MIN or max(positive) < 1.0:
        return 0.0
    return FOLLOW_FACTOR * sum(positive) + sum(w for w in weights.values() if w < 0)


def _sentence_score(hits: list[_Hit], needs_context: bool) -> float:
    """One sentence: its best anchor, +0.5 per further distinct anchor, plus every distinct
    context term's weight.  Zero without an anchor, with a ``none`` term, or (for topics that
    need context) without a positive context term."""
    anchors: dict[tuple[str, ...], float] = {}
    context: dict[tuple[str, ...], float] = {}
    for h in hits:
        if h.term.kind == "none":
            return 0.0
        bucket = anchors if h.term.kind == "anchor" else context
        bucket.setdefault(h.term.lemmas, h.term.weight)
    if not anchors:
        return 0.0
    if needs_context and not any(w > 0 for w in context.values()):
        return 0.0
    ordered = sorted(anchors.values(), reverse=True)
    return ordered[0] + ANCHOR_EXTRA * (len(ordered) - 1) + sum(context.values())
