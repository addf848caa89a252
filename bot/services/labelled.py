"""Labelled sets (``eval``, ``eval-clusters``, ``eval-briefs`` and the fit scripts in ``bench/``):
one reader of JSON Lines, a :class:`UserError` that names the file and the first bad line, the
``eval`` examples (JSON Lines, or a folder of case files), and one reading of the ``published``
field as real pages give it.

A labelled set is read as it is: ``published`` may be a date (``2025-10-31``: kept as a date),
a date-time with a zone, a date-time without one (Korean outlets: Korea time, Asia/Seoul), a
year-month (``2025-11``) or a year (``2025``), or missing.  A year-month, a year or nothing is
an *unknown* date (:func:`read_published` gives None): the article is stored undated and the
story rule compares it on its content alone, never as if published the day it was read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.analysis.evaluate import Example
from bot.services.errors import UserError

SEOUL = ZoneInfo("Asia/Seoul")
_PARTIAL = re.compile(r"^\d{4}(-\d{1,2})?$")  # a year, or a year and a month


@dataclass(frozen=True, slots=True)
class LabelledDate:
    at: datetime | None  # aware; None: unknown (missing, or only a year or a month)
    date_only: bool = False  # a date without a time (``at``: noon in Seoul that day)


def read_published(value: object) -> LabelledDate:
    """A labelled row's ``published`` as the store keeps it (see the module docstring);
    ValueError for text that is no date at all."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return LabelledDate(None)
    text = str(value).strip()
    if _PARTIAL.match(text):
        month = text.partition("-")[2]
        if month and not 1 <= int(month) <= 12:
            raise ValueError(f"not a date: {text!r}")
        return LabelledDate(None)
    try:
        at = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    except ValueError:
        raise ValueError(f"not a date: {text!r}") from None
    date_only = len(text) <= 10
    if date_only:
        at = datetime.combine(at.date(), time(12), tzinfo=SEOUL)
    elif at.tzinfo is None:
        at = at.replace(tzinfo=SEOUL)  # a time without a zone: Korea time
    return LabelledDate(at, date_only)


def date_order(value: object) -> tuple[int, str]:
    """Sort key of a labelled ``published``: known dates in time order, then the partial ones
    (a year-month, then a year, each in time order), then missing or unreadable ones."""
    try:
        found = read_published(value)
    except ValueError:
        return (4, "")
    if found.at is not None:
        return (0, found.at.astimezone(ZoneInfo("UTC")).isoformat())
    text = str(value or "").strip()
    if not text:
        return (3, "")
    return (1 if "-" in text else 2, text)


def read_jsonl(path: Path, check: Callable[[dict[str, Any]], None]) -> list[dict[str, Any]]:
    """The objects of a JSON Lines file (blank lines skipped); ``check`` raises ValueError for
    a row that lacks what the caller needs."""
    if not path.is_file():
        raise UserError("stories.no_file", path=str(path))
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError("not an object")
            check(row)
        except ValueError as exc:
            raise UserError("stories.bad_line", path=str(path), line=n, reason=str(exc)) from None
        rows.append(row)
    return rows


def read_examples(path: Path) -> list[Example]:
    """``eval``'s labelled examples: JSON Lines (each line ``id``, ``text``, optional ``title``,
    ``labels``) or a folder of case files (``tests/cases/*.txt``: a ``topics:`` line, optional
    ``title:``/``note:`` lines, a ``---`` line, then the body)."""
    if path.is_dir():
        return [_read_case(p) for p in sorted(path.glob("*.txt"))]
    return [
        Example(
            str(row["id"]),
            str(row.get("title") or ""),
            str(row["text"]),
            [str(x) for x in row["labels"]],
        )
        for row in read_jsonl(path, _check_example)
    ]


def _check_example(row: dict[str, Any]) -> None:
    for key in ("id", "text", "labels"):
        if key not in row:
            raise ValueError(f"missing {key!r}")
    if not isinstance(row["labels"], list):
        raise ValueError("labels must be a list")


def _read_case(path: Path) -> Example:
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    if not sep:
        raise UserError("labels.bad_case", path=str(path), reason="no '---' line after the header")
    meta: dict[str, str] = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        meta[key.strip().lower()] = value.strip()
    if "topics" not in meta:
        raise UserError("labels.bad_case", path=str(path), reason="no 'topics:' line")
    labels = [t.strip() for t in meta["topics"].split(",") if t.strip()]
    return Example(path.stem, meta.get("title", ""), body.strip(), labels)
