"""Migrations run up from empty on SQLite and PostgreSQL, and agree with the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from bot.store import engine as db
from bot.store.models import Base
from tests.helpers import run_cli


def _check_upgrade(url: str) -> None:
    engine = db.make_engine(url)
    try:
        assert db.current_revision(engine) is None
        db.upgrade(engine)
        assert db.current_revision(engine) == db.head_revision()
        names = set(db.table_names(engine))
        assert {
            "articles",
            "feeds",
            "matches",
            "subscriptions",
            "destinations",
            "outbox",
            "leases",
            "meta",
            "article_fts",
        } <= names
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        # the full-text table is not a model: it is written by the store in raw SQL
        diff = [d for d in diff if "article_fts" not in str(d)]
        assert diff == []
        db.upgrade(engine)  # idempotent
    finally:
        engine.dispose()


def test_migrations_on_sqlite(db_url: str) -> None:
    _check_upgrade(db_url)


@pytest.mark.postgres
def test_migrations_on_postgres(pg_url: str) -> None:
    _check_upgrade(pg_url)


def test_db_upgrade_command(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["db", "upgrade", "--db", db_url], capsys)
    assert code == 0 and "upgraded" in out
    code, out, _ = run_cli(["db", "upgrade", "--db", db_url], capsys)
    assert code == 0 and "already at revision" in out


def test_sqlite_pragmas(db_url: str) -> None:
    engine = db.make_engine(db_url)
    db.upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    engine.dispose()
