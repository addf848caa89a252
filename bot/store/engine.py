"""Engines and migrations.

SQLite (the embedded default) runs in WAL mode with a busy timeout and foreign keys on; write
transactions begin ``IMMEDIATE`` so two writers queue on the busy timeout instead of failing with
"database is locked" when a read transaction tries to upgrade.  Read-only sessions use a deferred
``BEGIN`` and never block writers.  PostgreSQL runs through psycopg 3.

Every text parameter of every statement passes :func:`bot.core.unicode.storable` on its way to
the database (:func:`_storable_parameters`): a NUL, another control character or a lone
surrogate from a feed, a chat user or an error message is dropped, never refused by PostgreSQL
(NUL) or by both backends (a surrogate has no UTF-8), so one item cannot fail its feed's poll.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from bot.core.unicode import has_unstorable, storable

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000
_BOT = Path(__file__).resolve().parents[1]
# the Alembic scripts: bot/migrations in an installed wheel (package data, mapped from the
# checkout's top-level migrations/ by setup.py), else the checkout's migrations/ beside bot/
MIGRATIONS = next(
    (p for p in (_BOT / "migrations", _BOT.parent / "migrations") if (p / "env.py").is_file()),
    _BOT.parent / "migrations",
)


def normalise_url(url: str) -> str:
    """Accept ``postgres://`` and ``postgresql://`` and use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(url, parsed.database, **kwargs)
    else:
        engine = create_engine(url, pool_pre_ping=True, **kwargs)
    event.listen(engine, "before_cursor_execute", _storable_parameters, retval=True)
    return engine


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return storable(value) if has_unstorable(value) else value
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_clean(v) for v in value)
    return value


def _needs_cleaning(value: Any) -> bool:
    if isinstance(value, str):
        return has_unstorable(value)
    if isinstance(value, dict):
        return any(_needs_cleaning(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_needs_cleaning(v) for v in value)
    return False


def _storable_parameters(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> tuple[str, Any]:
    """The statement's parameters with every string made storable (a copy only when needed)."""
    if parameters and _needs_cleaning(parameters):
        parameters = _clean(parameters)
    return statement, parameters


def _sqlite_engine(url: str, database: str | None, **kwargs: Any) -> Engine:
    memory = database in (None, "", ":memory:")
    if not memory and database:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    connect_args = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    if memory:
        kwargs.setdefault("poolclass", NullPool)
    engine = create_engine(url, connect_args=connect_args, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, emit BEGIN (see the "begin" hook below).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql("BEGIN" if mode == "DEFERRED" else f"BEGIN {mode}")

    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def reader(engine: Engine) -> Engine:
    """The same engine, with deferred BEGIN on SQLite (for read-only work)."""
    if is_sqlite(engine):
        return engine.execution_options(sqlite_begin="DEFERRED")
    return engine


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    # ConfigParser interpolates ``%``: a path with a space, ``%`` or Korean letters is
    # percent-encoded in the URL (``%ED%95%9C``), so every ``%`` is doubled to be read back as is
    cfg.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    url = engine.url.render_as_string(hide_password=False)
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the Alembic migrations up to ``revision`` (idempotent)."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    """The database's migration id (None: never migrated), read with one query: importing
    Alembic costs a reading command more than its whole work."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except DBAPIError:  # no alembic_version table: never migrated
        return None
    return str(rows[0][0]) if len(rows) == 1 else None


_REVISION = re.compile(r"^revision(?:\s*:\s*str)?\s*=\s*[\"']([^\"']+)[\"']", re.M)
_DOWN = re.compile(r"^down_revision(?:\s*:[^=]*)?=\s*[\"']([^\"']+)[\"']", re.M)


def head_revision() -> str | None:
    """The newest migration's id, read from the migration files (no Alembic import); None when
    they do not have exactly one head (Alembic then decides)."""
    revisions: set[str] = set()
    downs: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        if found := _REVISION.search(source):
            revisions.add(found.group(1))
        if found := _DOWN.search(source):
            downs.add(found.group(1))
    heads = revisions - downs
    return heads.pop() if len(heads) == 1 else None


def ensure_schema(engine: Engine) -> None:
    """Upgrade when the schema is missing or behind (one query when it is current)."""
    head = head_revision()
    if head is None or current_revision(engine) != head:
        upgrade(engine)


def table_names(engine: Engine) -> list[str]:
    return inspect(engine).get_table_names()
