"""Database models: plain data.  Queries live in :mod:`bot.store`.

Dedup is a database fact: an article is unique by content hash, by canonical URL, and by its
identity (guid, or ``guid|link``) within a feed.  Times are stored as UTC and always set by the
store from its injected clock (no column reads the wall clock on its own).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.expression import false


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class FeedRow(Base):
    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    name: Mapped[str | None] = mapped_column(String(300))
    interval_s: Mapped[int] = mapped_column(Integer, default=900)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    next_due_at: Mapped[datetime | None]
    last_polled_at: Mapped[datetime | None]
    last_ok_at: Mapped[datetime | None]
    last_new_items: Mapped[int] = mapped_column(Integer, default=0)
    consecutive_errors: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    disabled_at: Mapped[datetime | None]
    first_poll_done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column()
    # the chat workspace that added it ("slack:T1", "discord:dm:U9"); None: the operator's (CLI)
    owner: Mapped[str | None] = mapped_column(String(130))
    shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # "rss" (a feed named by its URL), or a keyword source: "google" (Google News) | "naver"
    kind: Mapped[str] = mapped_column(String(10), default="rss", server_default="rss")
    query: Mapped[str | None] = mapped_column(String(300))  # what a keyword source searches for
    lang: Mapped[str | None] = mapped_column(String(10))  # a keyword source's language: ko | en


class ArticleRow(Base):
    __tablename__ = "articles"
    __table_args__ = (
        UniqueConstraint("feed_id", "identity", name="uq_articles_feed_identity"),
        Index("ix_articles_seen_at", "seen_at"),
        Index("ix_articles_published_at", "published_at"),
        Index("ix_articles_cluster_id", "cluster_id"),
        Index("ix_articles_story_seq", "story_seq"),
        Index("ix_articles_owner", "owner"),
        Index("ix_articles_title_key", "title_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # "seed" | "feed"
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("feeds.id", ondelete="SET NULL"))
    origin: Mapped[str] = mapped_column(String(2048))  # feed URL, or seed path as given
    identity: Mapped[str | None] = mapped_column(String(2048))  # guid, or guid|link
    url: Mapped[str | None] = mapped_column(String(2048))
    canonical_url: Mapped[str | None] = mapped_column(String(2048), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(300))  # outlet, or "(feed) name"
    # the link a feed's item pointed at on another outlet's domain: kept, never shown as its link
    claimed_url: Mapped[str | None] = mapped_column(String(2048))
    # the title as copies of one article share it (bot.store.articles.title_key), to find the
    # same article reached through another source that gives only a redirect link
    title_key: Mapped[str | None] = mapped_column(String(300))
    owner: Mapped[str | None] = mapped_column(String(130))  # only this workspace reads it
    published_at: Mapped[datetime | None]
    published_date_only: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )  # the source gave a date alone (published_at is then noon in Seoul that day)
    seen_at: Mapped[datetime] = mapped_column()
    silent: Mapped[bool] = mapped_column(Boolean, default=False)  # first poll: never alerted
    scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    entities: Mapped[list[Any]] = mapped_column(JSON, default=list)
    topics_hash: Mapped[str | None] = mapped_column(String(64))
    cluster_id: Mapped[int | None] = mapped_column(Integer)  # the story: its first report's id
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    story_profile: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    story_seq: Mapped[int | None] = mapped_column(Integer)  # order in which stories were assigned
    # the sentences a brief may quote ([start, end, keys, actor] each; bot.analysis.briefs)
    brief_sentences: Mapped[list[Any] | None] = mapped_column(JSON)


class StoryBriefRow(Base):
    """A story's brief (세 줄 요약), made when the story is saved or grows: the sentences as shown,
    and how many reports it was made from."""

    __tablename__ = "story_briefs"

    cluster_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # the story's first report
    size: Mapped[int] = mapped_column(Integer)
    sentences: Mapped[list[Any]] = mapped_column(JSON, default=list)


class StoryKeyRow(Base):
    """A key an article is found by when later reports of its story look for it: an
    organisation, a figure or a title word (:mod:`bot.analysis.stories`)."""

    __tablename__ = "story_keys"
    __table_args__ = (Index("ix_story_keys_key_at", "key", "at"),)

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    at: Mapped[datetime] = mapped_column()  # the article's time (publication, else ingestion)


class MatchRow(Base):
    """An article carries a topic: its score and the evidence that made it."""

    __tablename__ = "matches"
    __table_args__ = (Index("ix_matches_topic_article", "topic", "article_id"),)

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(100), primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)


class DestinationRow(Base):
    """A chat channel the bot posts to."""

    __tablename__ = "destinations"
    __table_args__ = (
        UniqueConstraint("platform", "workspace", "channel", name="uq_destinations_place"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))  # slack | discord | console
    workspace: Mapped[str] = mapped_column(String(100), default="")  # team / guild id
    channel: Mapped[str] = mapped_column(String(100))
    language: Mapped[str | None] = mapped_column(String(5))
    paused_at: Mapped[datetime | None]
    paused_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column()


class SubscriptionRow(Base):
    __tablename__ = "subscriptions"
    __table_args__ = (
        UniqueConstraint("destination_id", "topic", name="uq_subscriptions_dest_topic"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    destination_id: Mapped[int] = mapped_column(ForeignKey("destinations.id", ondelete="CASCADE"))
    topic: Mapped[str] = mapped_column(String(100))
    digest_time: Mapped[str] = mapped_column(String(5), default="09:00")  # HH:MM local
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Seoul")
    alerts: Mapped[bool] = mapped_column(Boolean, default=False)
    days: Mapped[str] = mapped_column(String(10), default="daily")  # daily | weekdays
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column()


class OutboxRow(Base):
    """One row per (destination, digest window) or (destination, alert item) or notice.

    Written in the same transaction as the decision to send; the sender marks it sent.
    ``parts_sent`` counts the messages of a multi-part digest already delivered, so a restart
    resumes after the last part that was confirmed.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("destination_id", "key", name="uq_outbox_dest_key"),
        Index("ix_outbox_status_due", "status", "next_attempt_at"),
        Index("ix_outbox_sent_at", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    destination_id: Mapped[int] = mapped_column(ForeignKey("destinations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # digest | alert | notice
    key: Mapped[str] = mapped_column(String(300))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending|sent|dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    parts_sent: Mapped[int] = mapped_column(Integer, default=0)
    message_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column()
    sent_at: Mapped[datetime | None]
    # the sender holding the row: nobody else posts its parts until ``claim_until``
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    claim_until: Mapped[datetime | None]
    inflight_part: Mapped[int | None] = mapped_column(Integer)  # posted, not yet confirmed


class LeaseRow(Base):
    """Scheduler leadership on SQLite (PostgreSQL uses an advisory lock)."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime]


class MetaRow(Base):
    """Small key/value facts: topics hash of the stored matches, last poll, last digests."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class WatchRow(Base):
    """A topic a workspace defined from chat (:mod:`bot.analysis.watches`); its matches are
    ``matches`` rows with the topic ``watch:<id>``."""

    __tablename__ = "watches"
    __table_args__ = (
        UniqueConstraint("platform", "workspace", "name", name="uq_watches_workspace_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    workspace: Mapped[str] = mapped_column(String(100), default="")
    name: Mapped[str] = mapped_column(String(32))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)  # WatchSpec.as_dict()
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()


class MuteRow(Base):
    """A channel does not want an outlet's articles, or a story, until a time (or for good)."""

    __tablename__ = "mutes"
    __table_args__ = (
        UniqueConstraint("destination_id", "kind", "value", name="uq_mutes_dest_kind_value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    destination_id: Mapped[int] = mapped_column(ForeignKey("destinations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # "source" | "story"
    value: Mapped[str] = mapped_column(String(300))
    until: Mapped[datetime | None]
    created_by: Mapped[str | None] = mapped_column(String(100))
