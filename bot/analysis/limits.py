"""What one item may cost: the analysed part of its text.

Kiwi, the matcher, entities, the story rule, the search index and briefs read only the first
:data:`ANALYSED_CHARS` characters of an article's body (and :data:`TITLE_CHARS` of its title);
the whole text stays stored and shown.  10,000 characters hold a Korean news report whole (a
wire report runs 1,000–3,000 characters, a long feature 5,000–8,000) and the first 1,500 or so
words of an English one, and what makes a report about a topic, and which story it belongs to,
is in its title and first paragraphs.  Kiwi reads about 10,000–40,000 characters a second on a
busy 2-core machine, so the bound keeps one item's analysis (at ingest, and again for a brief)
near half a second.  Without it, one multi-megabyte item (a CMS that pasted an archive into one
item; the fetch cap is 15 MiB) cost minutes of analysis and hundreds of megabytes, for every
poll and every brief (``bench/bench_big_item.py``).

The cut falls at the last paragraph end (else sentence end) in the last 2,000 characters before
the bound, so no sentence is cut in two when one ends there.
"""

from __future__ import annotations

import re

ANALYSED_CHARS = 10_000
TITLE_CHARS = 300
_LOOK_BACK = 2_000
_SENTENCE_END = re.compile(r"[.!?。…][\"'”’)\]]*\s")


def analysed_body(body: str) -> str:
    """The part of ``body`` that is analysed: all of it up to :data:`ANALYSED_CHARS`, else its
    first :data:`ANALYSED_CHARS` characters cut at a paragraph or sentence end."""
    if len(body) <= ANALYSED_CHARS:
        return body
    head = body[:ANALYSED_CHARS]
    floor = ANALYSED_CHARS - _LOOK_BACK
    paragraph = head.rfind("\n", floor)
    if paragraph > 0:
        return head[:paragraph]
    ends = [m.end() for m in _SENTENCE_END.finditer(head, floor)]
    return head[: ends[-1]].rstrip() if ends else head


def analysed_title(title: str) -> str:
    return title if len(title) <= TITLE_CHARS else title[:TITLE_CHARS]
