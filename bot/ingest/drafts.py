"""A draft: an article as a source found it, before the store decides whether it is new."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from bot.ingest.text import content_hash


@dataclass(slots=True)
class Draft:
    title: str
    body: str
    origin: str  # the feed URL, or the seed file's path as given to `ingest`
    kind: str = "seed"  # "seed" | "feed"
    source: str | None = None  # outlet, or "(feed) name" (bot.ingest.outlets)
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
