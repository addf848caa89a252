"""What a feed held when it was added: its own title and its item count, in one phrase."""

from __future__ import annotations

from bot.ingest.probe import Probe
from bot.present.i18n import t

MAX_TITLE = 100


def found_text(probe: Probe, lang: str) -> str:
    """``‘테크 데일리’, 3 items now`` (the title is the feed's own words: shortened, one line)."""
    title = " ".join((probe.title or "").split())
    if len(title) > MAX_TITLE:
        title = title[: MAX_TITLE - 1] + "…"
    if not title:
        return t("feeds.found_untitled", lang, n=probe.items)
    return t("feeds.found", lang, title=title, n=probe.items)
