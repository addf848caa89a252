"""Platform-neutral replies.  Every string in a reply is plain text, possibly untrusted (feed
titles, user input); each renderer escapes it for its platform.  Nothing here knows Slack,
Discord or the terminal."""

from __future__ import annotations

import base64
from dataclasses import asdict, dataclass, field, replace
from typing import Any


@dataclass(slots=True)
class Fact:
    label: str
    value: str


@dataclass(slots=True)
class Link:
    label: str  # untrusted: an outlet's name
    url: str | None


@dataclass(slots=True)
class Story:
    """The other reports of a card's story: a label ("3개 매체") and a link to each."""

    label: str
    links: list[Link] = field(default_factory=list)

    def line(self) -> str:
        return f"{self.label}: " + ", ".join(link.label for link in self.links)


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
    story: Story | None = None  # the story's other outlets, linked


@dataclass(slots=True)
class Section:
    heading: str
    cards: list[Card] = field(default_factory=list)


@dataclass(slots=True)
class Image:
    """A picture a reply carries (a trend chart): uploaded as a file (Slack) or attached to the
    message (Discord); the console writes it to a file."""

    filename: str  # e.g. "trend.png"
    title: str
    data: bytes
    alt: str = ""


@dataclass(slots=True)
class Confirm:
    """A step the user confirms (a watch's preview → save): Slack shows a button, Discord a
    button component, the console the command to type.  ``command`` is the ``/news`` text that
    does it (without ``/news``)."""

    label: str
    command: str


@dataclass(slots=True)
class Reply:
    title: str | None = None
    text: str | None = None
    sections: list[Section] = field(default_factory=list)
    footer: str | None = None
    error: bool = False
    ephemeral: bool = True
    image: Image | None = None
    confirm: Confirm | None = None  # interactive replies only; never stored in the outbox

    @property
    def cards(self) -> list[Card]:
        return [c for s in self.sections for c in s.cards]


def error(message: str) -> Reply:
    return Reply(text=message, error=True)


def reply_to_dict(reply: Reply) -> dict[str, Any]:
    """A reply as JSON-able data, for the outbox (rendering it again gives the same parts); an
    image's bytes as base64."""
    image = reply.image
    data = asdict(replace(reply, image=None, confirm=None))
    data.pop("confirm", None)
    if image is not None:
        data["image"] = {
            "filename": image.filename,
            "title": image.title,
            "alt": image.alt,
            "data": base64.b64encode(image.data).decode("ascii"),
        }
    return data


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
                    story=_story(c.get("story")),
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
        image=_image(data.get("image")),
    )


def _image(data: dict[str, Any] | None) -> Image | None:
    if not data:
        return None
    return Image(
        filename=str(data["filename"]),
        title=str(data.get("title", "")),
        data=base64.b64decode(data["data"]),
        alt=str(data.get("alt", "")),
    )


def _story(data: dict[str, Any] | None) -> Story | None:
    if not data:
        return None
    links = [Link(str(x.get("label", "")), x.get("url")) for x in data.get("links", [])]
    return Story(str(data.get("label", "")), links)
