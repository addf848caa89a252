"""Story briefs (세 줄 요약): at most three sentences chosen from a story's reports, no model.

**Sentences.**  Each report's body is split into sentences by kiwi (the analyser's sentence
numbers, so the lemmas come with them).  Left out: bylines and credits (``기자``, e-mail,
``무단 전재``, ``[사진]``/``사진=``/``자료사진``, ``제공``), captions (``사진은 …``), lines that are
not sentences (under :data:`MIN_CHARS` characters or without a verb ending or a full stop), photo
captions written as sentences (a day, then ``…하고 있다.``), and
the dateline at the start of a lead (``(경주=연합뉴스) 김 기자 =``) is cut off.

**Scores.**  A sentence's content lemmas, idf-weighted (the story rule's background counts),
are compared (cosine) with the story's centroid: the sum over every report's sentences, so what
many reports say weighs most.  To that are added :data:`FIGURE_BONUS` when the sentence holds a
figure, :data:`ACTOR_BONUS` when it names an organisation of the lexicon, and a lead bonus that
falls with the sentence's place in its report (:data:`LEAD_BONUS` / (1 + place)).

A sentence that holds a report's whole headline is left out (the digest shows the headline).

**Choice.**  Greedy: the best sentence, then the best of the rest whose lemma overlap with every
sentence already chosen stays under :data:`SAME` (no two near-identical sentences from two
outlets), up to three; shown in the order chosen.  English reports count like Korean ones.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.analysis import stories
from bot.analysis.korean import Analyser
from bot.analysis.limits import analysed_body

MAX_SENTENCES = 3
MIN_CHARS = 20
MAX_CHARS = 400
FIGURE_BONUS = 0.08  # chosen on bench/briefs/tune.jsonl (0.61 without, 0.67 with)
ACTOR_BONUS = 0.05
LEAD_BONUS = (
    0.0  # a bonus for early sentences lowered ROUGE-1 on the tuning set (0.67 → 0.63 at 0.1)
)
SAME = 0.6

_DATELINE = re.compile(
    r"^\s*[\(\[【][^)\]】]{1,40}[=＝][^)\]】]{0,30}[\)\]】]\s*(?:[^=]{0,30}?기자\s*=\s*)?"
)
_ENGLISH_DATELINE = re.compile(r"^[A-Z]{2,}[^()]{0,60}\([A-Za-z ]{2,30}\)\s*[-–—]\s*")
_BRACKET_BYLINE = re.compile(r"^\s*\[[^\]]{0,40}기자\]\s*")
_HANGUL = re.compile(r"[가-힣]")
_JUNK = re.compile(
    r"(기자\s*$|기자\s*=|@[\w.-]+\.\w+|무단\s*전재|재배포\s*금지|저작권자|자료사진|^\s*\[?사진|사진\s*=|"
    r"=\s*연합뉴스|제공\s*$|^\s*▶|^\s*☞|Copyright|All rights reserved|Reporting by|Editing by)",
    re.IGNORECASE,
)
_ENDS = re.compile(r"(다|요|음|함|임|됨|[.!?\"”’』」])\s*$")
_DIGIT = re.compile(r"\d")
_CAPTION = re.compile(
    r"\d{1,2}일\s.*(고\s?있다|포즈를 취하고 있다)\.?$"
)  # "… 28일 …에서 연설하고 있다."


@dataclass(frozen=True, slots=True)
class Report:
    title: str
    body: str


@dataclass(slots=True)
class _Sentence:
    text: str
    weights: dict[str, float]
    norm: float
    place: int
    report: int
    figure: bool
    actor: bool
    keys: frozenset[str]


def brief(reports: Sequence[Report], analyser: Analyser) -> list[str]:
    """At most three sentences that give the story's gist (rules in the module docstring)."""
    candidates = sentences(reports, analyser)
    heads = [_squash(r.title).rstrip("…") for r in reports if r.title.strip()]
    candidates = [  # a sentence the headline already gives is not repeated under it
        s for s in candidates if not any(h and h in _squash(s.text) for h in heads)
    ]
    if any(_HANGUL.search(s.text) for s in candidates):  # a Korean story is told in Korean
        candidates = [s for s in candidates if _HANGUL.search(s.text)]
    if not candidates:
        return []
    centroid: Counter[str] = Counter()
    for s in candidates:
        centroid.update(s.weights)
    c_norm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0

    def score(s: _Sentence) -> float:
        cos = sum(w * centroid[k] for k, w in s.weights.items()) / ((s.norm or 1.0) * c_norm)
        bonus = LEAD_BONUS / (1 + s.place)
        bonus += FIGURE_BONUS if s.figure else 0.0
        bonus += ACTOR_BONUS if s.actor else 0.0
        return cos + bonus

    ranked = sorted(candidates, key=lambda s: (-score(s), s.report, s.place))
    chosen: list[_Sentence] = []
    for s in ranked:
        if any(_overlap(s.keys, c.keys) >= SAME for c in chosen):
            continue
        chosen.append(s)
        if len(chosen) == MAX_SENTENCES:
            break
    return [s.text for s in chosen]


def lead(reports: Sequence[Report], analyser: Analyser, n: int = MAX_SENTENCES) -> list[str]:
    """The baseline: the first ``n`` sentences of the first report (datelines and bylines left
    out the same way)."""
    if not reports:
        return []
    return [s.text for s in sentences(reports[:1], analyser)][:n]


def sentences(reports: Sequence[Report], analyser: Analyser) -> list[_Sentence]:
    """The reports' sentences that may stand in a brief, with their lemma weights."""
    orgs = analyser.org_names
    out: list[_Sentence] = []
    for r, report in enumerate(reports):
        body = analyser.analyse("", analysed_body(report.body)).body
        starts: dict[int, int] = {}
        lemmas: dict[int, list[str]] = {}
        for tok in body.tokens:
            starts.setdefault(tok.sent, tok.start)
            lemmas.setdefault(tok.sent, []).append(tok.lemma)
        order = sorted(starts)
        place = 0
        for n, sent in enumerate(order):
            # a sentence runs from its first word to the next sentence's (endings included)
            start = _line_start(body.text, starts[sent])
            end = _line_start(body.text, starts[order[n + 1]]) if n + 1 < len(order) else None
            text = _clean(body.text[start:end])
            if text is None:
                continue
            keys = [k for k in map(stories._key, lemmas[sent]) if k]
            if len(keys) < 3:
                continue
            weights = {k: (1.0 + math.log(n)) * stories.idf(k) for k, n in Counter(keys).items()}
            out.append(
                _Sentence(
                    text=text,
                    weights=weights,
                    norm=math.sqrt(sum(v * v for v in weights.values())),
                    place=place,
                    report=r,
                    figure=bool(_DIGIT.search(text)),
                    actor=any(lemma in orgs for lemma in lemmas[sent]),
                    keys=frozenset(keys),
                )
            )
            place += 1
    return out


def _line_start(text: str, at: int) -> int:
    """Back from a sentence's first word over an opening bracket or quote that belongs to it."""
    while at > 0 and text[at - 1] in "(['\"‘“「『<":
        at -= 1
    return at


def _clean(raw: str) -> str | None:
    """The sentence as shown (dateline cut), or None for a line that is no sentence of the
    story."""
    text = " ".join(raw.split())
    text = _DATELINE.sub("", text)
    text = _BRACKET_BYLINE.sub("", text)
    text = _ENGLISH_DATELINE.sub("", text)
    if len(text) < MIN_CHARS or len(text) > MAX_CHARS or _JUNK.search(text):
        return None
    if text.startswith("사진은") or _CAPTION.search(text) or not _ENDS.search(text):
        return None
    return text


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
