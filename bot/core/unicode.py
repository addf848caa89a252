"""Unicode hygiene for untrusted text (feeds, seed files, chat input).

Invisible format characters are removed before text is stored, matched or shown: bidirectional
controls (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C) can make a title read differently
from what it is ("gpj.exe" shown as "exe.jpg"), and zero-width characters (U+200B–U+200D,
U+2060–U+2064, U+FEFF, U+180E, the soft hyphen U+00AD) can split a word so that keyword
matching misses it (엔\u200b비디아) while it still looks whole.  Renderers may add their own
invisible marks afterwards (Slack's word joiner that keeps ``@here`` inert).
"""

from __future__ import annotations

import re
import unicodedata

INVISIBLE = frozenset(
    (
        0x00AD,
        0x061C,
        0x180E,
        0xFEFF,
        *range(0x200B, 0x2010),  # ZWSP, ZWNJ, ZWJ, LRM, RLM
        *range(0x202A, 0x202F),  # LRE, RLE, PDF, LRO, RLO
        *range(0x2060, 0x2065),  # WJ, invisible function application/times/separator/plus
        *range(0x2066, 0x206A),  # LRI, RLI, FSI, PDI
    )
)
_TABLE = dict.fromkeys(INVISIBLE)
_ANY = re.compile("[" + "".join(chr(c) for c in sorted(INVISIBLE)) + "]")


def strip_invisible(text: str) -> str:
    """``text`` without bidirectional controls and zero-width characters."""
    return text.translate(_TABLE) if _ANY.search(text) else text


# NUL (PostgreSQL refuses it in text), the other C0 controls but tab, newline and carriage return
# (no text shows them; XML forbids them), DEL, and lone surrogates (no UTF-8 encoding exists, so
# both PostgreSQL and SQLite refuse them).
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def storable(text: str) -> str:
    """``text`` without the characters a database refuses or no reader could see: NUL and the
    other control characters (tab, newline and carriage return kept) and lone surrogates."""
    return _UNSTORABLE.sub("", text) if _UNSTORABLE.search(text) else text


def has_unstorable(text: str) -> bool:
    return _UNSTORABLE.search(text) is not None


def clean_input(text: str) -> str:
    """A word typed by a user, as stored and matched: invisible characters (bidi controls,
    zero-width) and unstorable ones (NUL, controls, lone surrogates) removed."""
    return storable(strip_invisible(text))


def normalize_text(text: str) -> str:
    """Untrusted text as newsbot keeps it: invisible format characters removed
    (above), NFC."""
    return unicodedata.normalize("NFC", strip_invisible(text))


ELLIPSIS = "…"


def clip(text: str, limit: int) -> str:
    """``text`` as an error message echoes it: whole when it has at most ``limit`` characters,
    else its first ``limit - 1`` and "…", so a cut value never reads as the whole one."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS
