"""What a user asked for that cannot be done: one exception type, shown to the user as one line.

A :class:`UserError` carries a message key (:mod:`bot.present.i18n`) and its values, so each
surface shows it in its language (chat the channel's, the CLI ``NEWSBOT_LANGUAGE``'s);
``option`` names the command-line option it is about (``--topic``), which the CLI puts in front.  Services raise it; no surface words its own
version of the same mistake.
"""

from __future__ import annotations

from typing import Any

from bot.present.i18n import t


class UserError(Exception):
    def __init__(self, key: str, *, option: str | None = None, **params: Any) -> None:
        self.key = key
        self.option = option
        self.params = params
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        return t(self.key, lang, **self.params)

    def cli_text(self, lang: str = "en") -> str:
        """The message as the CLI prints it (after ``error: ``)."""
        return f"{self.option}: {self.text(lang)}" if self.option else self.text(lang)


class NotFound(UserError):
    """The thing named does not exist (CLI exit status 1, not 2)."""


class Forbidden(UserError):
    """The user may not do this (``NEWSBOT_ADMINS``)."""
