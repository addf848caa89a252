"""What the operator reads: an error is one log line naming its cause, never the SQL or the
parameters a database driver's error carries (they may hold a user's text)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from bot.core.logcause import busy, cause


def test_a_locked_database_is_one_line_without_the_statement(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE notes (text TEXT)")
    holder.execute("BEGIN EXCLUSIVE")
    engine = sa.create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.1})
    try:
        with pytest.raises(OperationalError) as caught, engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO notes VALUES (:t)"), {"t": "a user's secret words"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        engine.dispose()
    assert "[SQL:" in str(caught.value)  # what SQLAlchemy's own message holds
    line = cause(caught.value)
    assert line == "OperationalError: database is locked"
    assert busy(caught.value)  # the user is told to try again, not that something broke
    assert not busy(ValueError("no such table: notes"))


def test_a_long_message_is_cut_and_only_its_first_line_kept() -> None:
    line = cause(ValueError("first line " + "x" * 500 + "\nsecond line"))
    assert line.startswith("ValueError: first line") and line.endswith("…")
    assert "second" not in line and len(line) < 220
