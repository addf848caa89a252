"""One scheduler leader among the replicas that share a database.

PostgreSQL: a session advisory lock held on a dedicated connection.  When the leader's process
dies its connection closes and PostgreSQL frees the lock at once; a follower takes it on its next
try.  SQLite (one machine): a lease row renewed every few seconds; a lease not renewed for
``LEASE`` seconds may be taken over.  Every replica answers chat commands; only the leader polls
feeds, plans and sends deliveries.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select, text

from bot.store.models import LeaseRow

log = logging.getLogger(__name__)

LOCK_KEY = 0x6E657773  # "news"
LEASE = timedelta(seconds=15)
NAME = "scheduler"


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Leadership:
    """Call :meth:`try_lead` every few seconds (it blocks briefly: run it in a thread)."""

    def __init__(self, engine: Engine, holder: str | None = None) -> None:
        self.engine = engine
        self.holder = holder or holder_id()
        self.is_leader = False
        self._conn: Any = None

    def try_lead(self, now: datetime) -> bool:
        was = self.is_leader
        try:
            if self.engine.dialect.name == "postgresql":
                self.is_leader = self._advisory()
            else:
                self.is_leader = self._lease(now)
        except Exception as exc:  # a database hiccup: not leader until it answers again
            log.warning("scheduler leadership check failed: %s", exc.__class__.__name__)
            self._drop()
            self.is_leader = False
        if self.is_leader != was:
            log.info("scheduler: %s (%s)", "leader" if self.is_leader else "follower", self.holder)
        return self.is_leader

    def _advisory(self) -> bool:
        if self._conn is not None and self.is_leader:
            self._conn.execute(text("SELECT 1"))  # still connected: still holding the lock
            return True
        if self._conn is None:
            self._conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        got = self._conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY})
        return bool(got.scalar())

    def _lease(self, now: datetime) -> bool:
        from sqlalchemy.orm import Session

        with Session(self.engine) as s, s.begin():
            lease = s.scalar(select(LeaseRow).where(LeaseRow.name == NAME))
            if lease is None:
                s.add(LeaseRow(name=NAME, holder=self.holder, expires_at=now + LEASE))
                return True
            if lease.holder == self.holder or lease.expires_at <= now:
                lease.holder, lease.expires_at = self.holder, now + LEASE
                return True
            return False

    def release(self) -> None:
        """Give up leadership (on a clean shutdown) so a follower takes over at once."""
        try:
            if self.engine.dialect.name == "postgresql":
                if self._conn is not None and self.is_leader:
                    self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
            elif self.is_leader:
                from sqlalchemy.orm import Session

                with Session(self.engine) as s, s.begin():
                    lease = s.get(LeaseRow, NAME)
                    if lease is not None and lease.holder == self.holder:
                        s.delete(lease)
        except Exception as exc:
            log.warning("could not release scheduler leadership: %s", exc.__class__.__name__)
        finally:
            self.is_leader = False
            self._drop()

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None
