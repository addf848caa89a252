"""Mutes: a channel leaves an outlet's articles, or one story, out of its digests and alerts,
for a while (``for 7d``) or until unmuted.

``/news mute 연합뉴스 for 7d`` mutes an outlet (by the name shown in digests); ``/news mute 123``
or ``#123`` mutes the story article 123 belongs to (every report of it, later ones too).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.core.periods import span_seconds
from bot.core.unicode import clean_input
from bot.services.articles import check_ref
from bot.services.errors import NotFound, UserError
from bot.store.views import Mute, Place

if TYPE_CHECKING:
    from bot.services.context import ServiceContext

MAX_MUTE = timedelta(days=366)
MAX_TARGET = 64  # characters of an outlet name to mute (the longest real ones are ~20)


def target(app: ServiceContext, word: str, tenant: str | None = None) -> tuple[str, str, str]:
    """(kind, value, shown) of what ``word`` names: a story by an article id (shown by its
    title), else an outlet stored articles come from (:class:`UserError` for one never seen);
    ``tenant``: only what that workspace reads."""
    word = clean_input(word).strip()  # invisible and unstorable characters are dropped
    if not word:
        raise UserError("mute.nothing")
    if len(word) > MAX_TARGET:
        raise UserError("mute.too_long", max=MAX_TARGET)
    check_ref(word)
    ref = word[1:] if word.startswith("#") else word
    if ref.isdigit():
        found = app.store.articles([int(ref)], tenant)
        if not found or not app.store.readable(int(ref), tenant):
            raise NotFound("why.missing", ref=word[:40])
        item = found[0]
        story = str(item.cluster.id if item.cluster else item.id)
        return "story", story, f"#{item.id} ‘{item.title[:120]}’"
    outlet = app.store.outlet_named(word[:300])
    if outlet is None:
        raise UserError("mute.unknown_outlet", name=word[:60])
    return "source", outlet, outlet


def mute(
    app: ServiceContext, place: Place, word: str, period: str | None, user: str
) -> tuple[Mute, str]:
    """Mute what ``word`` names in ``place``; returns the mute and what it names as shown (the
    outlet, or the story's article id and title)."""
    kind, value, shown = target(app, word, place.tenant)
    until: datetime | None = None
    if period:
        seconds = span_seconds(period)  # the one duration grammar: 7d, 2주, 12시간, 1.5h
        if seconds is None or not 0 < seconds <= MAX_MUTE.total_seconds():
            raise UserError("mute.bad_period", value=period[:40])
        until = app.clock.now() + timedelta(seconds=seconds)
    app.store.mute(place, kind, value, until, user)
    return Mute(kind, value, until), shown


def unmute(app: ServiceContext, place: Place, word: str | None) -> int:
    """Remove the mute of what ``word`` names (every mute of the channel when None)."""
    if word is None:
        return app.store.unmute(place, None, None)
    word = word.strip()
    ref = word[1:] if word.startswith("#") else word
    if ref.isdigit():
        kind, value, _ = target(app, word, place.tenant)
        return app.store.unmute(place, kind, value)
    return app.store.unmute(place, "source", app.store.outlet_named(word[:300]) or word[:300])


def mutes(app: ServiceContext, place: Place) -> list[Mute]:
    return app.store.mutes(place, app.clock.now())
