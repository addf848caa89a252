"""Scheduler leadership on SQLite: a lease judged in real time, whatever a replica's clock says."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config.settings import Settings
from bot.core.clock import FixedClock, wall_now
from bot.delivery.leader import LEASE, NAME, Leadership, leadership_for
from bot.delivery.scheduler import Scheduler
from bot.runtime.app import App
from tests.helpers import wait_for


async def test_a_replica_whose_clock_is_behind_takes_over_a_lapsed_lease_at_once(
    tmp_path: Path,
) -> None:
    """Two replicas' injected clocks may disagree (a test clock starts at a fixed instant in each
    process): the lease must lapse by the real time, or a replica started later waits its whole
    head start again before taking over."""
    behind = FixedClock(wall_now().astimezone(UTC) - timedelta(hours=1))
    app = App(Settings(database_url=f"sqlite:///{tmp_path / 'n.db'}"), clock=behind)
    # the old leader renewed its lease for the last time LEASE + 1 s ago, then froze
    assert app.store.take_lease(NAME, "frozen", wall_now() - LEASE - timedelta(seconds=1), LEASE)
    scheduler = Scheduler(app, Leadership(app.store), poller=None, posters={})  # type: ignore[arg-type]
    try:
        await scheduler.lead()
        assert scheduler.role == "leader"
    finally:
        scheduler._executor.shutdown(wait=False)
        app.close()


def test_a_lease_not_renewed_is_taken_over_and_the_old_holder_then_follows(tmp_path: Path) -> None:
    app = App(Settings(database_url=f"sqlite:///{tmp_path / 'n.db'}"))
    short = timedelta(seconds=0.5)
    first, second = (Leadership(app.store, name, lease=short) for name in ("a", "b"))
    assert first.try_lead() and not second.try_lead()
    wait_for(second.try_lead, 10, "the second to take the lapsed lease")
    assert not first.try_lead() and first.is_leader is False
    app.close()


def test_a_leader_stuck_renewing_steps_down_when_its_lease_runs_out(tmp_path: Path) -> None:
    """Another writer holds the database past the lease: the leader's renewal waits on the
    lock, and the leader stops counting itself leader when the lease it wrote runs out (so a
    follower taking over the lapsed lease is never leader beside it), not when the stuck
    renewal finally gives up."""
    path = tmp_path / "n.db"
    app = App(Settings(database_url=f"sqlite:///{path}"))
    leader = Leadership(app.store, "leader", lease=timedelta(seconds=1))
    assert leader.try_lead() and leader.is_leader
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    renewal = threading.Thread(target=leader.try_lead)
    try:
        renewal.start()
        wait_for(lambda: not leader.is_leader, 20, "the stuck leader to step down")
        assert renewal.is_alive()  # still waiting on the lock: the lease decided, not a failure
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    renewal.join(60)
    assert leader.try_lead() and leader.is_leader  # the lock gone, it leads again
    app.close()


def test_a_follower_checks_a_running_lease_without_the_write_lock(tmp_path: Path) -> None:
    """While the leader's lease runs, a follower's check needs no write lock: it answers at once
    even while the leader is in the middle of a write (or paused inside one), instead of
    queueing behind it on the busy timeout and failing."""
    path = tmp_path / "n.db"
    app = App(Settings(database_url=f"sqlite:///{path}"))
    leader, follower = Leadership(app.store, "leader"), Leadership(app.store, "follower")
    assert leader.try_lead()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # the leader, inside a write transaction
    try:
        # the store's answer, not a failure the leadership check would also turn into False
        assert app.store.take_lease(NAME, follower.holder, wall_now(), LEASE) is False
        assert follower.try_lead() is False
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert leader.try_lead() and not follower.try_lead()
    app.close()


async def test_the_lease_renewal_and_claim_times_are_the_settings(tmp_path: Path) -> None:
    """``NEWSBOT_LEADER_LEASE``, ``NEWSBOT_LEADER_RENEW`` and ``NEWSBOT_CLAIM_TTL`` reach the
    lease written, the ``lead`` job's interval and the claims (tests shorten them)."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'n.db'}", leader_lease=3, leader_renew=1, claim_ttl=4
    )
    app = App(settings)
    scheduler = Scheduler(app, leadership_for(app.store, settings), poller=None, posters={})  # type: ignore[arg-type]
    try:
        before = wall_now()
        await scheduler.lead()
        after = wall_now()
        assert scheduler.role == "leader"
        [(expires,)] = sqlite3.connect(tmp_path / "n.db").execute(
            "SELECT expires_at FROM leases WHERE name = ?", (NAME,)
        )
        expires_at = datetime.fromisoformat(expires).replace(tzinfo=UTC)
        lease = timedelta(seconds=3)
        assert before + lease <= expires_at <= after + lease
        assert scheduler.sender.claim_ttl == timedelta(seconds=4)
        scheduler.start()
        assert scheduler._aps is not None
        assert scheduler._aps.get_job("lead").trigger.interval == timedelta(seconds=1)
    finally:
        if scheduler._aps is not None:
            scheduler._aps.shutdown(wait=False)
        scheduler._executor.shutdown(wait=False)
        app.close()
