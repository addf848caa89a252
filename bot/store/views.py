"""The item: an article as commands, digests and chat see it (plain data, JSON contract)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class Cluster:
    id: int
    size: int
    sources: list[str]


@dataclass(slots=True)
class Item:
    id: int
    title: str
    url: str | None
    source: str | None
    origin: str
    published: datetime | None
    seen_at: datetime
    body: str
    topics: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    cluster: Cluster | None = None
    silent: bool = False
    snippet: str | None = None
    snippet_hits: list[tuple[int, int]] = field(default_factory=list)

    @property
    def when(self) -> datetime:
        return self.published or self.seen_at

    def evidence_for(self, topic: str) -> list[dict[str, Any]]:
        return [e for e in self.evidence if e.get("topic") == topic]

    def as_json(self, with_body: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "source": self.source,
            "origin": self.origin,
            "published": self.published.isoformat() if self.published else None,
            "topics": list(self.topics),
            "scores": dict(self.scores),
            "evidence": list(self.evidence),
            "entities": list(self.entities),
            "cluster": (
                {"id": self.cluster.id, "size": self.cluster.size, "sources": self.cluster.sources}
                if self.cluster
                else None
            ),
        }
        if self.snippet is not None:
            out["snippet"] = self.snippet
        if with_body:
            out["body"] = self.body
        return out
