"""Labelled sets as JSON Lines (``eval-clusters``, ``eval-briefs``): one reading rule, and a
:class:`UserError` that names the file and the first bad line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.services.errors import UserError


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
