"""Initial schema: feeds, articles, matches, search index, destinations, subscriptions, outbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.store.models import UTCDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("url", sa.String(2048), nullable=False, unique=True),
        sa.Column("name", sa.String(300)),
        sa.Column("interval_s", sa.Integer(), nullable=False),
        sa.Column("etag", sa.String(500)),
        sa.Column("last_modified", sa.String(100)),
        sa.Column("next_due_at", UTCDateTime()),
        sa.Column("last_polled_at", UTCDateTime()),
        sa.Column("last_ok_at", UTCDateTime()),
        sa.Column("last_new_items", sa.Integer(), nullable=False),
        sa.Column("consecutive_errors", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text()),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("disabled_reason", sa.Text()),
        sa.Column("disabled_at", UTCDateTime()),
        sa.Column("first_poll_done", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("feed_id", sa.Integer(), sa.ForeignKey("feeds.id", ondelete="SET NULL")),
        sa.Column("origin", sa.String(2048), nullable=False),
        sa.Column("identity", sa.String(2048)),
        sa.Column("url", sa.String(2048)),
        sa.Column("canonical_url", sa.String(2048), unique=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("source", sa.String(300)),
        sa.Column("published_at", UTCDateTime()),
        sa.Column("seen_at", UTCDateTime(), nullable=False),
        sa.Column("silent", sa.Boolean(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("entities", sa.JSON(), nullable=False),
        sa.Column("topics_hash", sa.String(64)),
        sa.Column("cluster_id", sa.Integer()),
        sa.Column("minhash", sa.LargeBinary()),
        sa.UniqueConstraint("feed_id", "identity", name="uq_articles_feed_identity"),
    )
    op.create_index("ix_articles_seen_at", "articles", ["seen_at"])
    op.create_index("ix_articles_published_at", "articles", ["published_at"])
    op.create_index("ix_articles_cluster_id", "articles", ["cluster_id"])
    op.create_table(
        "matches",
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("topic", sa.String(100), primary_key=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
    )
    op.create_index("ix_matches_topic_article", "matches", ["topic", "article_id"])
    op.create_table(
        "destinations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("workspace", sa.String(100), nullable=False),
        sa.Column("channel", sa.String(100), nullable=False),
        sa.Column("language", sa.String(5)),
        sa.Column("paused_at", UTCDateTime()),
        sa.Column("paused_reason", sa.Text()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("platform", "workspace", "channel", name="uq_destinations_place"),
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "destination_id",
            sa.Integer(),
            sa.ForeignKey("destinations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("topic", sa.String(100), nullable=False),
        sa.Column("digest_time", sa.String(5), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("alerts", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(100)),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("destination_id", "topic", name="uq_subscriptions_dest_topic"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "destination_id",
            sa.Integer(),
            sa.ForeignKey("destinations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("parts_sent", sa.Integer(), nullable=False),
        sa.Column("message_ids", sa.JSON(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime()),
        sa.Column("last_error", sa.Text()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime()),
        sa.UniqueConstraint("destination_id", "key", name="uq_outbox_dest_key"),
    )
    op.create_index("ix_outbox_status_due", "outbox", ["status", "next_attempt_at"])
    op.create_table(
        "leases",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("holder", sa.String(200), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    _create_search_index()


def _create_search_index() -> None:
    """The full-text index over analysed lemmas (not over raw text).

    SQLite: an FTS5 table whose rowid is the article id, with a third column of filter tokens
    (``topic_gpu_deal``, ``month_202511``) so topic and date filters stay inside the index.
    PostgreSQL: a table with a generated, weighted ``tsvector`` ('simple' configuration: the
    lemmas are already normalised) and a GIN index.  Both hold the same columns, so the store
    writes them the same way.
    """
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE article_fts USING fts5("
            "title, body, tags, tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\")"
        )
        return
    op.execute(
        """
        CREATE TABLE article_fts (
            rowid INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '',
            tsv tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('simple', title), 'A') ||
                setweight(to_tsvector('simple', body), 'B')
            ) STORED
        )
        """
    )
    op.execute("CREATE INDEX ix_article_fts_tsv ON article_fts USING GIN (tsv)")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS article_fts")
    for table in (
        "meta",
        "leases",
        "outbox",
        "subscriptions",
        "destinations",
        "matches",
        "articles",
        "feeds",
    ):
        op.drop_table(table)
