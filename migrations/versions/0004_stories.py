"""Stories: each article's story profile and save order, and the story_keys index that finds
the earlier reports of the same event (shared by every process).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.store.models import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("story_profile", sa.JSON()))
        batch.add_column(sa.Column("story_seq", sa.Integer()))
        batch.create_index("ix_articles_story_seq", ["story_seq"])
    op.create_table(
        "story_keys",
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_story_keys_key_at", "story_keys", ["key", "at"])


def downgrade() -> None:
    op.drop_index("ix_story_keys_key_at", "story_keys")
    op.drop_table("story_keys")
    with op.batch_alter_table("articles") as batch:
        batch.drop_index("ix_articles_story_seq")
        batch.drop_column("story_seq")
        batch.drop_column("story_profile")
