"""Migrations run up from empty on SQLite and PostgreSQL, and agree with the models."""

from __future__ import annotations

from pathlib import Path

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


@pytest.mark.usefixtures("english")  # the CLI's English lines
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


def _before_provenance() -> str:
    """The revision before the one that gives feeds owners (its id may be re-chained)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS))
    for rev in ScriptDirectory.from_config(cfg).walk_revisions():
        if str(rev.path).endswith("_provenance_tenants.py"):
            assert isinstance(rev.down_revision, str)
            return rev.down_revision
    raise AssertionError("no provenance migration")


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_migration_moves_dms_to_their_users_and_reattributes_feed_items(
    backend: str, request: pytest.FixtureRequest, db_url: str
) -> None:
    url = request.getfixturevalue("pg_url") if backend == "postgres" else db_url
    engine = db.make_engine(url)
    try:
        db.upgrade(engine, _before_provenance())
        with engine.begin() as conn:
            now = "2026-12-01 00:00:00"
            conn.execute(
                text(
                    "INSERT INTO watches (platform, workspace, name, spec, created_by, created_at,"
                    " updated_at) VALUES ('discord', '', 'hbm', '{}', 'U9', :t, :t),"
                    " ('discord', 'G1', 'apec2', '{}', 'U8', :t, :t)"
                ),
                {"t": now},
            )
            conn.execute(
                text(
                    "INSERT INTO destinations (id, platform, workspace, channel, created_at)"
                    " VALUES (1, 'discord', '', 'D9', :t)"
                ),
                {"t": now},
            )
            conn.execute(
                text(
                    "INSERT INTO subscriptions (destination_id, topic, digest_time, timezone,"
                    " alerts, days, created_by, created_at)"
                    " VALUES (1, 'apec', '09:00', 'Asia/Seoul', false, 'daily', 'U9', :t)"
                ),
                {"t": now},
            )
            conn.execute(
                text(
                    "INSERT INTO feeds (id, url, name, interval_s, last_new_items,"
                    " consecutive_errors, disabled, first_poll_done, created_at) VALUES"
                    " (1, 'https://farm.example/rss', NULL, 900, 0, 0, false, true, :t),"
                    " (2, 'https://www.yna.co.kr/rss/news.xml', NULL, 900, 0, 0, false, true, :t)"
                ),
                {"t": now},
            )
            for i, (feed, link) in enumerate(
                [(1, "https://farm.example/1"), (2, "https://www.yna.co.kr/view/AKR1")]
            ):
                conn.execute(
                    text(
                        "INSERT INTO articles (kind, feed_id, origin, url, content_hash, title,"
                        " body, source, seen_at, silent, scores, entities) VALUES ('feed', :f,"
                        " 'o', :u, :h, 't', 'b', '연합뉴스', :t, false, '{}', '[]')"
                    ),
                    {"f": feed, "u": link, "h": f"h{i}", "t": now},
                )
        db.upgrade(engine)
        with engine.connect() as conn:
            watches = conn.execute(text("SELECT name, workspace FROM watches ORDER BY name"))
            assert watches.all() == [("apec2", "G1"), ("hbm", "dm:U9")]
            places = conn.execute(text("SELECT workspace, channel FROM destinations")).all()
            assert places == [("dm:U9", "D9")]
            # a farm whose <title> said 연합뉴스 is now shown as the feed it is
            sources = conn.execute(text("SELECT feed_id, source FROM articles ORDER BY feed_id"))
            assert sources.all() == [(1, "(feed) 연합뉴스"), (2, "연합뉴스")]
            names = conn.execute(text("SELECT name FROM feeds ORDER BY id")).all()
            assert names == [("연합뉴스",), ("연합뉴스",)]
    finally:
        engine.dispose()


@pytest.mark.parametrize("folder", ["한글 폴더", "100% 진행", "plain"])
def test_a_database_in_a_folder_with_spaces_percent_or_korean_is_migrated_and_used(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    folder: str,
) -> None:
    where = tmp_path / folder
    where.mkdir()
    url = f"sqlite:///{where / '새 100%.db'}"
    code, out, err = run_cli(["--db", url, "db", "upgrade"], capsys)
    assert code == 0, err
    assert (where / "새 100%.db").is_file()  # that very file, its name unchanged
    assert run_cli(["--db", url, "db", "upgrade"], capsys)[0] == 0  # already at the head
    # the default database, in the user's data folder (XDG_DATA_HOME) under the same name
    monkeypatch.setenv("XDG_DATA_HOME", str(where / "데이터"))
    code, out, err = run_cli(["feeds", "add", "https://example.com/rss.xml", "--no-check"], capsys)
    assert code == 0, err
    assert (where / "데이터" / "newsbot" / "newsbot.db").is_file()
    code, out, err = run_cli(["feeds", "list"], capsys)
    assert code == 0 and "https://example.com/rss.xml" in out
