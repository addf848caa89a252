"""Story briefs (세 줄 요약): at most three sentences quoted exactly from a story's reports.

**Sentences.**  A report's body is cut into sentences by its own text
(:func:`bot.analysis.sentence_spans.spans`): at a line break, and after ``. ! ?`` (closing quotes
and brackets kept with it) followed by a space, never inside a “quotation” and never after an
abbreviation (``U.S.``, ``Mr.``).  A sentence is the verbatim span of the body from its first
character to its last, so a prefix or a leading word (``비공개``, ``무정전``, ``‘제11회``,
``다만``) is always there.  A dateline at its start (``(경주=연합뉴스) 김 기자 =``, ``[앵커]``,
``SEOUL (Reuters) -``) is stepped over; nothing else is cut or rewritten.  Left out: bylines and
credits (``기자``, e-mail, ``무단 전재``, ``사진=``, ``제공``), captions (``사진은 …``, a day then
``…하고 있다.``), lines that are not sentences (under :data:`MIN_CHARS` characters, or without a
verb ending or a full stop), and every copy of a sentence a report repeats (a repeated caption or
teaser).

**Scores.**  A sentence's content lemmas (the analyser's tokens that fall inside its span),
idf-weighted with the story rule's background counts, are compared (cosine) with the story's
centroid: the sum over every report's sentences, so what many reports say weighs most.  To that
are added :data:`FIGURE_BONUS` when the sentence holds a figure, :data:`ACTOR_BONUS` when it names
an organisation of the lexicon, a lead bonus :data:`LEAD_BONUS` / (1 + place in its report), and
:data:`LENGTH_BONUS` per content word up to :data:`LENGTH_CAP` (a sentence that says more).
A sentence that holds a report's whole headline is left out (the digest shows the headline).

**Choice.**  Greedy, up to three: each step takes the sentence whose score plus what it adds to
the brief's coverage is highest.  Coverage: every word of the story weighs (how many reports
use it) ** :data:`SPREAD_POWER` × its idf, and a sentence adds :data:`COVERAGE` × the share of
that weight its words bring that the sentences already chosen do not hold (so the brief says
three things, not one thing three times).  A sentence whose lemma overlap with one already chosen
reaches :data:`SAME` is out.  The constants were chosen on the labelled real stories' tuning half
(ROUGE-1 recall 0.46 → 0.51 at six reports a story, lead-3 0.35); the brief is **shown in the
reports' order**: by report (the caller gives them by report time), then by place in the report; a
sentence several reports carry word for word is quoted from the earliest of them.

The sentences of one report (:class:`Candidate`: span, keys, actor) are computed once, from the
analysis the ingest pipeline already holds, and stored with the article; the choice needs no
model, so a story's brief is made again from stored candidates whenever the story grows.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import mul
from typing import TYPE_CHECKING, Any

from bot.analysis import stories
from bot.analysis.limits import analysed_body
from bot.analysis.sentence_spans import spans
from bot.core.unicode import strip_invisible

if TYPE_CHECKING:
    from bot.analysis.korean import Analyser, Field

MAX_SENTENCES = 3
MAX_REPORTS = 6  # a story's brief is made from its first reports (by report time)
MAX_STORED = 60  # sentences kept per report (a brief draws on the first ones of long bodies)
MIN_CHARS = 20
MAX_CHARS = 400  # briefs-tune 0.514 vs lead-3 0.350 (250: 0.517 vs 0.345, not kept)
FIGURE_BONUS = 0.08
ACTOR_BONUS = 0.05
LEAD_BONUS = 0.05
LENGTH_BONUS = 0.02
LENGTH_CAP = 20
SAME = 0.6
COVERAGE = 8.0
SPREAD_POWER = 2.0

_DATELINE = re.compile(
    r"[\(\[【][^)\]】\n]{1,40}[=＝][^)\]】\n]{0,30}[\)\]】]\s*(?:[^=\n]{0,30}?기자\s*=\s*)?"
)
_ENGLISH_DATELINE = re.compile(r"[A-Z]{2,}[^()\n]{0,60}\([A-Za-z ]{2,30}\)\s*[-–—]\s*")
_BRACKET_BYLINE = re.compile(r"\[[^\]\n]{0,40}(?:기자|특파원)\]\s*")
_MARKER = re.compile(r"(?:\[[^\]\n]{1,8}\]|[▲△■□◆◇●○•·▶☞※-])\s*")
_HANGUL = re.compile(r"[가-힣]")
# a look-ahead on the first characters of its alternatives (case read alike) lets the scan
# skip most positions at once (3x faster): most sentences hold no byline
_JUNK = re.compile(
    r"(?=[기특@무재저자\[사(/=제ⓒ©CAREPGY])"
    r"(기자\s*$|기자\s*=|특파원\s*$|@[\w.-]+\.\w+|무단\s*전재|재배포\s*금지|저작권자|자료사진|"
    r"^\[?사진|사진\s*=|\(사진|/\s*연합뉴스\s*$|=\s*연합뉴스|제공\s*$|ⓒ|©|Copyright|"
    r"All rights reserved|Reporting by|Editing by|Photo:|Photo by|Getty Images|"
    r"AP Photo|AFP via|Yonhap$)",
    re.IGNORECASE,
)
# what a sentence ends with (a verb ending or a full stop; none of them holds a space)
_ENDS = ("다", "요", "음", "함", "임", "됨", ".", "!", "?", '"', "”", "’", "』", "」", ")")
_DIGIT = re.compile(r"\d")
# a photo caption written as a sentence: a day, then "… 하고 있다." at its end
_CAPTION_END = re.compile(r"(고\s?있다|포즈를 취하고 있다|를 하고 있다)\.?$")
_CAPTION_DAY = re.compile(r"\d{1,2}일\s")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One sentence of a report that may stand in a brief: ``body[start:end]`` and its story
    keys (repeats kept: they are the counts)."""

    start: int
    end: int
    keys: tuple[str, ...]
    actor: bool

    def as_json(self) -> list[Any]:
        return [self.start, self.end, " ".join(self.keys), int(self.actor)]

    @classmethod
    def from_json(cls, data: Sequence[Any]) -> Candidate:
        start, end, keys, actor = data
        return cls(int(start), int(end), tuple(str(keys).split()), bool(actor))


@dataclass(frozen=True, slots=True)
class Report:
    """A report as the rule reads it; ``sentences`` as stored (None: not yet analysed)."""

    title: str
    body: str
    sentences: Sequence[Candidate] | None = None


def _opening(body: str, start: int, end: int) -> int | None:
    """The sentence's start once a dateline or marker is stepped over, or None when what is
    left is no sentence of the story."""
    for rule in (_DATELINE, _BRACKET_BYLINE, _ENGLISH_DATELINE, _MARKER):
        m = rule.match(body, start, end)
        if m and m.end() < end:
            start = m.end()
    text = body[start:end]
    squashed = " ".join(text.split())
    if len(squashed) < MIN_CHARS or len(squashed) > MAX_CHARS or _junk(squashed):
        return None
    if squashed.startswith("사진은") or not squashed.endswith(_ENDS):
        return None
    if (
        squashed.endswith(("있다", "있다."))  # what every caption ending ends with
        and _CAPTION_END.search(squashed)
        and _CAPTION_DAY.search(squashed)
    ):
        return None
    return start


def _junk(text: str) -> bool:
    """Whether ``text`` is a byline, a credit or a caption's marker (:data:`_JUNK`)."""
    return _JUNK.search(text) is not None


def candidates(body: str, field: Field, org_names: Mapping[str, str]) -> list[Candidate]:
    """A report's sentences that may stand in a brief, from the analysis of its body (``field``:
    the analyser's tokens of ``body``, whose offsets are in its normalised text)."""
    found = spans(body)
    if not found:
        return []
    to_norm = _offset_map(body, field.text)
    # each token to the sentence its first character falls in: the tokens are in order, so a
    # sentence's tokens are those from the first at or after its start to the next one's first
    if to_norm:
        starts = [tok.start for tok in field.tokens]
        cuts = [bisect_left(starts, to_norm(s)) for s, _ in found]
        cuts.append(len(starts))
    all_lemmas = field.lemmas
    squashed = [_squash(body[s:e]) for s, e in found]
    seen = Counter(squashed)
    no_org = org_names.keys().isdisjoint
    out: list[Candidate] = []
    for i, ((s, e), text) in enumerate(zip(found, squashed, strict=True)):
        if seen[text] > 1:
            continue  # a sentence the report repeats (a caption, a teaser) is none of its news
        start = _opening(body, s, e)
        if start is None:
            continue
        lem = all_lemmas[cuts[i] : cuts[i + 1]] if to_norm else []
        keys = tuple(filter(None, map(stories._key, lem)))
        if len(keys) < 3:
            continue
        out.append(Candidate(start, e, keys, not no_org(lem)))
        if len(out) == MAX_STORED:
            break
    return out


def analyse(report: Report, analyser: Analyser) -> Report:
    """``report`` with its sentences (the analyser run on its body)."""
    if report.sentences is not None:
        return report
    field = analyser.analyse("", analysed_body(report.body)).body
    return Report(report.title, report.body, candidates(report.body, field, analyser.org_names))


@dataclass(slots=True)
class _Sentence:
    text: str
    squashed: str  # the text without its spaces
    weights: dict[str, float]
    norm: float
    place: int
    report: int
    figure: bool
    actor: bool
    keys: frozenset[str]


def choose(reports: Sequence[Report]) -> list[str]:
    """At most three sentences that give the story's gist, in the reports' order (rules in the
    module docstring); no model: every report's ``sentences`` must be given."""
    heads = [h for r in reports if r.title.strip() if (h := _squash(r.title).rstrip("…"))]
    log, idf = math.log, stories.idf
    pool: list[_Sentence] = []
    for r, report in enumerate(reports):
        for place, c in enumerate(report.sentences or ()):
            text = report.body[c.start : c.end]
            squashed = _squash(text)
            if any(map(squashed.__contains__, heads)):
                continue  # the headline already says it
            keys = frozenset(c.keys)
            if len(keys) == len(c.keys):  # each key once (most sentences): its idf
                weights = dict(zip(c.keys, map(idf, c.keys), strict=True))
            else:
                counts: dict[str, int] = {}  # (in the order the keys come, as a Counter)
                for k in c.keys:
                    counts[k] = counts.get(k, 0) + 1
                weights = {
                    k: (1.0 + log(n)) * idf(k) if n > 1 else idf(k)  # (1 + log 1) * x is x
                    for k, n in counts.items()
                }
            values = weights.values()
            pool.append(
                _Sentence(
                    text=text,
                    squashed=squashed,
                    weights=weights,
                    norm=math.sqrt(sum(map(mul, values, values))),
                    place=place,
                    report=r,
                    figure=bool(_DIGIT.search(text)),
                    actor=c.actor,
                    keys=keys,
                )
            )
    if any(_HANGUL.search(s.text) for s in pool):  # a Korean story is told in Korean
        pool = [s for s in pool if _HANGUL.search(s.text)]
    if not pool:
        return []
    centroid: dict[str, float] = {}  # (summed as a Counter would, in the same order)
    summed = centroid.get
    for s in pool:
        for k, w in s.weights.items():
            centroid[k] = w + summed(k, 0)
    # a sentence several reports carry word for word counts in the centroid once per report,
    # and is quoted from the earliest report that has it (so the brief reads in report order)
    firsts: dict[str, _Sentence] = {}
    for s in pool:
        firsts.setdefault(s.squashed, s)
    pool = list(firsts.values())
    values = centroid.values()
    c_norm = math.sqrt(sum(map(mul, values, values))) or 1.0
    centroid_of = centroid.__getitem__

    def score(s: _Sentence) -> float:
        weights = s.weights
        cos = sum(map(mul, weights.values(), map(centroid_of, weights))) / (
            (s.norm or 1.0) * c_norm
        )
        bonus = LEAD_BONUS / (1 + s.place)
        bonus += FIGURE_BONUS if s.figure else 0.0
        bonus += ACTOR_BONUS if s.actor else 0.0
        bonus += LENGTH_BONUS * min(len(s.keys), LENGTH_CAP)
        return cos + bonus

    # how many reports say each word, times its idf: what a reader of every report would retain
    spread: Counter[str] = Counter()
    for report in reports:  # (counted at C speed, in the same order)
        spread.update({k for c in (report.sentences or ()) for k in c.keys})
    worth = {k: (n**SPREAD_POWER) * idf(k) for k, n in spread.items()}
    total = sum(worth.values()) or 1.0
    worth_of = worth.__getitem__
    base = {id(s): score(s) for s in pool}
    chosen: list[_Sentence] = []
    covered: set[str] = set()
    while len(chosen) < MAX_SENTENCES:
        best, best_gain = None, -1.0
        if chosen:  # what is too close to the last one chosen drops out for good
            last = chosen[-1]
            pool = [
                s
                for s in pool
                if s is not last and s.text != last.text and _overlap(s.keys, last.keys) < SAME
            ]
        for s in pool:  # (every key of a sentence is one of the story's: in ``worth``)
            gain = base[id(s)] + COVERAGE * sum(map(worth_of, s.keys - covered)) / total
            if gain > best_gain or (
                gain == best_gain
                and best is not None
                and (s.report, s.place) < (best.report, best.place)
            ):
                best, best_gain = s, gain
        if best is None:
            break
        chosen.append(best)
        covered |= best.keys
    chosen.sort(key=lambda s: (s.report, s.place))
    return [s.text for s in chosen]


def summarise(sources: Sequence[Any]) -> list[str]:
    """The brief of reports as stored (``title``, ``body`` and ``sentences`` as
    :meth:`Candidate.as_json` wrote them), given by report time; no model."""
    return choose(
        [
            Report(src.title, src.body, [Candidate.from_json(c) for c in (src.sentences or ())])
            for src in sources
        ]
    )


def brief(reports: Sequence[Report], analyser: Analyser) -> list[str]:
    """The brief of reports given by report time (the analyser run where sentences are not
    given)."""
    return choose([analyse(r, analyser) for r in reports])


def lead(reports: Sequence[Report], analyser: Analyser, n: int = MAX_SENTENCES) -> list[str]:
    """The baseline: the first ``n`` sentences of the first report (datelines and bylines left
    out the same way)."""
    if not reports:
        return []
    first = analyse(reports[0], analyser)
    return [first.body[c.start : c.end] for c in (first.sentences or ())][:n]


def _offset_map(original: str, normalised: str) -> Any:
    """A function from an offset in ``original`` to the same place in ``normalised`` (the
    analyser's NFKC text), or None when the two cannot be lined up."""
    if original == normalised:
        return lambda at: at
    pos = [0]
    n = 0
    for ch in original:
        n += 1 if ch.isascii() else _width(ch)
        pos.append(n)
    if n < len(normalised):  # (the analysed text may be the body's first part, never more)
        return None
    return pos.__getitem__


@functools.cache
def _width(ch: str) -> int:
    """How many characters ``ch`` becomes in the analyser's text (NFKC, invisibles out)."""
    return len(unicodedata.normalize("NFKC", strip_invisible(ch)))


def _squash(text: str) -> str:
    return "".join(text.split())


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def rouge1_recall(candidate: Sequence[str], reference: Sequence[str], analyser: Analyser) -> float:
    """ROUGE-1 recall over content lemmas: the share of the reference's lemmas (with counts)
    that the candidate holds."""

    def bag(texts: Sequence[str]) -> Counter[str]:
        found: Counter[str] = Counter()
        for text in texts:
            found.update(k for k in map(stories._key, analyser.lemmas(text)) if k)
        return found

    ref, cand = bag(reference), bag(candidate)
    total = sum(ref.values())
    return sum(min(n, cand[k]) for k, n in ref.items()) / total if total else 0.0
