"""Platform-neutral replies.  Every string in a reply is plain text, possibly untrusted (feed
titles, user input); each renderer escapes it for its platform.  Nothing here knows Slack,
Discord or the terminal."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


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
