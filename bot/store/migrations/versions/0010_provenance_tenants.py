"""Provenance and tenants: a feed's owner (the chat workspace that added it; NULL for the
operator's feeds) and whether an operator shared it; an article's ``owner`` (copied from its
feed: only that workspace reads it) and ``claimed_url`` (the link a foreign feed's item pointed
at on another outlet's domain, kept but never shown as its link).  A direct message's watches and
channels move from the workspace every DM shared ("") to their user's own ("dm:<user id>").

Revision ID: 0010
Revises: 0006
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("feeds") as batch:
        batch.add_column(sa.Column("owner", sa.String(130), nullable=True))
        batch.add_column(
            sa.Column("shared", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("claimed_url", sa.String(2048), nullable=True))
        batch.add_column(sa.Column("owner", sa.String(130), nullable=True))
        batch.create_index("ix_articles_owner", ["owner"])
    # a direct message used to be workspace "" (one shared by every DM user): each DM's watches
    # and channels become their user's own workspace, "dm:<user id>"
    op.execute(
        "UPDATE watches SET workspace = 'dm:' || created_by "
        "WHERE platform IN ('slack', 'discord') AND workspace = '' AND created_by IS NOT NULL"
    )
    op.execute(
        "UPDATE destinations SET workspace = 'dm:' || (SELECT s.created_by FROM subscriptions s "
        "WHERE s.destination_id = destinations.id AND s.created_by IS NOT NULL LIMIT 1) "
        "WHERE platform IN ('slack', 'discord') AND workspace = '' AND EXISTS (SELECT 1 FROM "
        "subscriptions s WHERE s.destination_id = destinations.id AND s.created_by IS NOT NULL)"
    )


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_index("ix_articles_owner")
        batch.drop_column("owner")
        batch.drop_column("claimed_url")
    with op.batch_alter_table("feeds") as batch:
        batch.drop_column("shared")
        batch.drop_column("owner")
