"""Scheduler leadership on SQLite: a lease judged in real time, whatever a replica's clock says."""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path

from bot.config.settings import Settings
from bot.core.clock import FixedClock, wall_now
from bot.delivery.leader import LEASE, NAME, Leadership
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
