"""The start of a period a user named (``7d``, ``2025-10-01``, ``all``), on the app's clock and
in ``NEWSBOT_TIMEZONE``; the grammar is :mod:`bot.core.periods`."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.periods import PeriodError, looks_like_period, parse_since, span_seconds
from bot.core.unicode import clip
from bot.services.errors import UserError

if TYPE_CHECKING:
    from bot.services.context import ServiceContext


def since(app: ServiceContext, word: str | None, option: str | None = None) -> datetime | None:
    """The start of the period ``word`` names (None: no limit); :class:`UserError` if malformed."""
    try:
        return parse_since(word, app.clock.now(), app.settings.timezone)
    except PeriodError:
        value = clip(word or "", 40)
        if word and span_seconds(word) is not None:  # well written, but before 1970
            raise UserError("since.too_long", option=option, value=value) from None
        if word and looks_like_period(word):  # a date written right that does not exist
            raise UserError("since.no_date", option=option, value=value) from None
        raise UserError("bad_since", option=option, value=value) from None
