"""Text hygiene both chat renderers share (:mod:`bot.chat.slack.render`,
:mod:`bot.chat.discord.render`): which characters untrusted text loses, how long a text is as the
chat APIs count it, how an escaped text is cut into messages, and how a story's outlets line keeps
within its limit.  Each renderer adds only its own escaping (Slack entities, Discord markdown).

- :func:`clean` drops C0 and C1 control characters (newlines and tabs stay; ``\\r\\n``, ``\\r``, NEL
  and the line and paragraph separators U+2028/U+2029 become a plain ``\\n``, so words either side
  stay apart and a one-line field reads them as a space, and a feed title cannot fake a line of
  our reply where a client would break it), and invisible format characters
  (:func:`bot.core.unicode.strip_invisible`: bidirectional controls, zero-width characters).
- :func:`utf16_len`: Slack and Discord both count UTF-16 code units.
- :func:`pack_lines`: lines already cut into pieces that fit, packed into chunks of at most
  ``limit`` joined by newlines; nothing is dropped.
- :func:`fit_outlets`: the outlets that fit in a line or field, the rest counted as ``(+n)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from bot.core.unicode import strip_invisible

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f]")
BREAKS = re.compile(r"\r\n|[\r\x85\u2028\u2029]")  # other line ends, read as a plain new line


def utf16_len(text: str) -> int:
    """Length as Slack and Discord count it (UTF-16 code units, >= code points)."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def clean(text: str) -> str:
    """``text`` without control characters, line/paragraph separators and invisible format
    characters; line ends as ``\\n``."""
    return CONTROL.sub("", BREAKS.sub("\n", strip_invisible(text)))


def one_line(text: str) -> str:
    """:func:`clean`, with every run of white space (line ends too) as one space."""
    return " ".join(clean(text).split())


def pack_lines(
    lines: Iterable[Sequence[str]], limit: int, size: Callable[[str], int] = utf16_len
) -> list[str]:
    """Each line given as the pieces it was cut into (each fits ``limit``; a line that fits
    whole is one piece), packed into chunks of at most ``limit``: whole lines are joined by
    ``\\n`` while they fit; a cut line's pieces each start a chunk.  Blank chunks are left out."""
    chunks: list[str] = []
    current, used = "", 0
    for pieces in lines:
        for piece in pieces or [""]:
            extra = size(piece)
            if current and used + 1 + extra <= limit and len(pieces) <= 1:
                current, used = current + "\n" + piece, used + 1 + extra
                continue
            if current:
                chunks.append(current)
            current, used = piece, extra
    if current:
        chunks.append(current)
    return [c.strip("\n") for c in chunks if c.strip()]


def fit_outlets(
    pieces: Sequence[str], room: int, size: Callable[[str], int] = utf16_len, sep: str = " · "
) -> list[str]:
    """The leading ``pieces`` whose total (with ``sep`` between) fits ``room`` with the count
    of the rest, which ends the list as ``(+n)`` when some do not fit."""
    out: list[str] = []
    used = 0
    for n, piece in enumerate(pieces):
        more = f"(+{len(pieces) - n})"
        if used + size(piece) + len(sep) + len(more) > room:
            out.append(more)
            break
        out.append(piece)
        used += size(piece) + len(sep)
    return out
