"""Shared fixtures: real SQLite files, the real kiwi model, a real PostgreSQL when configured."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import SEEDS
from tests.helpers.bot import bot, make_bot
from tests.helpers.fakes.slack_api import fake_slack
from tests.helpers.serve import procs
from tests.helpers.world import world

# fixtures shared by every test module
__all__ = ["bot", "fake_slack", "make_bot", "procs", "world"]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never see the developer's own newsbot settings or tokens, nor their data folder
    (the default database lives in one of the test's own)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    for key in list(os.environ):
        if key.startswith(("NEWSBOT_", "SLACK_", "DISCORD_", "NAVER_")) and key not in (
            "NEWSBOT_TEST_POSTGRES_URL",
            "NEWSBOT_REQUIRE_POSTGRES",
            "NEWSBOT_UPDATE_CONTRACTS",
        ):
            monkeypatch.delenv(key)


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """``NEWSBOT_LANGUAGE=en``: the CLI (and ``Settings.from_env``) in English, for a test that
    reads the English wording.  Without it a test runs in the default language, Korean."""
    monkeypatch.setenv("NEWSBOT_LANGUAGE", "en")


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'newsbot.db'}"


@pytest.fixture(scope="session")
def analyser():  # type: ignore[no-untyped-def]
    from bot.analysis.korean import get_analyser

    return get_analyser()


@pytest.fixture(scope="session")
def topics():  # type: ignore[no-untyped-def]
    from bot.config.topics import load_topics

    return load_topics()


def _postgres_admin_url() -> str | None:
    return os.environ.get("NEWSBOT_TEST_POSTGRES_URL") or None


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    admin = _postgres_admin_url()
    if not admin:
        if os.environ.get("NEWSBOT_REQUIRE_POSTGRES"):
            pytest.fail("NEWSBOT_REQUIRE_POSTGRES is set but NEWSBOT_TEST_POSTGRES_URL is not")
        pytest.skip("postgres: NEWSBOT_TEST_POSTGRES_URL not set")
    import psycopg

    name = f"newsbot_test_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        pytest.fail(f"postgres at NEWSBOT_TEST_POSTGRES_URL is not reachable: {exc}")
    base, _, _ = admin.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture(scope="session")
def seeded_url(tmp_path_factory: pytest.TempPathFactory, analyser, topics) -> str:  # type: ignore[no-untyped-def]
    """A SQLite file with the seed corpus ingested and matched (shared, read-only)."""
    from bot.analysis.pipeline import Pipeline
    from bot.ingest.seeds import find_seed_files, read_seeds
    from bot.store import open_store

    url = f"sqlite:///{tmp_path_factory.mktemp('seeded') / 'newsbot.db'}"
    store = open_store(url)
    Pipeline(store, topics, analyser).ingest(list(read_seeds(find_seed_files([str(SEEDS)]))))
    store.close()
    return url


@pytest.fixture
def seeded_copy(seeded_url: str, tmp_path: Path) -> str:
    """A private copy of the seeded database, for a test that writes (posts, subscriptions)."""
    import sqlite3

    target = tmp_path / "seeded-copy.db"
    with (
        sqlite3.connect(seeded_url.removeprefix("sqlite:///")) as src,
        sqlite3.connect(target) as dst,
    ):
        src.backup(dst)
    return f"sqlite:///{target}"
