"""Provenance and tenants: a feed's owner (the chat workspace that added it; NULL for the
operator's feeds) and whether an operator shared it; an article's ``owner`` (copied from its
feed: only that workspace reads it) and ``claimed_url`` (the link a foreign feed's item pointed
at on another outlet's domain, kept but never shown as its link).  A direct message's watches and
channels move from the workspace every DM shared ("") to their user's own ("dm:<user id>").
Stored feed items get the source the new rules give them (the outlet of their link's domain when
the feed is on it, else "(feed) name"), and a feed without a name gets the one its items showed.

Revision ID: 0010
Revises: 0006
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # plain ADD COLUMN, never a batch: SQLite's batch mode would copy and drop ``feeds``, and
    # the drop sets every article's feed_id to NULL (ON DELETE SET NULL, foreign keys on)
    op.add_column("feeds", sa.Column("owner", sa.String(130), nullable=True))
    op.add_column(
        "feeds", sa.Column("shared", sa.Boolean(), nullable=False, server_default=sa.false())
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
    _attribute_stored_items()


def _attribute_stored_items() -> None:
    from bot.config.outlets import feed_label, host_of, speaks_for

    conn = op.get_bind()
    for feed_id, feed_url, name in conn.execute(sa.text("SELECT id, url, name FROM feeds")).all():
        if not name:
            shown = conn.execute(
                sa.text(
                    "SELECT source FROM articles WHERE feed_id = :f AND source IS NOT NULL "
                    "ORDER BY id LIMIT 1"
                ),
                {"f": feed_id},
            ).scalar()
            name = (shown or host_of(feed_url) or feed_url)[:300]
            conn.execute(
                sa.text("UPDATE feeds SET name = :n WHERE id = :f"), {"n": name, "f": feed_id}
            )
        rows = conn.execute(
            sa.text("SELECT id, url FROM articles WHERE feed_id = :f"), {"f": feed_id}
        ).all()
        updates = [
            {"i": aid, "s": (speaks_for(feed_url, url) or feed_label(name))[:300]}
            for aid, url in rows
        ]
        for start in range(0, len(updates), 1000):
            conn.execute(
                sa.text("UPDATE articles SET source = :s WHERE id = :i"),
                updates[start : start + 1000],
            )


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_index("ix_articles_owner")
        batch.drop_column("owner")
        batch.drop_column("claimed_url")
    op.drop_column("feeds", "shared")  # ALTER TABLE … DROP COLUMN (SQLite 3.35+), no copy
    op.drop_column("feeds", "owner")
