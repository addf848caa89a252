"""What a user asked for that cannot be done: one exception type, shown to the user as one line.

A :class:`UserError` carries a message key (:mod:`bot.present.i18n`) and its values; the surfaces
word it (:func:`bot.present.errors.error_text`), so chat shows it in the channel's language and
the CLI in ``NEWSBOT_LANGUAGE``'s; ``option`` names the command-line option it is about (``--topic``), which the
CLI puts in front.  Services raise it; no surface words its own version of the same mistake.
"""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    def __init__(self, key: str, *, option: str | None = None, **params: Any) -> None:
        self.key = key
        self.option = option
        self.params = params
        super().__init__(key)

    def __str__(self) -> str:  # for logs only: users see bot.present.errors.error_text
        values = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{self.key}({values})" if values else self.key


class NotFound(UserError):
    """The thing named does not exist (CLI exit status 1, not 2)."""


class Forbidden(UserError):
    """The user may not do this (``NEWSBOT_ADMINS``)."""
