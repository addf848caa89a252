"""Articles: whether the publication date is a date alone; content hashes over title + body
(+ the canonical link of a short body), recomputed for the rows already stored.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

import hashlib
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHORT_BODY = 50
_INVISIBLE = dict.fromkeys(
    (
        *(0x00AD, 0x061C, 0x180E, 0xFEFF),
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2065),
        *range(0x2066, 0x206A),
    )
)


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text.translate(_INVISIBLE)).split()).lower()


def _hash(title: str, body: str, link: str | None) -> str:
    """The content hash as of this revision (frozen here: later code may change)."""
    body_norm = _norm(body)
    norm = _norm(title) + "\n" + body_norm
    if link and len(body_norm) < SHORT_BODY:
        norm += "\n" + link
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(
            sa.Column(
                "published_date_only", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, title, body, canonical_url FROM articles")).all()
    for article_id, title, body, link in rows:
        conn.execute(
            sa.text("UPDATE articles SET content_hash = :h WHERE id = :id"),
            {"h": _hash(title or "", body or "", link), "id": article_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("published_date_only")
