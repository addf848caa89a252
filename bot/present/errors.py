"""The words of a :class:`~bot.services.errors.UserError`: its message key and values, in a
language (chat: the channel's; the CLI: ``NEWSBOT_LANGUAGE``'s)."""

from __future__ import annotations

from bot.present.i18n import t
from bot.services.errors import UserError


def error_text(exc: UserError, lang: str) -> str:
    return t(exc.key, lang, **exc.params)


def cli_error_text(exc: UserError, lang: str = "en") -> str:
    """The message as the CLI prints it (after ``error: ``)."""
    text = error_text(exc, lang)
    return f"{exc.option}: {text}" if exc.option else text
