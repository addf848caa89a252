"""Stored briefs: each article's quotable sentences, and each story's brief.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("brief_sentences", sa.JSON(), nullable=True))
    op.create_table(
        "story_briefs",
        sa.Column("cluster_id", sa.Integer(), primary_key=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sentences", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("story_briefs")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("brief_sentences")
