"""The words of a :class:`~bot.services.errors.UserError`: its message key and values, in a
language (chat: the channel's; the CLI: ``NEWSBOT_LANGUAGE``'s)."""

from __future__ import annotations

from bot.present.i18n import t
from bot.present.problems import fetch_reason
from bot.services.errors import UserError

# the errors whose ``reason`` is a fetch's stored cause (``HTTP 404``), worded in the language too
_FETCH_REASONS = {"feeds.unreadable"}


def error_text(exc: UserError, lang: str) -> str:
    params = exc.params
    if exc.key in _FETCH_REASONS and isinstance(params.get("reason"), str):
        params = {**params, "reason": fetch_reason(params["reason"], lang)}
    return t(exc.key, lang, **params)


def cli_error_text(exc: UserError, lang: str = "en") -> str:
    """The message as the CLI prints it (after ``error: ``)."""
    text = error_text(exc, lang)
    return f"{exc.option}: {text}" if exc.option else text
