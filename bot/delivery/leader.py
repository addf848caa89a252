"""One scheduler leader among the replicas that share a database.

PostgreSQL: a session advisory lock held on a dedicated connection.  When the leader's process
dies its connection closes and PostgreSQL frees the lock at once; a follower takes it on its next
try.  SQLite (one machine): a lease row renewed every few seconds; a lease not renewed for
``NEWSBOT_LEADER_LEASE`` (15 s) may be taken over.  Every replica answers chat commands; only the leader polls
feeds, plans and sends deliveries.

The lease is written and judged in real time (:func:`bot.core.clock.wall_now`), never with a
replica's injected clock: a lease is a contract between processes, and two processes' injected
clocks need not agree (a test clock starts at a fixed instant in each process, so a replica
started 20 s after the leader saw the leader's lease 20 s "in the future" and took over 20 s
late — more under load, when start-up takes longer).

On SQLite a leader whose renewal is held up (another writer holds the database past the lease)
stops counting itself leader when the lease it last wrote runs out, a moment before a follower
may take it over, instead of when the stuck renewal finally fails: two replicas never both
report ``leader`` (or both send) while one of them waits on the lock.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import datetime, timedelta

from bot.config.settings import Settings
from bot.core.clock import wall_now
from bot.store import Store
from bot.store.leases import AdvisoryLock

log = logging.getLogger(__name__)

LOCK_KEY = 0x6E657773  # "news"
LEASE = timedelta(seconds=15)  # the default of NEWSBOT_LEADER_LEASE
NAME = "scheduler"


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def leadership_for(store: Store, settings: Settings) -> Leadership:
    """This replica's leadership with the lease of ``NEWSBOT_LEADER_LEASE``."""
    return Leadership(store, lease=timedelta(seconds=settings.leader_lease))


class Leadership:
    """Call :meth:`try_lead` every few seconds (it blocks briefly: run it in a thread)."""

    def __init__(self, store: Store, holder: str | None = None, lease: timedelta = LEASE) -> None:
        self.store = store
        self.holder = holder or holder_id()
        self.lease = lease
        self._leading = False
        self._valid_until: datetime | None = None  # SQLite: when the lease last written ends
        self._lock: AdvisoryLock | None = None
        if store.dialect == "postgresql":
            self._lock = store.advisory_lock(LOCK_KEY)

    @property
    def is_leader(self) -> bool:
        """Whether this replica leads now: on SQLite, only while the lease it last wrote runs
        (less a margin), whatever a renewal stuck on the database's lock will say."""
        if not self._leading:
            return False
        if self._lock is not None or self._valid_until is None:
            return True
        return wall_now() < self._valid_until

    @is_leader.setter
    def is_leader(self, value: bool) -> None:
        self._leading = value

    def try_lead(self, now: datetime | None = None) -> bool:
        """Take or keep leadership; ``now`` is the real time (given only by tests)."""
        now = now or wall_now()
        was = self.is_leader
        try:
            if self._lock is not None:
                self.is_leader = self._lock.acquire()
            else:
                self.is_leader = self.store.take_lease(NAME, self.holder, now, self.lease)
                # the lease written ends at now + lease; stop a moment before a follower may
                margin = min(timedelta(seconds=1), self.lease / 5)
                self._valid_until = now + self.lease - margin
        except Exception as exc:  # a database hiccup: not leader until it answers again
            log.warning("scheduler leadership check failed: %s", exc.__class__.__name__)
            self.is_leader = False
        if self.is_leader != was:
            log.info("scheduler: %s (%s)", "leader" if self.is_leader else "follower", self.holder)
        return self.is_leader

    def release(self) -> None:
        """Give up leadership (on a clean shutdown) so a follower takes over at once."""
        try:
            if self._lock is not None:
                self._lock.release()
            elif self.is_leader:
                self.store.release_lease(NAME, self.holder)
        except Exception as exc:
            log.warning("could not release scheduler leadership: %s", exc.__class__.__name__)
        finally:
            self.is_leader = False
