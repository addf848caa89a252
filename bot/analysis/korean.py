"""The Korean analyser: the one module that imports kiwipiepy.

Tokenisation, step by step:

1. The text is NFKC-normalised (full-width letters, circled numbers, compatibility jamo).
2. One shared ``Kiwi`` (loaded once per process, with the user dictionary from
   ``bot/lexicon.toml``) splits it into morphemes; batches go through kiwi's multi-threaded batch
   API.
3. Content morphemes are kept: nouns (NNG NNP NNB NR NP), roots (XR), foreign words (SL), numbers
   (SN), hanja (SH) and verb/adjective stems (VV VA, lemmatised as stem + 다).  A noun suffix stays
   on its noun (주권형, 한국형, 독자적; the plural 들 is dropped).  Particles, endings, prefixes
   and punctuation are dropped.
4. Latin is lower-cased and lightly stemmed (``GPUs`` → ``gpu``, ``secured`` → ``secur``,
   possessives dropped, a few stop words dropped); a Latin run kiwi split apart is joined again
   (``H100``, ``HBM3E``, ``Tennes``+``see``); digit groups lose their commas (``260,000`` →
   ``260000``).
5. Aliases from the lexicon are applied, longest phrase first: ``NVIDIA`` and ``엔비디아`` both
   become ``엔비디아``; ``아시아태평양경제협력체`` and ``에이펙`` become ``apec``; ``인공지능`` becomes
   ``ai``.
6. Each token remembers its surface text and offsets, its sentence number (sentences end at
   ``. ? !`` or a line break; a title is one sentence) and whether it stands inside brackets (an aside).  Phrase matching
   may skip an aside, so ``소버린AI``, ``소버린 AI`` and ``소버린(주권형) AI`` all read as the
   lemmas ``소버린 ai``.
"""

from __future__ import annotations

import sys
import threading
import tomllib
import unicodedata
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.analysis.lemmas import (
    AUX,
    BRACKET,
    CLOSE,
    DROP,
    KEEP,
    NEGATION,
    OPEN,
    STOP,
    SUFFIX,
    SYMBOL,
    Token,
    _new,
    action_of,
    joinable,
    joined,
    lemma_for,
)
from bot.core.unicode import strip_invisible

LEXICON_PATH = Path(__file__).resolve().parent.parent / "lexicon.toml"


@dataclass(frozen=True, slots=True)
class Field:
    text: str  # NFKC text the offsets refer to
    tokens: tuple[Token, ...]
    sentences: int
    lemmas: list[str]  # the tokens' lemmas, in order


@dataclass(frozen=True, slots=True)
class Analysis:
    title: Field
    body: Field


class Lexicon:
    def __init__(self, path: Path = LEXICON_PATH) -> None:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        self.words: list[tuple[str, str]] = [
            (w, tag) for tag, words in data.get("words", {}).items() for w in words
        ]
        self.aliases: dict[str, list[str]] = dict(data.get("aliases", {}))
        self.orgs: dict[str, list[str]] = dict(data.get("orgs", {}))


class Analyser:
    """Wraps one Kiwi.  Thread-safe for analysis; build it once (see :func:`get_analyser`)."""

    def __init__(self, lexicon: Lexicon | None = None, num_workers: int | None = None) -> None:
        from kiwipiepy import Kiwi

        self.lexicon = lexicon or Lexicon()
        self.kiwi = Kiwi(num_workers=num_workers) if num_workers is not None else Kiwi()
        for word, tag in self.lexicon.words:
            self.kiwi.add_user_word(word, tag, 0)
        self._lemma_cache: dict[tuple[str, str], Any] = {}
        # Latin words and numbers by form: (lemma, whether the form ends a sentence)
        self._latin: dict[str, tuple[str | None, bool]] = {}
        self._numbers: dict[str, tuple[str | None, bool]] = {}
        self._by_id: dict[int, Any] = {}  # kiwi morpheme id -> what it becomes (see _learn)
        self._alias: dict[tuple[str, ...], str] = {}
        self._org_lemma: dict[str, str] = {}  # canonical lemma -> display name
        self._variants: dict[str, list[str]] = {}  # canonical lemma -> written forms
        self._build_aliases()

    def _build_aliases(self) -> None:
        groups: list[tuple[str, list[str], str | None]] = [
            (canon, variants, None) for canon, variants in self.lexicon.aliases.items()
        ] + [(name, variants, name) for name, variants in self.lexicon.orgs.items()]
        for canon, variants, display in groups:
            canon_lemma = self._plain_lemma(canon)
            self._variants.setdefault(canon_lemma, []).extend([canon, *variants])
            for variant in [canon, *variants]:
                key = tuple(self._raw_lemmas(variant))
                if key and key != (canon_lemma,):
                    self._alias.setdefault(key, canon_lemma)
            if display:
                self._org_lemma[canon_lemma] = display
        self._alias_starts: dict[str, list[int]] = {}  # first lemma -> phrase sizes, longest first
        for key in self._alias:
            self._alias_starts.setdefault(key[0], []).append(len(key))
        for sizes in self._alias_starts.values():
            sizes.sort(reverse=True)

    def _plain_lemma(self, text: str) -> str:
        return "".join(self._raw_lemmas(text))

    def _raw_lemmas(self, text: str) -> list[str]:
        return [
            t.lemma for t in self._tokens(_normalise(text), self.kiwi.tokenize(_normalise(text)))
        ]

    # -- public API -------------------------------------------------------------------------

    def analyse(self, title: str, body: str) -> Analysis:
        return self.analyse_many([(title, body)])[0]

    def analyse_many(self, docs: Iterable[tuple[str, str]]) -> list[Analysis]:
        return list(self.stream(docs))

    def stream(self, docs: Iterable[tuple[str, str]]) -> Iterator[Analysis]:
        """Analyse (title, body) pairs as one stream through kiwi's batch API.

        Kiwi reads ahead from ``docs`` and tokenises on its own threads (without the GIL) while
        the caller works on the analyses already yielded, so a long run never waits at batch
        boundaries.  ``docs`` may be lazy (e.g. pages read from the store)."""
        waiting: deque[tuple[str, str]] = deque()

        def texts() -> Iterator[str]:
            for title, body in docs:
                pair = (_normalise(title), _normalise(body))
                waiting.append(pair)
                yield pair[0]
                yield pair[1]

        tokens = iter(self.kiwi.tokenize(texts()))
        for title_tokens in tokens:
            body_tokens = next(tokens)
            title, body = waiting.popleft()
            yield Analysis(
                self._field(title, title_tokens, one_sentence=True), self._field(body, body_tokens)
            )

    def lemmas(self, text: str) -> list[str]:
        """Lemmas of a short text (a query or a topic term), aliases applied."""
        return self._field(_normalise(text), self.kiwi.tokenize(_normalise(text))).lemmas

    def lemmas_many(self, texts: Sequence[str]) -> list[list[str]]:
        """:meth:`lemmas` of many short texts, in one batch through kiwi."""
        normal = [_normalise(text) for text in texts]
        return [
            self._field(t, toks).lemmas
            for t, toks in zip(normal, self.kiwi.tokenize(normal), strict=True)
        ]

    def variants(self, lemma: str) -> list[str]:
        """Written forms of a lemma that the lexicon knows (``엔비디아`` → NVIDIA, Nvidia…)."""
        return list(dict.fromkeys(self._variants.get(lemma, [])))

    @property
    def org_names(self) -> dict[str, str]:
        """Canonical lemma → display name of every known organisation."""
        return self._org_lemma

    def _field(self, text: str, toks: Iterable[Any], one_sentence: bool = False) -> Field:
        tokens, lemmas = self._apply_aliases(self._tokens(text, toks), text)
        if one_sentence and tokens and tokens[-1].sent:  # a headline is one sentence
            tokens = [_new(Token, (t[0], t[1], t[2], t[3], 0, t[5])) for t in tokens]
        sentences = (tokens[-1].sent + 1) if tokens else 0
        return Field(text, tuple(tokens), sentences, lemmas)

    def _tokens(self, text: str, toks: Iterable[Any]) -> list[Token]:
        """Kiwi's morphemes to our tokens (the rules are in the module docstring).  This loop
        runs for every morpheme of every article, so it is written for speed: a dictionary
        morpheme (one kiwi id, always the same form and tag) is decided once and remembered by
        id, so most morphemes cost one dict lookup; punctuation, Latin, numbers and unknown
        words (kiwi ids shared by many forms) take the general path."""
        out: list[Token] = []
        append = out.append
        by_id = self._by_id
        lemma_of = self._lemma_cache
        latin, numbers = self._latin, self._numbers
        actions = _ACTIONS
        sent = 0  # the sentence being read
        last_sent = -1  # the sentence of the last token kept
        depth = 0
        prev = None  # the previous morpheme
        next_break = text.find("\n")
        for tok in toks:
            entry = by_id.get(tok.id)
            if entry is None:  # a morpheme id not seen before
                entry = self._learn(tok)
            if entry is _DROPPED:  # particles, endings, most of any text
                prev = tok
                continue
            start = tok.start
            if next_break != -1 and start > next_break:  # a line break ends a sentence
                if last_sent == sent:
                    sent += 1
                next_break = text.find("\n", start)
            if entry.__class__ is str:  # a content morpheme: its lemma
                end = start + tok.len  # .len is a plain field; .end is computed
                append(_new(Token, (entry, text[start:end], start, end, sent, depth > 0)))
                last_sent = sent
                prev = tok
                continue
            if entry is _SUFFIX_ENTRY:
                form = tok.form
                if out and prev is not None and prev.end == start and form != "들":
                    last = out[-1]  # 주권+형 -> 주권형, 한국+형 -> 한국형 (not 한국의)
                    end = tok.end
                    out[-1] = _new(
                        Token,
                        (
                            last.lemma + form,
                            text[last.start : end],
                            last.start,
                            end,
                            last.sent,
                            last.aside,
                        ),
                    )
                prev = tok
                continue
            # the general path: punctuation, Latin, numbers, unknown words
            tag = tok.tag
            if tag == "SL" or tag == "SN":  # Latin words (the commonest case) and numbers
                forms = latin if tag == "SL" else numbers
                form = tok.form
                known = forms.get(form)
                if known is None:  # (lemma, whether it ends a sentence: "Tennessee.")
                    known = (
                        lemma_for(form, tag),
                        tag == "SL" and len(form) > 1 and form[-1] in ".!?",
                    )
                    if len(forms) < LEMMA_CACHE:
                        forms[form] = known
                lemma = known[0]
                end = start + tok.len
                if lemma is None:
                    pass
                elif out and out[-1][3] == start and joinable(out[-1], lemma, tag):
                    out[-1] = joined(out[-1], lemma, text, end)  # "H" "100", "HBM" "3" "E"
                else:
                    append(_new(Token, (lemma, text[start:end], start, end, sent, depth > 0)))
                    last_sent = sent
                if known[1] and last_sent == sent:
                    sent += 1
                prev = tok
                continue
            action = actions.get(tag)
            if action is None:
                action = actions[tag] = action_of(tag)
            if action == KEEP:  # unknown words, hanja
                form = tok.form
                key = (form, tag)
                lemma = lemma_of.get(key, _MISSING)
                if lemma is _MISSING:
                    lemma = lemma_for(form, tag)
                    if len(lemma_of) < LEMMA_CACHE:
                        lemma_of[key] = lemma
                if lemma is not None:  # tuple.__new__ skips NamedTuple's Python constructor
                    end = start + tok.len
                    append(_new(Token, (lemma, text[start:end], start, end, sent, depth > 0)))
                    last_sent = sent
                prev = tok
                continue
            if action == STOP:  # . ? !
                if last_sent == sent:
                    sent += 1
                prev = tok
                continue
            form = tok.form
            if action == BRACKET or (action == SYMBOL and (form in OPEN or form in CLOSE)):
                if form in OPEN:
                    depth += 1
                elif form in CLOSE and depth:
                    depth -= 1
            elif action == AUX and form in NEGATION:
                end = start + tok.len
                append(_new(Token, (form + "다", text[start:end], start, end, sent, depth > 0)))
                last_sent = sent
            prev = tok
        return out

    def _learn(self, tok: Any) -> Any:
        """Decide a morpheme kiwi gave a new id: its lemma (kept), ``_DROPPED``, ``_SUFFIX_ENTRY``
        or ``_GENERAL``.  Only dictionary morphemes are remembered by id: kiwi gives every
        punctuation mark, Latin word, number or unknown word of one kind the same id."""
        tag = tok.tag
        action = _ACTIONS.get(tag)
        if action is None:
            action = _ACTIONS[tag] = action_of(tag)
        if tok.oov or tag.startswith(("S", "W_", "Z", "U")):
            entry: Any = _GENERAL
        elif action == KEEP:
            lemma = lemma_for(tok.form, tag)
            entry = _DROPPED if lemma is None else sys.intern(lemma)
        elif action == SUFFIX:
            entry = _SUFFIX_ENTRY
        elif action == AUX and tok.form in NEGATION:
            entry = sys.intern(tok.form + "다")
        elif action in (AUX, DROP):
            entry = _DROPPED
        else:
            entry = _GENERAL
        if len(self._by_id) < LEMMA_CACHE:
            self._by_id[tok.id] = entry
        return entry

    def _apply_aliases(self, tokens: list[Token], text: str) -> tuple[list[Token], list[str]]:
        """Replace alias phrases by their canonical lemma, longest phrase first; the tokens and
        their lemmas."""
        starts = self._alias_starts
        lemmas = [t[0] for t in tokens]
        if starts.keys().isdisjoint(lemmas):
            return tokens, lemmas  # nothing to replace
        alias = self._alias
        out: list[Token] = []
        done = 0  # tokens before this index are in ``out``
        n = len(tokens)
        for i in [i for i, lemma in enumerate(lemmas) if lemma in starts]:
            if i < done:
                continue  # inside a phrase already replaced
            for size in starts[lemmas[i]]:
                if i + size > n:
                    continue
                canon = alias.get(tuple(lemmas[i : i + size]))
                if canon is not None:
                    first, last = tokens[i], tokens[i + size - 1]
                    out += tokens[done:i]
                    out.append(
                        _new(
                            Token,
                            (
                                canon,
                                text[first.start : last.end],
                                first.start,
                                last.end,
                                first.sent,
                                first.aside,
                            ),
                        )
                    )
                    done = i + size
                    break
        if not done:
            return tokens, lemmas
        out += tokens[done:]
        return out, [t[0] for t in out]


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", strip_invisible(text))


LEMMA_CACHE = 500_000  # (form, tag) -> lemma entries kept
_ACTIONS: dict[str, int] = {}
_MISSING = object()
_DROPPED = object()  # a morpheme that leaves no token
_SUFFIX_ENTRY = object()  # a noun suffix: joins the previous token
_GENERAL = object()  # decided per token (its kiwi id is shared by many forms)
_lock = threading.Lock()
_shared: Analyser | None = None


def get_analyser() -> Analyser:
    """The process-wide analyser (kiwi's model loads once, ~2 s)."""
    global _shared
    if _shared is None:
        with _lock:
            if _shared is None:
                _shared = Analyser()
    return _shared
