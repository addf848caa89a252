"""Platform-neutral replies.  Every string in a reply is plain text, possibly untrusted (feed
titles, user input); each renderer escapes it for its platform.  Nothing here knows Slack,
Discord or the terminal."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.config.topics import TopicSet
from bot.present.i18n import t
from bot.services.digests import Digest, DigestEntry
from bot.store.views import Article


@dataclass(slots=True)
class Fact:
    label: str
    value: str


@dataclass(slots=True)
class Card:
    """One story: its title (linked when it has an http(s) URL), a meta line, and facts."""

    id: int
    title: str
    url: str | None
    meta: str
    facts: list[Fact] = field(default_factory=list)
    snippet: str | None = None
    snippet_hits: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class Section:
    heading: str
    cards: list[Card] = field(default_factory=list)


@dataclass(slots=True)
class Reply:
    title: str | None = None
    text: str | None = None
    sections: list[Section] = field(default_factory=list)
    footer: str | None = None
    error: bool = False
    ephemeral: bool = True

    @property
    def cards(self) -> list[Card]:
        return [c for s in self.sections for c in s.cards]


def error(message: str) -> Reply:
    return Reply(text=message, error=True)


def fmt_date(when: datetime | None, tz: str, lang: str) -> str:
    if when is None:
        return t("no_date", lang)
    return when.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


def _why(evidence: list[dict[str, object]], lang: str) -> str:
    parts = []
    seen = set()
    for e in evidence:
        surface = str(e.get("surface") or e.get("term"))
        key = (surface, e.get("field"))
        if key in seen:
            continue
        seen.add(key)
        suffix = f" ({t('title_field', lang)})" if e.get("field") == "title" else ""
        parts.append(surface + suffix)
    return " · ".join(parts)


def _meta(item: Article, topics: TopicSet, tz: str, lang: str, tags: bool = True) -> str:
    bits = [item.source or "?", fmt_date(item.published, tz, lang)]
    if tags and item.topics:
        labels = []
        for tid in item.topics:
            topic = topics.get(tid)
            labels.append(topic.label(lang) if topic else tid)
        bits.append(", ".join(labels))
    bits.append(f"#{item.id}")
    return " · ".join(bits)


def entry_card(entry: DigestEntry, topics: TopicSet, tz: str, lang: str) -> Card:
    item = entry.item
    facts = []
    if entry.why:
        facts.append(Fact(t("why", lang), _why(entry.why, lang)))
    if entry.figures:
        facts.append(Fact(t("figures", lang), " · ".join(entry.figures)))
    if entry.also_sources:
        facts.append(
            Fact(t("also_in", lang, n=len(entry.also_sources)), ", ".join(entry.also_sources))
        )
    return Card(
        id=item.id, title=item.title, url=item.url, meta=_meta(item, topics, tz, lang), facts=facts
    )


def digest_reply(digest: Digest, topics: TopicSet, tz: str, lang: str) -> Reply:
    period = ""
    if digest.since or digest.until:
        period = f"{t('digest.period', lang)}: {fmt_date(digest.since, tz, lang) if digest.since else '…'} – {fmt_date(digest.until, tz, lang) if digest.until else '…'}"
    if not digest.sections:
        return Reply(
            title=t("digest.title", lang),
            text=t("digest.empty", lang),
            footer=period or None,
            ephemeral=False,
        )
    sections = [
        Section(
            heading=f"{s.label} ({len(s.entries)})",
            cards=[entry_card(e, topics, tz, lang) for e in s.entries],
        )
        for s in digest.sections
    ]
    return Reply(
        title=t("digest.title", lang), sections=sections, footer=period or None, ephemeral=False
    )


def search_reply(
    query: str, total: int, items: list[Article], topics: TopicSet, tz: str, lang: str
) -> Reply:
    if not items:
        return Reply(text=t("search.empty", lang, query=query))
    cards = [
        Card(
            id=i.id,
            title=i.title,
            url=i.url,
            meta=_meta(i, topics, tz, lang),
            snippet=i.snippet,
            snippet_hits=list(i.snippet_hits),
        )
        for i in items
    ]
    return Reply(
        title=t("search.title", lang, query=query),
        sections=[Section("", cards)],
        footer=t("search.total", lang, total=total, shown=len(items)),
    )


def why_reply(item: Article, topics: TopicSet, tz: str, lang: str) -> Reply:
    from bot.analysis.entities import describe

    facts = []
    for tid in item.topics:
        topic = topics.get(tid)
        label = topic.label(lang) if topic else tid
        score = item.scores.get(tid, 0)
        facts.append(Fact(f"{label} ({score:g})", _why(item.evidence_for(tid), lang)))
    if not item.topics:
        facts.append(Fact(t("why", lang), t("why.none", lang)))
    figures = [describe(e) for e in item.entities if e.get("kind") != "org"]
    if figures:
        facts.append(Fact(t("figures", lang), " · ".join(figures)))
    orgs = [str(e["text"]) for e in item.entities if e.get("kind") == "org"]
    if orgs:
        facts.append(Fact(t("orgs", lang), ", ".join(orgs)))
    scores = ", ".join(f"{k} {v:g}" for k, v in item.scores.items())
    facts.append(Fact(t("scores", lang), scores or "-"))
    card = Card(
        id=item.id, title=item.title, url=item.url, meta=_meta(item, topics, tz, lang), facts=facts
    )
    return Reply(title=t("why.title", lang, id=item.id), sections=[Section("", [card])])


def topics_reply(topics: TopicSet, lang: str) -> Reply:
    lines = []
    for topic in topics.topics:
        desc = f" — {topic.description}" if topic.description and lang != "en" else ""
        lines.append(
            f"• {topic.id}: {topic.label(lang)}{desc} "
            f"({t('topics.threshold', lang, threshold=topic.threshold)})"
        )
    return Reply(title=t("topics.title", lang), text="\n".join(lines))


def reply_to_dict(reply: Reply) -> dict[str, Any]:
    """A reply as JSON-able data, for the outbox (rendering it again gives the same parts)."""
    return asdict(reply)


def reply_from_dict(data: dict[str, Any]) -> Reply:
    sections = [
        Section(
            heading=s.get("heading", ""),
            cards=[
                Card(
                    id=c["id"],
                    title=c["title"],
                    url=c.get("url"),
                    meta=c.get("meta", ""),
                    facts=[Fact(f["label"], f["value"]) for f in c.get("facts", [])],
                    snippet=c.get("snippet"),
                    snippet_hits=[(a, b) for a, b in c.get("snippet_hits", [])],
                )
                for c in s.get("cards", [])
            ],
        )
        for s in data.get("sections", [])
    ]
    return Reply(
        title=data.get("title"),
        text=data.get("text"),
        sections=sections,
        footer=data.get("footer"),
        error=bool(data.get("error", False)),
        ephemeral=bool(data.get("ephemeral", True)),
    )
