"""Stories: reports of the same event, in any outlet or language, become one story.

**What is compared.**  Each article gets a *profile* from its analysis (:func:`profile`):

- ``orgs``: the organisations it names, by canonical name (NVIDIA = 엔비디아, from the lexicon);
- ``nums``: its significant figures, normalised (``26만 장`` = ``260,000 GPUs`` = 260000,
  ``5000억달러`` = ``$500 billion``): amounts of 1,000 and more, not years or dates;
- ``title``: the content lemmas of its title, English words put into Korean through a small
  bilingual list (:data:`BRIDGE`) so ``supply`` meets ``공급``;
- ``body``: its body's content lemmas with ``1 + log(tf)`` weights (the :data:`BODY_TERMS`
  heaviest), bridged the same way;
- ``when``: publication time; ``dated`` False when the date is unknown (none, or only a year
  or a month): then ``when`` is the ingestion time, an order and nothing more;
- ``actors``: the company a Korean title leads with when no alias list knows it (``한빛테크,
  울산 데이터센터에…``; :func:`actors`); a page without a headline is read by its first sentence;
- its MinHash signature (:mod:`bot.analysis.clusters`) for wire copy and light rewrites.

**The rule** (:mod:`bot.analysis.story_rule`).  A pair within :data:`WINDOW` of each other, or
with either undated (then the content alone decides), is one story when its features, weighted
by logistic regression fitted on the real tuning split, reach a threshold; figures or unknown
companies that clash in the titles make two events however alike the text; otherwise a MinHash
rewrite is one story, and any other pair must share something particular and be worded alike.
Time weighs in: the further apart, the more evidence is needed.

**Assigning.**  Articles are clustered incrementally, in the order they were saved
(:mod:`bot.analysis.story_assign`).  A new article is weighed against each candidate story *as a
whole* (:func:`~bot.analysis.story_assign.choose`): it joins a story when it is a rewrite
(MinHash) of one of its members, or when it passes the rule with one member at least and its
mean score over all the members it can be compared with reaches
:data:`~bot.analysis.story_assign.LINK` (average link; members outside the window have no say, a
member whose figures or unknown company clash with it weighs heavily against); among the stories
that pass, the highest mean score wins.  So A~B and B~C do not make C a report of A's story
unless C is like the story as a whole: different events cannot chain.  Otherwise the article
starts its own story, whose id is its own article id.  The store runs this inside the write
transaction that saves the article (:meth:`bot.store.articles.ArticleQueries.save_analysis`), so
every process and replica sees the stories the others saved, and ``newsbot clusters rebuild``
replays the same order and gets the same result (making profiles of an older :data:`VERSION`
again first).  Candidates come from the ``story_keys`` index (:func:`lookup_keys`:
organisations, figures and rare title words), limited to the window for dated articles; an
undated article's keys are kept apart and looked up whatever the window, and an undated article
looks up every period.  The stories they belong to are then read whole (their latest
``MEMBERS`` reports).
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from itertools import compress, count, takewhile
from operator import attrgetter, mul
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from bot.analysis import clusters
from bot.analysis.entities import korean_number
from bot.analysis.korean import Analysis
from bot.analysis.lemmas import Token

_K = TypeVar("_K")
_V = TypeVar("_V")
DF_PATH = Path(__file__).with_name("story_df.json")
WINDOW = timedelta(days=7)  # reports of one event further apart than this are not compared
BODY_TERMS = 40
MINHASH_SAME = clusters.THRESHOLD  # wire copy and light rewrites
TITLE_KEYS = 6  # title words used to look candidates up
VERSION = 2  # of the profile (``newsbot clusters rebuild`` makes older ones again)

WORDS_PATH = Path(__file__).with_name("story_words.toml")
_WORDS = tomllib.loads(WORDS_PATH.read_text(encoding="utf-8"))
STOP = frozenset(_WORDS["stop"])  # Korean lemmas (and a few stems) that carry no event
# English words to the Korean lemma a Korean report of the same event uses
BRIDGE = {
    english: korean for korean, words in _WORDS["bridge"].items() for english in words.split()
}
BRIDGE_KO = frozenset(BRIDGE.values())  # places, leaders, common words: not a company

# (the lookbehind, no digit, point or comma before the figure, comes after its first digit, so
# the regex engine can skip ahead to the digits)
_NUMBER = re.compile(
    r"(\d(?<![\d.,]\d)[\d,]*(?:\.\d+)?)\s?((?:조|억|만|천)(?:\s?\d[\d,]*(?:\.\d+)?\s?(?:억|만|천))*)?"
    r"(?:\s?(thousand|million|billion|trillion|bn|mn|tn)\b)?",
    re.I,
)
_EN_SCALE = dict(thousand=1e3, million=1e6, mn=1e6, billion=1e9, bn=1e9, trillion=1e12, tn=1e12)
_DATE_AFTER = re.compile(r"\s?(년|월|일|시|분|%|퍼센트|percent|세|살|위|호|차|회|번째)")


_OPINION = re.compile(
    r"^\s*[\[【(<〈]\s*(시론|사설|칼럼|기고|오피니언|데스크|기자\s?수첩|취재\s?수첩|논단|기자의\s?눈|"
    r"특별\s?기고|글로벌\s?포커스|이슈\s?분석|주간|여론조사|[^\]】)>〉]{0,8}브리핑)"
    r"|^\s*(opinion|column|editorial|commentary|analysis and opinion|week ahead|week in review|"
    r"(?:asia|korea) tech week|what to watch|morning bid|the day ahead)\b",
    re.I,
)


def lone_title(title: str, roundup: bool = False) -> bool:
    """A roundup, a column or a poll: it mentions several events and is a story of its own
    (the matcher's roundup titles, bracketed opinion labels such as ``[시론]``, ``Opinion:``)."""
    return roundup or bool(_OPINION.search(title))


@dataclass(slots=True)
class Profile:
    when: datetime  # publication time (ingestion time when undated: then only an order)
    lone: bool = False  # a roundup or column: joins nothing but its own rewrites
    dated: bool = True  # False: the date is unknown (none, or only a year or a month)
    actors: frozenset[str] = frozenset()  # names in the title no alias list knows
    heads: frozenset[str] = frozenset()  # organisations and figures named in the title
    orgs: frozenset[str] = frozenset()
    nums: frozenset[str] = frozenset()
    title: frozenset[str] = frozenset()
    body: dict[str, float] = field(default_factory=dict)  # tf-idf weights (3 decimals)
    # derived from the fields above when the profile is made (a profile is compared many times)
    norm: float = field(init=False, default=0.0)  # the body vector's length
    title_mass: float = field(init=False, default=0.0)  # the title words' idf, summed
    telling: frozenset[str] = field(init=False, default=frozenset())  # title words >= ANCHOR_IDF
    title_nums: frozenset[str] = field(init=False, default=frozenset())  # figures in the title
    words: frozenset[str] = field(init=False, default=frozenset())  # the body's words
    rank: dict[str, int] = field(init=False, default_factory=dict)  # their places in ``body``
    rare: frozenset[str] = field(init=False, default=frozenset())  # body words >= ANCHOR_IDF
    latin: float = field(init=False, default=0.0)  # the share of Latin-script body words

    def __post_init__(self) -> None:
        # (at C speed: a profile is made for every report; ``telling`` and ``rare`` keep the
        # words whose idf is at least ANCHOR_IDF)
        body, weights = self.body, self.body.values()
        self.norm = math.sqrt(sum(map(mul, weights, weights)))
        title = sorted(self.title)
        idfs = list(map(_IDF.__getitem__, title))
        self.title_mass = sum(idfs)
        self.telling = frozenset(compress(title, map(ANCHOR_IDF.__le__, idfs)))
        self.title_nums = self.heads & self.nums
        self.words = frozenset(body)
        self.rank = dict(zip(body, count()))
        self.rare = frozenset(compress(body, map(ANCHOR_IDF.__le__, map(_IDF.__getitem__, body))))
        self.latin = sum(map(str.isascii, body)) / len(body) if body else 0.0

    def as_json(self) -> dict[str, Any]:
        out = _Stored(
            lone=self.lone,
            v=VERSION,
            heads=sorted(self.heads),
            orgs=sorted(self.orgs),
            nums=sorted(self.nums),
            title=sorted(self.title),
            body={k: _ROUNDED[v] for k, v in self.body.items()},
        )
        if not self.dated:
            out["undated"] = True
        if self.actors:
            out["actors"] = sorted(self.actors)
        if out["body"] == self.body:  # as stored (see profile): from_json would give it back
            out.profile = self
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any], when: datetime) -> Profile:
        return cls(
            when=when,
            lone=bool(data.get("lone")),
            dated=not data.get("undated"),
            actors=frozenset(data.get("actors") or ()),
            heads=frozenset(data.get("heads") or ()),
            orgs=frozenset(data.get("orgs") or ()),
            nums=frozenset(map(str, data.get("nums") or ())),
            title=frozenset(data.get("title") or ()),
            body={str(k): float(v) for k, v in (data.get("body") or {}).items()},
        )


class _Stored(dict[str, Any]):
    """A profile's JSON that holds the profile too, so the rule need not parse back the one the
    pipeline has just made."""

    profile: Profile | None = None


class _Memo(dict[_K, _V]):
    """A function of one value, remembered (up to 200,000 values, then forgotten at once); its
    ``__getitem__`` looks a value up at C speed."""

    def __init__(self, function: Callable[[_K], _V]) -> None:
        self.function = function

    def __missing__(self, arg: _K) -> _V:
        if len(self) >= 200_000:
            self.clear()
        value = self[arg] = self.function(arg)
        return value


def _story_word(lemma: str) -> str | None:
    """A lemma as a story word: bridged to Korean, or None when it carries no event."""
    lemma = BRIDGE.get(lemma, lemma)
    if lemma in STOP or lemma.isdigit() or len(lemma) < 2:
        return None
    if lemma.endswith("다") and len(lemma) <= 3:  # short verbs: 늘다, 열다…
        return None
    return lemma


_KEYS = _Memo(_story_word)
_key = _KEYS.__getitem__


def numbers(text: str) -> set[str]:
    """Significant figures in ``text``: amounts of 1,000 and more normalised to 3 significant
    digits (``260000``), and percentages with decimals (``2.5%``: a rate, a share); years,
    dates, times, whole percentages and ordinals are not figures."""
    out: set[str] = set()
    for m in _NUMBER.finditer(text):
        digits, korean, english = m.groups()
        if not korean and not english and len(digits) < 4 and digits.isdecimal():
            continue  # under 1,000 and no decimals (so no rate either): most figures in a text
        after = _DATE_AFTER.match(text, m.end())
        if not korean and not english and after:
            if after.group(1) in ("%", "퍼센트") and "." in digits:
                out.add(f"{float(digits.replace(',', '')):g}%")
            continue
        if korean:
            value = korean_number(digits + korean)
        else:
            try:
                value = float(digits.replace(",", ""))
            except ValueError:
                continue
            if english:
                value *= _EN_SCALE[english.lower()]
        if value is None or value < 1000:
            continue
        if not korean and not english and 1900 <= value <= 2100 and "," not in digits:
            continue  # a year
        out.add(str(_round(value)))
    return out


def _round(value: float) -> int:
    if value <= 0:
        return 0
    digits = math.floor(math.log10(value))
    scale = 10 ** max(0, digits - 2)
    return int(round(value / scale) * scale)


@cache
def _df() -> tuple[int, dict[str, int]]:
    data = json.loads(DF_PATH.read_text(encoding="utf-8"))
    return int(data["documents"]), {str(k): int(v) for k, v in data["df"].items()}


def _idf(word: str) -> float:
    """How telling a story word is: ``log((N + 1) / (df + 1)) + 1`` over the background
    corpus of ``story_df.json`` (a word it does not hold is as telling as the rarest)."""
    n, df = _df()
    return math.log((n + 1) / (df.get(word, 0) + 1)) + 1


_IDF = _Memo(_idf)
idf = _IDF.__getitem__  # (remembered)
# the sort key of a word found once in a body (weight: its idf)
_ONCE: _Memo[str, tuple[float, str]] = _Memo(lambda word: (-_IDF[word], word))
_ROUNDED: _Memo[float, float] = _Memo(lambda weight: round(weight, 3))  # a weight as stored


LEAD = 3  # body sentences whose organisations count as the story's actors
_SENT = attrgetter("sent")  # a token's sentence


def profile(
    analysis: Analysis,
    entities: Sequence[dict[str, Any]],
    when: datetime,
    *,
    org_names: dict[str, str],
    roundup: bool = False,
    dated: bool = True,
) -> Profile:
    """The story profile of an analysed article (see the module docstring); ``org_names`` is
    the analyser's lemma → organisation table, ``roundup`` the matcher's verdict on the title."""
    head = _headline(analysis)
    # (the organisations named, picked out at C speed: the lemmas stand as the tokens do)
    named, org_name = org_names.__contains__, org_names.__getitem__
    heads = set(map(org_name, filter(named, head.lemmas)))
    # the tokens are in reading order: the lead ends at sentence LEAD
    lead_size = len(list(takewhile(LEAD.__gt__, map(_SENT, analysis.body.tokens))))
    lead = set(map(org_name, filter(named, analysis.body.lemmas[:lead_size])))
    orgs = frozenset(heads | lead)  # the actors: named in the title or the lead
    title_nums = numbers(head.text)
    heads |= title_nums
    nums = set(title_nums) | numbers(analysis.body.text)
    for e in entities:
        if e.get("kind") in ("money", "gpu_count") and e.get("value"):
            nums.add(str(_round(float(e["value"]))))
    title = frozenset(sorted(set(filter(None, map(_key, head.lemmas)))))
    counts = Counter(filter(None, map(_KEYS.__getitem__, analysis.body.lemmas)))
    for k in title:  # the title's words count in the body too (short pieces, English wires)
        counts[k] += 1
    # (-weight, word): heaviest first, ties by word; weight (1 + log tf) * idf, just the idf once
    # (sorted whole at C speed: the words are distinct, so this is heapq.nsmallest's list)
    ranked = sorted(
        [_ONCE[k] if n == 1 else (-(1.0 + math.log(n)) * _IDF[k], k) for k, n in counts.items()]
    )
    return Profile(
        when=when,
        lone=lone_title(analysis.title.text, roundup),
        dated=dated,
        actors=actors(head, org_names),
        heads=frozenset(heads),
        orgs=orgs,
        nums=frozenset(nums),
        title=title,
        body={k: _ROUNDED[-w] for w, k in ranked[:BODY_TERMS]},  # as stored
    )


# the title's subject: its first name, before a comma or a subject particle (``한빛테크,``
# ``새솔전자가``), after an optional bracketed label
_SUBJECT = re.compile(
    r"^\s*(?:[\[【(<〈][^\]】)>〉]{0,12}[\]】)>〉]\s*)?"
    r"([가-힣A-Za-z][가-힣A-Za-z0-9&·.-]{1,20}?)(?:\s*,|(?:가|이|는|은|도)\s)"
)


class _Head(NamedTuple):
    text: str
    tokens: Sequence[Token]
    lemmas: Sequence[str]  # the tokens' lemmas


def _headline(analysis: Analysis) -> _Head:
    """The title, or where the page had none (the analyser's title is empty when it was the
    body's first sentence) that first sentence: what the story rule reads as the headline."""
    if analysis.title.tokens or not analysis.body.tokens:
        return _Head(analysis.title.text, analysis.title.tokens, analysis.title.lemmas)
    first = list(takewhile(lambda t: t.sent < 1, analysis.body.tokens))
    text = analysis.body.text[: first[-1].end] if first else ""
    return _Head(text, first, analysis.body.lemmas[: len(first)])


def actors(head: _Head, org_names: dict[str, str]) -> frozenset[str]:
    """The company a Korean title leads with when no alias list knows it (``한빛테크, 울산
    데이터센터에…``): its story words, space-joined; empty for a known organisation, a place
    or a common word (those are compared elsewhere)."""
    m = _SUBJECT.match(head.text)
    if not m:
        return frozenset()
    lemmas = [t.lemma for t in head.tokens if m.start(1) <= t.start < m.end(1)]
    if not lemmas or any(lemma in org_names for lemma in lemmas):
        return frozenset()  # a known organisation (compared as one)
    surface = m.group(1)
    parts = [lemma for lemma in lemmas if len(lemma) > 1 and lemma not in STOP]
    common = all(p in BRIDGE_KO or _IDF[p] < ANCHOR_IDF for p in parts)
    if common and len(surface) <= len("".join(lemmas)):
        return frozenset()  # a place or a common word (정부, 울산시, 업계), read whole
    return frozenset({m.group(1).casefold()})


def lookup_keys(p: Profile) -> list[str]:
    """The keys an article is indexed (and looked up) by in ``story_keys``."""
    keys = [f"o:{o}" for o in sorted(p.orgs)] + [f"n:{n}" for n in sorted(p.nums)]
    title = sorted(p.title, key=_ONCE.__getitem__)[:TITLE_KEYS]  # the telling ones (by idf)
    keys += [f"t:{t}" for t in title]
    return keys


ANCHOR_IDF = 3.0  # a title word in under about one background document in twenty
