"""A text cut into sentences by its own characters, as offsets (the sentences a brief may quote,
:mod:`bot.analysis.briefs`): at a line break, and after ``. ! ?`` (closing quotes and brackets
kept with it) followed by a space, never inside a “quotation” and never after an abbreviation
(``U.S.``, ``Mr.``), nor before a lower-case Latin word ("… U.S. officials" goes on).  Each
sentence is trimmed of the whitespace around it; nothing else is cut.
"""

from __future__ import annotations

import re
from itertools import pairwise

# a sentence ends after . ! ? and any closing quotes or brackets, before a space
_STOP = re.compile(r"[.!?。？！][”’\"'」』)\]]*(?=\s|$)")
_ABBREV = re.compile(
    r"(?:^|[\s(“\"])(?:[A-Z]|Mr|Mrs|Ms|Dr|Prof|Inc|Corp|Co|Ltd|Jr|Sr|St|vs|No|Gov|Sen|Rep|Gen|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|e\.g|i\.e|etc)\.$"
)


def spans(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` as (start, end) offsets, whitespace trimmed (rules in the
    module docstring)."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        cuts = [0]
        depth = 0
        last = 0
        # (a line that opens no quotation is never inside one: its depth is not counted)
        quoted = "“" in line or "「" in line or "『" in line
        for m in _STOP.finditer(line):
            if quoted:
                depth += _quote_depth(line, last, m.end())
                last = m.end()
            if depth > 0 or _ABBREV.search(line, max(0, m.start() - 8), m.start() + 1):
                continue
            at = m.end()  # the next character past the spaces (no copy of the rest of the line)
            while at < len(line) and line[at].isspace():
                at += 1
            after = line[at : at + 1]
            if after.islower() and after.isascii():
                continue  # "… U.S. officials" goes on
            cuts.append(m.end())
        cuts.append(len(line))
        for a, b in pairwise(cuts):
            piece = line[a:b]
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece.rstrip())
            if trail > lead:
                out.append((pos + a + lead, pos + a + trail))
        pos += len(line) + 1
    return out


def _quote_depth(line: str, a: int, b: int) -> int:
    seg = line[a:b]
    return (
        seg.count("“")
        + seg.count("「")
        + seg.count("『")
        - (seg.count("”") + seg.count("」") + seg.count("』"))
    )
