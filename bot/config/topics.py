"""Topics: loaded from a TOML file (``bot/topics.toml`` or ``NEWSBOT_TOPICS_FILE``).

A user adds a topic by editing the file; no code changes.  The format::

    [topics.hbm]                     # the topic id: letters, digits, underscores
    name = "HBM"                     # shown in chat (Korean)
    name_en = "HBM"                  # shown when the language is English (optional)
    description = "…"                # one line for `topics` (optional)
    threshold = 5.0                  # score an article needs (optional, default 5)
    title_weight = 2.0               # a title hit counts this many times a body hit
    min_sentences = 2                # anchors needed in this many sentences (title counts as 2)
    needs_context = false            # score only sentences that also hold a positive context term
    any = ["core"]                   # rule: at least one of these groups must be present
    all = []                         # rule: every one of these groups must be present
    none = []                        # rule: a sentence with one of these groups counts for nothing
    alert_score = 14.0               # instant alerts for items scoring at least this (optional)

    [topics.hbm.groups]              # alias groups: terms (Korean or English) and their weight
    core = { weight = 3.0, terms = ["HBM", "고대역폭메모리"] }

    [topics.hbm.context]             # terms that raise (+) or lower (-) a sentence's score
    deal = { weight = 1.0, terms = ["공급", "계약"] }
    market = { weight = -3.0, frame = true, terms = ["주가"] }  # in the lead: the whole article

A top-level ``[roundup] terms = [...]`` lists titles of pages that gather many unrelated stories
("오늘의 주요 뉴스"); such a page carries a topic only when its title names the topic.

Terms are analysed by the same Korean analyser as articles, so a term matches inflected forms
(``엔비디아`` matches ``엔비디아가``) and aliases (``GPU`` matches ``그래픽처리장치``).  ``#num``
inside a term matches any number (``#num 만 장`` matches ``26만 장``).  Scoring is described in
:mod:`bot.analysis.matcher`.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core.oserrors import os_reason
from bot.core.problem import Problem

DEFAULT_TOPICS = Path(__file__).resolve().parent.parent / "topics.toml"
_ID = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
# a word written as a topic's id or a watch's name (``apec``, ``gpu-deal``, ``watch:hbm``),
# known or not: a command answers "unknown topic" with the list for one, and its usage line for
# anything else (a number, a Korean word such as 어제부터 that reads as a period, punctuation)
TOPIC_WORD = re.compile(r"(?:watch:)?[a-z_][a-z0-9_\-가-힣]{0,49}")


def looks_like_topic(word: str) -> bool:
    """Whether ``word`` is written as a topic or watch name (it may name none)."""
    return TOPIC_WORD.fullmatch(word.strip().lower()) is not None


class TopicsError(Problem):
    """The topics file cannot be used: a catalog key and its values (``path``; where the file
    is malformed, ``line`` (or None) and ``dotted``, the key).  ``str()`` is the English line
    that names the file, line and key; :func:`bot.present.problems.topics_error_text` words
    it in a language."""


@dataclass(frozen=True)
class Group:
    name: str
    weight: float
    terms: tuple[str, ...]
    frame: bool = False  # a negative context in the lead sentence frames the whole article


@dataclass(frozen=True)
class Topic:
    id: str
    name: str
    name_en: str
    description: str
    threshold: float
    title_weight: float
    min_sentences: int
    needs_context: bool
    any: tuple[str, ...]
    all: tuple[str, ...]
    none: tuple[str, ...]
    groups: tuple[Group, ...]
    context: tuple[Group, ...]
    alert_score: float | None = None

    def label(self, lang: str = "ko") -> str:
        return self.name_en if lang == "en" else self.name

    @property
    def anchor_groups(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.any + self.all))


@dataclass(frozen=True)
class TopicSet:
    topics: tuple[Topic, ...]
    path: str
    digest: str  # hash of the file: stored matches are redone when it changes
    roundup: tuple[str, ...] = ()  # titles of pages that list many unrelated stories
    by_id: dict[str, Topic] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_id.update({t.id: t for t in self.topics})

    def ids(self) -> list[str]:
        return [t.id for t in self.topics]

    def get(self, topic_id: str) -> Topic | None:
        return self.by_id.get(topic_id)


_TOPIC_KEYS = {
    "name",
    "name_en",
    "description",
    "threshold",
    "title_weight",
    "min_sentences",
    "needs_context",
    "any",
    "all",
    "none",
    "groups",
    "context",
    "alert_score",
}


def load_topics(path: str | Path | None = None) -> TopicSet:
    path = Path(path) if path else DEFAULT_TOPICS
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason, values = os_reason(exc)
        english = f"{path}: cannot read: {exc.strerror}"
        raise TopicsError(
            "topics.unreadable", english, path=str(path), reason=reason, **values
        ) from None
    text = raw.decode("utf-8", errors="replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TopicsError(
            "topics.toml", f"{path}: {exc}", path=str(path), detail=str(exc)
        ) from None
    loc = _Locator(path, text)
    topics_table = data.get("topics")
    if not isinstance(topics_table, dict) or not topics_table:
        raise loc.error(["topics"], "topics.no_topics", "needs at least one [topics.<id>] table")
    topics = tuple(_parse_topic(tid, body, loc) for tid, body in topics_table.items())
    roundup = data.get("roundup", {})
    terms = roundup.get("terms", []) if isinstance(roundup, dict) else None
    if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
        raise loc.error(["roundup", "terms"], "topics.not_string_list", "must be a list of strings")
    unknown = sorted(set(data) - {"topics", "roundup"})
    if unknown:
        raise loc.error(
            [unknown[0]], "topics.unknown_table", f"unknown table {unknown[0]!r}", name=unknown[0]
        )
    return TopicSet(
        topics=topics,
        path=str(path),
        digest=hashlib.sha256(raw).hexdigest()[:16],
        roundup=tuple(terms),
    )


def _parse_topic(tid: str, body: Any, loc: _Locator) -> Topic:
    where = ["topics", tid]
    if not _ID.match(tid):
        raise loc.error(where, "topics.bad_id", "topic id must be lower-case letters, digits, _")
    if not isinstance(body, dict):
        raise loc.error(where, "topics.not_table", "must be a table")
    unknown = sorted(set(body) - _TOPIC_KEYS)
    if unknown:
        raise loc.error(
            [*where, unknown[0]],
            "topics.unknown_key",
            f"unknown key {unknown[0]!r}",
            name=unknown[0],
        )
    groups = _parse_groups(body.get("groups"), [*where, "groups"], loc, required=True)
    context = _parse_groups(body.get("context", {}), [*where, "context"], loc, required=False)
    names = {g.name for g in groups}
    rules = {}
    for key in ("any", "all", "none"):
        value = body.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise loc.error([*where, key], "topics.not_group_list", "must be a list of group names")
        for name in value:
            if name not in names:
                raise loc.error(
                    [*where, key], "topics.no_group", f"no group named {name!r}", name=name
                )
        rules[key] = tuple(value)
    if not rules["any"] and not rules["all"]:
        rules["any"] = tuple(g.name for g in groups if g.name not in rules["none"])
    name = _string(body, "name", where, loc, default=tid)
    return Topic(
        id=tid,
        name=name,
        name_en=_string(body, "name_en", where, loc, default=name),
        description=_string(body, "description", where, loc, default=""),
        threshold=_number(body, "threshold", where, loc, 5.0, lo=0.0),
        title_weight=_number(body, "title_weight", where, loc, 2.0, lo=0.0),
        min_sentences=int(_number(body, "min_sentences", where, loc, 2, lo=1)),
        needs_context=_bool(body, "needs_context", where, loc, default=False),
        any=rules["any"],
        all=rules["all"],
        none=rules["none"],
        groups=groups,
        context=context,
        alert_score=(
            _number(body, "alert_score", where, loc, 0.0, lo=0.0) if "alert_score" in body else None
        ),
    )


def _parse_groups(value: Any, where: list[str], loc: _Locator, required: bool) -> tuple[Group, ...]:
    if value is None or (required and not value):
        raise loc.error(where, "topics.no_groups", "needs at least one group of terms")
    if not isinstance(value, dict):
        raise loc.error(where, "topics.not_group_table", "must be a table of groups")
    out = []
    for name, spec in value.items():
        here = [*where, name]
        if not isinstance(spec, dict):
            raise loc.error(here, "topics.bad_group", "must be { weight = …, terms = [ … ] }")
        unknown = sorted(set(spec) - {"weight", "terms", "frame"})
        if unknown:
            raise loc.error(
                [*here, unknown[0]],
                "topics.unknown_key",
                f"unknown key {unknown[0]!r}",
                name=unknown[0],
            )
        terms = spec.get("terms")
        if (
            not isinstance(terms, list)
            or not terms
            or not all(isinstance(t, str) and t.strip() for t in terms)
        ):
            raise loc.error(
                [*here, "terms"], "topics.bad_terms", "must be a non-empty list of strings"
            )
        weight = _number(spec, "weight", here, loc, 1.0, lo=None)
        frame = _bool(spec, "frame", here, loc, default=False)
        out.append(
            Group(name=name, weight=weight, terms=tuple(t.strip() for t in terms), frame=frame)
        )
    return tuple(out)


def _string(body: dict[str, Any], key: str, where: list[str], loc: _Locator, default: str) -> str:
    value = body.get(key, default)
    if not isinstance(value, str):
        raise loc.error([*where, key], "topics.not_string", "must be a string")
    return value


def _bool(body: dict[str, Any], key: str, where: list[str], loc: _Locator, default: bool) -> bool:
    value = body.get(key, default)
    if not isinstance(value, bool):
        raise loc.error([*where, key], "topics.not_bool", "must be true or false")
    return value


def _number(
    body: dict[str, Any],
    key: str,
    where: list[str],
    loc: _Locator,
    default: float,
    lo: float | None,
) -> float:
    value = body.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise loc.error(
            [*where, key], "topics.not_number", f"must be a number, not {value!r}", value=value
        )
    if lo is not None and value < lo:
        raise loc.error([*where, key], "topics.too_small", f"must be at least {lo:g}", lo=lo)
    return float(value)


class _Locator:
    """Finds the line of a key path in the TOML text, for error messages."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def line_of(self, parts: list[str]) -> int | None:
        """The line of ``parts``, or of its nearest enclosing key or table that exists."""
        for n in range(len(parts), 0, -1):
            line = self._find(parts[:n])
            if line is not None:
                return line
        return None

    def _header(self, parts: list[str]) -> int | None:
        pattern = re.compile(r"^\s*\[\s*" + r"\s*\.\s*".join(_key_re(p) for p in parts) + r"\s*\]")
        for i, line in enumerate(self.lines):
            if pattern.match(line):
                return i
        return None

    def _find(self, parts: list[str]) -> int | None:
        header = self._header(parts)
        if header is not None:
            return header + 1
        start = self._header(parts[:-1]) if len(parts) > 1 else -1
        if start is None:
            return None
        key = re.compile(r"(^\s*|[{,]\s*)" + _key_re(parts[-1]) + r"\s*=")
        for i in range(start + 1, len(self.lines)):
            if re.match(r"^\s*\[", self.lines[i]):
                break
            if key.search(self.lines[i]):
                return i + 1
        return None

    def error(self, parts: list[str], key: str, message: str, **values: Any) -> TopicsError:
        """The error ``key`` (a catalog key; ``message``: its English) about ``parts``, with its
        file and line."""
        line = self.line_of(parts)
        at = f" line {line}" if line else ""
        dotted = ".".join(parts)
        english = f"{self.path}:{at}: {dotted}: {message}"
        return TopicsError(key, english, path=str(self.path), line=line, dotted=dotted, **values)


def _key_re(part: str) -> str:
    return r"(?:" + re.escape(part) + r"|\"" + re.escape(part) + r"\")"
