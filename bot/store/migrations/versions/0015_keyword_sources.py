"""Keyword sources: a feed row's ``kind`` (``rss``, or the keyword sources ``google`` and
``naver``), the ``query`` a keyword source searches for and its ``lang`` (``ko`` / ``en``).
Existing feeds are ``rss``.

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


def downgrade() -> None:
    op.drop_column("feeds", "lang")
    op.drop_column("feeds", "query")
    op.drop_column("feeds", "kind")
