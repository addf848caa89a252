"""What a kiwi morpheme becomes: the lemma rules of the analyser (:mod:`bot.analysis.korean`).

Content morphemes are kept (nouns, roots, foreign words, numbers, hanja, verb and adjective stems
as stem + 다); a noun suffix joins its noun; the negating auxiliaries 않/못하 are kept; particles,
endings and punctuation go.  Latin is lower-cased and lightly stemmed; a Latin run kiwi split
apart is joined again.  Kept apart from the analyser so the rules read on their own; the
analyser's hot loop binds these names as globals, so the split costs nothing.
"""

from __future__ import annotations

import re
from typing import NamedTuple

KEEP_TAGS = ("NNG", "NNP", "NNB", "NR", "NP", "XR", "SL", "SN", "SH", "VV", "VA")
NEGATION = {"않", "못하"}  # auxiliaries kept (as 않다, 못하다) so topics can read negation
NNB_STOP = {"것", "수", "바", "데", "듯", "지", "뿐", "줄", "따름", "터", "나름"}
OPEN = {"(", "[", "{", "〔", "【", "〈", "《"}
CLOSE = {")", "]", "}", "〕", "】", "〉", "》"}
ENGLISH_STOP = {
    "the",
    "a",
    "an",
    "of",
    "to",
    "in",
    "on",
    "and",
    "or",
    "for",
    "is",
    "are",
    "was",
    "were",
    "be",
    "by",
    "with",
    "as",
    "at",
    "it",
    "its",
    "this",
    "that",
    "from",
    "s",
    "has",
    "have",
    "had",
    "will",
    "would",
    "their",
    "than",
}


class Token(NamedTuple):  # a tuple: millions are made, and tuples are cheap to build
    lemma: str
    surface: str
    start: int
    end: int
    sent: int
    aside: bool


_new = tuple.__new__
BRACKET, STOP, SUFFIX, KEEP, AUX, SYMBOL, DROP = range(7)  # what action_of decides


def action_of(tag: str) -> int:
    if tag in ("SSO", "SSC"):
        return BRACKET
    if tag == "SF":
        return STOP
    if tag == "XSN":
        return SUFFIX
    if tag.startswith(KEEP_TAGS):
        return KEEP
    if tag == "VX":
        return AUX
    if tag.startswith("S"):
        return SYMBOL  # other punctuation: a bracket kiwi tagged otherwise is still a bracket
    return DROP


_SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))
_ACRONYM_PLURAL = re.compile(r"^[A-Z0-9]{2,}s$")  # GPUs, CPUs, LLMs


def lemma_for(form: str, tag: str) -> str | None:
    if tag == "SL":
        form = form.strip(".,;:!?'\"")
        if form.endswith("'s") or form.endswith("’s"):
            form = form[:-2]
        low = form.lower()
        if not low or low in ENGLISH_STOP:
            return None
        if _ACRONYM_PLURAL.match(form):
            return low[:-1]
        return english_stem(low)
    if tag == "SN":
        return form.replace(",", "")
    if tag == "NNB" and form in NNB_STOP:
        return None
    if tag.startswith(("VV", "VA", "VX")):
        return form + "다"
    return form.replace(" ", "").lower()


def english_stem(word: str) -> str:
    """A light suffix stripper, applied alike to articles, terms and queries, so that
    secure/secured/securing, deal/deals and centre/centres meet."""
    if len(word) <= 4 or not word.isalpha():
        return word
    for suffix, repl in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                break
            word = word[: -len(suffix)] + repl
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def joined(last: Token, lemma: str, text: str, end: int) -> Token:
    """Kiwi split a Latin run ("Tennes" "see.", "H" "100"): one token again, up to ``end``."""
    whole = text[last.start : end]
    return _new(
        Token,
        (
            lemma_for(whole, "SL") or last.lemma + lemma,
            whole.rstrip(".!?"),
            last.start,
            end,
            last.sent,
            last.aside,
        ),
    )


def joinable(prev: Token, lemma: str, tag: str) -> bool:
    """Join ``H``+``100`` and ``HBM``+``3``+``E``: an ASCII run kiwi split apart."""
    return (
        prev.lemma.isascii()
        and prev.lemma.isalnum()
        and lemma.isascii()
        and lemma.isalnum()
        and (tag in ("SN", "SL"))
        and not (prev.lemma.isdigit() and lemma.isdigit())
    )
