"""Reply strings in Korean (default) and English: one catalog, a key per wording.

Chat's wordings are in :mod:`bot.present.messages_chat`, the command line's own in
:mod:`bot.present.messages_cli`, watches', mutes' and the usage lines in
:mod:`bot.present.messages_watch`, problems found below the surfaces (settings, fetches, seed
files) in :mod:`bot.present.messages_problems`; each key is worded once, in both languages, and every surface
that says the same thing uses the same key (issue 24)."""

from __future__ import annotations

from bot.core.particles import fill
from bot.present.messages_chat import CHAT_MESSAGES
from bot.present.messages_cli import CLI_MESSAGES
from bot.present.messages_problems import PROBLEM_MESSAGES
from bot.present.messages_watch import WATCH_MESSAGES

MESSAGES: dict[str, tuple[str, str]] = {}
for _part in (CHAT_MESSAGES, WATCH_MESSAGES, CLI_MESSAGES, PROBLEM_MESSAGES):
    if MESSAGES.keys() & _part.keys():
        raise RuntimeError(f"a key worded twice: {sorted(MESSAGES.keys() & _part.keys())}")
    MESSAGES.update(_part)


def t(key: str, lang: str = "ko", /, **kwargs: object) -> str:
    """The message ``key`` in ``lang``.  In Korean, a particle written as a pair after a
    placeholder (``{name}을(를)``) becomes the one the value takes (``반도체를``, ``삼성을``):
    :mod:`bot.core.particles`.  ``key`` and ``lang`` are positional-only, so a value named
    ``key`` or ``lang`` (``sources.bad_lang``'s) is a placeholder's, never a clash."""
    ko, en = MESSAGES[key]
    if lang == "en":
        return en.format(**kwargs) if kwargs else en
    return fill(ko, kwargs).format(**kwargs) if kwargs else ko
