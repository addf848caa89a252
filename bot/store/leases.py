"""Leases: who holds a named role (the scheduler leader) among processes sharing a database.

SQLite: a row per role, with its holder and expiry; taking it succeeds when it is free, expired
or already ours.  PostgreSQL: a session advisory lock held on a dedicated connection, freed by the
server the moment the holder's connection closes (a dead process loses it at once).
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select, text

from bot.store.base import StoreBase
from bot.store.models import LeaseRow


class AdvisoryLock:
    """A PostgreSQL session advisory lock on its own connection.  Blocking: run in a thread."""

    def __init__(self, engine: Engine, key: int) -> None:
        self.engine = engine
        self.key = key
        self._conn: Any = None
        self.held = False

    def acquire(self) -> bool:
        """Take the lock if free (or check we still hold it); False when another session has it.
        A broken connection raises, and the lock is then lost."""
        try:
            if self._conn is not None and self.held:
                self._conn.execute(text("SELECT 1"))  # still connected: still holding the lock
                return True
            if self._conn is None:
                self._conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            got = self._conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key})
            self.held = bool(got.scalar())
            return self.held
        except Exception:
            self.close()
            raise

    def release(self) -> None:
        try:
            if self._conn is not None and self.held:
                self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
        finally:
            self.close()

    def close(self) -> None:
        self.held = False
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None


class LeaseQueries(StoreBase):
    def take_lease(self, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
        """Hold ``name`` until ``now + ttl`` if it is free, expired or already ours.

        A follower first reads the row (no lock): while another holder's lease runs it answers
        False without asking for SQLite's single write lock, so followers checking every few
        seconds never queue behind the leader's writes, nor hold them up."""
        with self.read() as s:
            lease = s.scalar(select(LeaseRow).where(LeaseRow.name == name))
            if lease is not None and lease.holder != holder and lease.expires_at > now:
                return False
        with self.write() as s:
            lease = s.scalar(select(LeaseRow).where(LeaseRow.name == name))
            if lease is None:
                s.add(LeaseRow(name=name, holder=holder, expires_at=now + ttl))
                return True
            if lease.holder == holder or lease.expires_at <= now:
                lease.holder, lease.expires_at = holder, now + ttl
                return True
            return False

    def release_lease(self, name: str, holder: str) -> None:
        """Give ``name`` up if ``holder`` has it (a follower may take it at once)."""
        with self.write() as s:
            lease = s.get(LeaseRow, name)
            if lease is not None and lease.holder == holder:
                s.delete(lease)

    def advisory_lock(self, key: int) -> AdvisoryLock:
        return AdvisoryLock(self.engine, key)
