"""The scheduler of ``newsbot serve`` (APScheduler 3, asyncio).

Four interval jobs, none overlapping itself (``max_instances=1``, missed runs coalesced):

* ``lead`` (every ``LEAD_EVERY`` s): take or keep scheduler leadership (:mod:`bot.delivery.leader`);
* ``poll`` (every ``POLL_EVERY`` s): poll the feeds that are due; each feed has its own deadline,
  and this job is separate from the others, so a slow poll never delays a digest;
* ``plan`` (every ``PLAN_EVERY`` s): write the due digests, alerts and notices to the outbox — a
  digest is due at its minute, and the first run right after start catches up on a digest missed
  while newsbot was down (within the grace window);
* ``deliver`` (every ``DELIVER_EVERY`` s): send what the outbox holds.

Only the leader polls, plans and delivers; every replica answers chat commands.  A replica that
becomes leader polls, plans and delivers at once.  On shutdown no new job starts, and the message
being posted is allowed to finish (the rest of its delivery waits in the outbox).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.core.clock import Clock, wall_now
from bot.delivery.leader import Leadership
from bot.delivery.planner import Planner
from bot.delivery.sender import Sender
from bot.ingest.poller import Poller
from bot.runtime import metrics

log = logging.getLogger(__name__)

LEAD_EVERY = 5.0
POLL_EVERY = 30.0
PLAN_EVERY = 5.0
DELIVER_EVERY = 2.0


class Scheduler:
    def __init__(
        self,
        leadership: Leadership,
        watcher: Poller,
        planner: Planner,
        sender: Sender,
        clock: Clock,
    ) -> None:
        self.leadership = leadership
        self.watcher = watcher
        self.planner = planner
        self.sender = sender
        self.clock = clock
        self.last_poll: datetime | None = None
        self.runs = {"poll": 0, "plan": 0, "deliver": 0}  # completed runs as leader (/healthz)
        self.delivering = asyncio.Lock()
        self.stopping = False
        self._aps: AsyncIOScheduler | None = None

    @property
    def role(self) -> str:
        return "leader" if self.leadership.is_leader else "follower"

    def start(self) -> None:
        aps = AsyncIOScheduler(timezone="UTC")
        first = wall_now()  # APScheduler runs in real time
        for job, every in (
            (self.lead, LEAD_EVERY),
            (self.poll, POLL_EVERY),
            (self.plan, PLAN_EVERY),
            (self.deliver, DELIVER_EVERY),
        ):
            aps.add_job(
                job,
                "interval",
                seconds=every,
                id=job.__name__,
                next_run_time=first,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=60,
            )
        aps.start()
        self._aps = aps

    async def lead(self) -> None:
        if self.stopping:
            return
        was_leader = self.leadership.is_leader
        leader = await asyncio.to_thread(self.leadership.try_lead, self.clock.now())
        metrics.LEADER.set(1 if leader else 0)
        if leader and not was_leader and not self.stopping and self._aps is not None:
            # a new leader polls at once (in the poll job: it may take long) …
            self._aps.modify_job("poll", next_run_time=wall_now())
        if leader and not self.stopping:
            # … and plans and delivers at once instead of waiting for their next tick
            await self.plan()
            await self.deliver()

    async def poll(self) -> None:
        if self.stopping or not self.leadership.is_leader:
            return
        try:
            report = await self.watcher.poll(now=self.clock.now())
        except Exception as exc:
            log.error("poll failed: %s: %s", exc.__class__.__name__, exc)
            return
        self.last_poll = self.clock.now()
        self.runs["poll"] += 1
        metrics.POLL_SECONDS.observe(report.duration_s)
        metrics.ITEMS_INGESTED.inc(report.items_ingested)
        metrics.FEED_ERRORS.inc(report.feed_errors)
        if report.feeds_polled:
            log.info(
                "polled %d feeds: %d new items, %d failed",
                report.feeds_polled,
                report.items_ingested,
                report.feed_errors,
            )
        if report.items_ingested:
            await self.plan()  # alerts go out right after the items that raise them

    async def plan(self) -> None:
        if self.stopping or not self.leadership.is_leader:
            return
        try:
            await asyncio.to_thread(self.planner.plan, self.clock.now())
        except Exception as exc:
            log.error("planning deliveries failed: %s: %s", exc.__class__.__name__, exc)
        self.runs["plan"] += 1

    async def deliver(self) -> None:
        if self.stopping or not self.leadership.is_leader:
            return
        async with self.delivering:
            try:
                await self.sender.deliver()
            except Exception as exc:
                log.error("delivering failed: %s: %s", exc.__class__.__name__, exc)
            self.runs["deliver"] += 1

    async def shutdown(self, timeout: float = 30.0) -> None:
        """Start no new job, let the message being posted finish (the sender stops after it;
        the rest of its delivery stays in the outbox), give up leadership.

        The delivery is awaited *before* APScheduler shuts down, because that cancels the jobs
        still running — a post cancelled half-way may arrive without being recorded."""
        self.stopping = True
        self.sender.stop()
        try:
            async with asyncio.timeout(timeout):
                async with self.delivering:
                    pass
        except TimeoutError:
            log.warning("shutdown: a delivery did not finish within %.0f s", timeout)
        if self._aps is not None:
            self._aps.shutdown(wait=False)
        await asyncio.to_thread(self.leadership.release)
