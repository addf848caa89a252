"""Where newsbot keeps its files when nobody says: a per-user data folder, never the current
directory (``serve`` started elsewhere must not quietly open another database).

``$XDG_DATA_HOME/newsbot`` (default ``~/.local/share/newsbot``); on Windows
``%LOCALAPPDATA%\\newsbot``.  ``NEWSBOT_DATABASE_URL`` or ``--db`` choose any other place.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """The per-user folder for newsbot's own files (made on first use by the store)."""
    env = os.environ if env is None else env
    base = env.get("XDG_DATA_HOME", "").strip()
    if not base and os.name == "nt":
        base = env.get("LOCALAPPDATA", "").strip()
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".local" / "share"
    return root / "newsbot"


def default_database_url(env: Mapping[str, str] | None = None) -> str:
    """``sqlite:////home/me/.local/share/newsbot/newsbot.db``: an absolute path."""
    return f"sqlite:///{data_dir(env) / 'newsbot.db'}"


def sqlite_path(url: str) -> Path | None:
    """The absolute path a ``sqlite:///…`` URL resolves to (None: not a SQLite file)."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database).expanduser().absolute()
