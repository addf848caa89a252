"""A draft: an article as a source found it, before the store decides whether it is new."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from bot.core.unicode import normalize_text

SHORT_BODY = 50  # characters: a body this short is taken for boilerplate ("see the original")


def content_hash(title: str, body: str, link: str | None = None) -> str:
    """Identity of an article: its title and body, regardless of whitespace, case and Unicode
    composition; when the body is short (a feed's "see the original" boilerplate) the
    canonical link too, so distinct items sharing a boilerplate description stay distinct."""
    # str.split() and the regex class \s agree on what whitespace is (str.isspace): this is
    # re.sub(r"\s+", " ", text).strip(), at less than half the cost
    body_norm = " ".join(normalize_text(body).split()).lower()
    norm = " ".join(normalize_text(title).split()).lower() + "\n" + body_norm
    if link and len(body_norm) < SHORT_BODY:
        norm += "\n" + link
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class Draft:
    title: str
    body: str
    origin: str  # the feed URL, or the seed file's path as given to `ingest`
    kind: str = "seed"  # "seed" | "feed"
    source: str | None = None  # outlet, or "(feed) name" (bot.config.outlets)
    published_at: datetime | None = None  # aware UTC
    date_only: bool = False  # the source gave a date without a time (published_at: noon KST)
    url: str | None = None
    canonical_url: str | None = None
    identity: str | None = None  # guid (or guid|link) within its feed
    feed_id: int | None = None
    claimed_url: str | None = None  # a link on another outlet's domain: kept, never shown
    owner: str | None = None  # the workspace whose own feed brought it (None: everyone's)
    # an aggregator's <source url="…">name</source> (Google News): the outlet it names
    listed_source: tuple[str | None, str | None] | None = None  # (name, url)

    @property
    def content_hash(self) -> str:
        """The text's identity; a workspace's own item gets one of its own, so it never meets
        (suppresses, or is suppressed by) what other workspaces read."""
        digest = content_hash(self.title, self.body, self.canonical_url or self.claimed_url)
        if self.owner is None:
            return digest
        return hashlib.sha256(f"{self.owner}\n{digest}".encode()).hexdigest()

    @property
    def dedup_url(self) -> str | None:
        """The canonical URL as the store dedups it: a workspace's own item's is its own."""
        if self.canonical_url is None or self.owner is None:
            return self.canonical_url
        return f"{self.owner} {self.canonical_url}"
