"""Outbox claims: who is sending a row (holder, until when), the part in flight; sent_at index
for pruning.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.store.models import UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(200)))
        batch.add_column(sa.Column("claim_until", UTCDateTime()))
        batch.add_column(sa.Column("inflight_part", sa.Integer()))
        batch.create_index("ix_outbox_sent_at", ["sent_at"])


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_sent_at")
        batch.drop_column("inflight_part")
        batch.drop_column("claim_until")
        batch.drop_column("claimed_by")
