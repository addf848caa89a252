"""Keyword sources: a feed row's ``kind`` (``rss``, or the keyword sources ``google`` and
``naver``), the ``query`` a keyword source searches for and its ``lang`` (``ko`` / ``en``).
Existing feeds are ``rss``.  An article's ``title_key`` (its normalised title, indexed: the same
article from another source is found by outlet + title key + time); stored articles get theirs.

Revision ID: 0015
Revises: 0010
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # plain ADD COLUMN, never a batch: a batch copy of ``feeds`` would drop it, and the drop
    # sets every article's feed_id to NULL (ON DELETE SET NULL)
    op.add_column("feeds", sa.Column("kind", sa.String(10), nullable=False, server_default="rss"))
    op.add_column("feeds", sa.Column("query", sa.String(300), nullable=True))
    op.add_column("feeds", sa.Column("lang", sa.String(10), nullable=True))
    # plain ADD COLUMN on articles too: a batch copy would drop it, and its matches with it
    op.add_column("articles", sa.Column("title_key", sa.String(300), nullable=True))
    op.create_index("ix_articles_title_key", "articles", ["title_key"])
    from bot.store.dedup import title_key

    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, title FROM articles")).all()
    for article_id, title in rows:
        conn.execute(
            sa.text("UPDATE articles SET title_key = :k WHERE id = :i"),
            {"k": title_key(title or "")[:300], "i": article_id},
        )


def downgrade() -> None:
    op.drop_index("ix_articles_title_key", table_name="articles")
    op.drop_column("articles", "title_key")
    op.drop_column("feeds", "lang")
    op.drop_column("feeds", "query")
    op.drop_column("feeds", "kind")
