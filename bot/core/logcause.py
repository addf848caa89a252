"""An exception as one line for the operator's log: its class and the first line of its message,
without the SQL, parameters or links a database driver's error carries.

SQLAlchemy wraps the driver's error (``exc.orig``) in a message of several lines (``[SQL: ...]``,
``(Background on this error at: ...)``); the driver's own class and first line (``OperationalError:
database is locked``) are what the operator needs, and the statement may hold a user's text."""

from __future__ import annotations

MAX = 200  # characters of the message kept


def _driver(exc: BaseException) -> BaseException:
    """The database driver's own error a SQLAlchemy error wraps (``orig``), else ``exc``."""
    inner = getattr(exc, "orig", None)
    return inner if isinstance(inner, BaseException) else exc


def cause(exc: BaseException) -> str:
    """``Class: first line of the message`` (the wrapped driver error's, when there is one)."""
    exc = _driver(exc)
    lines = str(exc).strip().splitlines()
    first = lines[0].strip() if lines else ""
    if first.startswith("(") and ")" in first:  # "(sqlite3.OperationalError) database is locked"
        first = first.split(")", 1)[1].strip()
    if len(first) > MAX:
        first = first[: MAX - 1] + "…"
    name = exc.__class__.__name__
    return f"{name}: {first}" if first else name


_BUSY = (
    "database is locked",  # SQLite: another writer held the lock past the busy timeout
    "database table is locked",
    "could not obtain lock",  # PostgreSQL: lock_timeout / NOWAIT
    "due to lock timeout",
)


def busy(exc: BaseException) -> bool:
    """Whether ``exc`` is the database being busy with another writer (worth trying again in a
    moment), not a fault."""
    text = str(_driver(exc)).lower()
    return any(marker in text for marker in _BUSY)
