"""What the store returns: typed, plain-data views (never ORM rows, dicts or bare tuples).

:class:`Article` is an article as commands, digests and chat see it (its ``as_json`` is the JSON
contract); the rest are the views of feeds, chat destinations, subscriptions and the outbox, and
the records the analysis pipeline exchanges with the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.redact import redact_url

SEOUL = ZoneInfo("Asia/Seoul")


@dataclass(frozen=True, slots=True)
class TrendRow:
    """An article a trend picture counts under one topic: its story and when it ran."""

    topic: str
    article_id: int
    story: int  # the story's id (its first report's), the article's own when alone
    source: str | None
    at: datetime  # publication, else ingestion
    title: str
    dated: bool = True  # False: no publication time, `at` is when it was ingested


@dataclass(slots=True)
class StoryMember:
    """One report of a story, as a digest links to it."""

    id: int
    title: str
    url: str | None
    source: str | None
    published: datetime | None
    published_date_only: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "source": self.source,
            "published": published_iso(self.published, self.published_date_only),
        }


@dataclass(slots=True)
class Cluster:
    """The story an article belongs to: its id (the first report's), every report of it."""

    id: int
    size: int
    sources: list[str]
    members: list[StoryMember] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "size": self.size,
            "sources": self.sources,
            "members": [m.as_json() for m in self.members],
        }


@dataclass(slots=True)
class Article:
    id: int
    title: str
    url: str | None
    source: str | None
    origin: str
    published: datetime | None
    seen_at: datetime
    body: str
    published_date_only: bool = False  # the source gave a date alone
    topics: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    cluster: Cluster | None = None
    silent: bool = False
    snippet: str | None = None
    snippet_hits: list[tuple[int, int]] = field(default_factory=list)
    brief: list[str] = field(default_factory=list)  # the story's stored 세 줄 요약

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
            "published": published_iso(self.published, self.published_date_only),
            "topics": list(self.topics),
            "scores": dict(self.scores),
            "evidence": list(self.evidence),
            "entities": list(self.entities),
            "cluster": self.cluster.as_json() if self.cluster else None,
        }
        if self.brief:
            out["brief"] = list(self.brief)
        if self.snippet is not None:
            out["snippet"] = self.snippet
        if with_body:
            out["body"] = self.body
        return out


@dataclass(slots=True)
class AnalysedRecord:
    """What the pipeline learned about one article."""

    id: int
    topics_hash: str
    scores: dict[str, float]
    matches: list[tuple[str, float, list[dict[str, Any]]]]
    entities: list[dict[str, Any]]
    title_terms: str
    body_terms: str
    when: datetime | None = None  # publication (or ingestion) time, for the date filter
    minhash: bytes | None = None
    story: dict[str, Any] | None = None  # the story profile (bot.analysis.stories)
    story_keys: list[str] = field(default_factory=list)  # what later reports look it up by
    brief_sentences: list[Any] | None = None  # the sentences a brief may quote (analysis.briefs)


@dataclass(frozen=True, slots=True)
class BriefSource:
    """A report as a brief is made from it: its stored sentences (None: never analysed for
    briefs) are offsets into its body."""

    title: str
    body: str
    sentences: list[Any] | None


@dataclass(slots=True)
class StoryCandidate:
    """An earlier article a new one may be another report of."""

    id: int
    cluster_id: int
    when: datetime
    story: dict[str, Any]
    minhash: bytes | None


@dataclass(slots=True)
class PendingArticle:
    id: int
    title: str
    body: str
    source: str | None
    seen_at: datetime
    published_at: datetime | None = None

    @property
    def when(self) -> datetime:
        return self.published_at or self.seen_at


@dataclass(slots=True)
class Window:
    """Which items a digest covers.  ``since``/``until`` filter the publication time (ingestion
    time when undated); ``seen_since``/``seen_until`` the ingestion time (scheduled digests).
    Silent items (a new feed's first poll) are searchable but never digested, so
    ``include_silent`` is off unless a caller asks for them."""

    topics: Sequence[str] = ()
    since: datetime | None = None
    until: datetime | None = None
    seen_since: datetime | None = None
    seen_until: datetime | None = None
    include_silent: bool = False
    ids: Sequence[int] = field(default_factory=tuple)
    tenant: str | None = None  # a workspace ("slack:T1"): only what it may read; None: all


@dataclass(slots=True)
class Feed:
    id: int
    url: str
    name: str | None
    interval_s: int
    etag: str | None
    last_modified: str | None
    next_due_at: datetime | None
    last_polled_at: datetime | None
    last_ok_at: datetime | None
    consecutive_errors: int
    last_error: str | None
    disabled: bool
    disabled_reason: str | None
    first_poll_done: bool
    last_new_items: int
    disabled_at: datetime | None = None
    owner: str | None = None  # the chat workspace that added it ("slack:T1"); None: operator's
    shared: bool = False  # an operator let every workspace read it
    kind: str = "rss"  # "rss", or a keyword source: "google" | "naver"
    query: str | None = None  # a keyword source's query
    lang: str | None = None  # a keyword source's language (ko | en)

    @property
    def is_source(self) -> bool:
        """A keyword source (Google News, Naver) rather than a feed named by its URL."""
        return self.kind != "rss"

    @property
    def everyone(self) -> bool:
        """Whether every workspace reads its items (the operator's feed, or a shared one)."""
        return self.owner is None or self.shared

    @property
    def health(self) -> str:
        if self.disabled:
            return "disabled"
        if self.consecutive_errors:
            return "failing"
        if self.last_ok_at is None:
            return "new"
        return "ok"

    @property
    def shown_url(self) -> str:
        """The URL with any password in it hidden: what chat, logs and listings show."""
        return redact_url(self.url)

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        if self.is_source:
            return f"{SOURCE_KINDS.get(self.kind, self.kind)} “{self.query}”"
        return self.shown_url


SOURCE_KINDS = {"google": "Google News", "naver": "Naver"}


@dataclass(frozen=True, slots=True)
class Place:
    """Where a message goes: platform, workspace (team or guild; "" for none), channel."""

    platform: str
    workspace: str
    channel: str

    @property
    def tenant(self) -> str | None:
        """Whose feeds this place reads: ``platform:workspace``; None on the console (the
        operator's, which reads every feed)."""
        return None if self.platform == "console" else f"{self.platform}:{self.workspace}"

    def __str__(self) -> str:
        return f"{self.platform}:{self.workspace + '/' if self.workspace else ''}{self.channel}"


@dataclass(slots=True)
class Destination:
    id: int
    place: Place
    language: str | None
    paused_at: datetime | None
    paused_reason: str | None


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a subscription's digest goes out, and whether big stories alert at once."""

    digest_time: str  # HH:MM local
    timezone: str
    alerts: bool
    days: str = "daily"  # "daily" | "weekdays" (Monday to Friday, Korean public holidays off)


@dataclass(slots=True)
class Subscription:
    id: int
    destination: Destination
    topic: str
    digest_time: str
    timezone: str
    alerts: bool
    created_at: datetime
    days: str = "daily"

    @property
    def schedule(self) -> Schedule:
        return Schedule(self.digest_time, self.timezone, self.alerts, self.days)


@dataclass(slots=True)
class Delivery:
    id: int
    destination_id: int
    place: Place
    kind: str
    key: str
    payload: dict[str, Any]
    attempts: int
    parts_sent: int
    created_at: datetime
    status: str = "pending"


@dataclass(frozen=True, slots=True)
class Claim:
    """A sender holds an outbox row to post one part of it."""

    delivery_id: int
    part: int
    uncertain: bool  # an earlier attempt at this part may have arrived: look before posting
    taken_over: bool  # another sender held the row before (its claim ran out)


@dataclass(slots=True)
class OutboxEntry:
    """An outbox row as an operator (or a test) inspects it."""

    id: int
    destination_id: int
    kind: str
    key: str
    status: str  # pending | sent | dead
    attempts: int
    parts_sent: int
    message_ids: list[str]
    last_error: str | None


@dataclass(slots=True)
class AlertFacts:
    """What the planner needs to decide an alert, without the article's body."""

    id: int
    scores: dict[str, float]
    entities: list[dict[str, Any]]
    cluster_id: int


@dataclass(slots=True)
class SearchHits:
    total: int  # every hit
    ids: list[int]  # the page asked for, best first


def published_iso(when: datetime | None, date_only: bool) -> str | None:
    """A publication time as the JSON contract shows it: ISO 8601, and a date alone stays a
    date (``2025-10-31``, its day in Seoul), never an invented midnight."""
    if when is None:
        return None
    if date_only:
        return when.astimezone(SEOUL).date().isoformat()
    return when.isoformat()


WATCH_PREFIX = "watch:"  # a watch's topic id is "watch:<id>"; built-in ids never hold a colon


def topic_id(watch_id: int) -> str:
    return f"{WATCH_PREFIX}{watch_id}"


def watch_id(topic: str) -> int | None:
    """The watch id of a topic id, or None for a built-in topic."""
    if topic.startswith(WATCH_PREFIX) and topic[len(WATCH_PREFIX) :].isdigit():
        return int(topic[len(WATCH_PREFIX) :])
    return None


@dataclass(slots=True)
class Watch:
    """A topic a workspace defined from chat; ``spec`` is :meth:`WatchSpec.as_dict`."""

    id: int
    platform: str
    workspace: str
    name: str
    spec: dict[str, Any]
    created_by: str | None
    updated_at: datetime

    @property
    def topic(self) -> str:
        return topic_id(self.id)


@dataclass(slots=True)
class StoredLemmas:
    """An article's lemmas as the index keeps them, for re-applying a watch."""

    id: int
    title: list[str]
    body: list[str]
    source: str | None
    when: datetime


@dataclass(slots=True)
class Mute:
    kind: str  # "source" | "story"
    value: str
    until: datetime | None
