"""The scheduler of ``newsbot serve`` (APScheduler 3, asyncio).

Four interval jobs, none overlapping itself (``max_instances=1``, missed runs coalesced):

* ``lead`` (every ``NEWSBOT_LEADER_RENEW``, 5 s): take or keep scheduler leadership (:mod:`bot.delivery.leader`),
  renew this replica's outbox claims, and prune sent rows older than ``NEWSBOT_OUTBOX_RETENTION``
  (hourly); nothing else, so a long delivery never lets the lease lapse;
* ``poll`` (every ``POLL_EVERY`` s): poll → process → plan: poll the feeds that are due (each
  feed has its own deadline), analyse the new items in one stream, and plan at once, so alerts go
  out right after the items that raise them; this job is separate from the others, so a slow poll
  never delays a digest;
* ``plan`` (every ``PLAN_EVERY`` s): write the due digests, alerts and notices to the outbox — a
  digest is due at its minute, and the first run right after start catches up on a digest missed
  while newsbot was down (within the grace window);
* ``deliver`` (every ``DELIVER_EVERY`` s): send what the outbox holds.

Only the leader polls, plans and delivers; every replica answers chat commands.  A replica that
becomes leader polls, plans and delivers at once; one that loses leadership stops its delivery
at the next part (the sender asks before each one, and its claims lapse).  Store calls run on
the scheduler's own threads (:meth:`Scheduler.db`).  On shutdown no new job starts, and the message
being posted is allowed to finish (the rest of its delivery waits in the outbox).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any, TypeVar

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.chat.base import Poster
from bot.core import metrics
from bot.core.clock import wall_now
from bot.core.logcause import cause
from bot.delivery.leader import Leadership
from bot.delivery.planner import Planner
from bot.delivery.sender import Sender
from bot.ingest.poller import Poller
from bot.services import articles
from bot.services.context import ServiceContext

log = logging.getLogger(__name__)

POLL_EVERY = 30.0
PLAN_EVERY = 5.0
DELIVER_EVERY = 2.0
PRUNE_EVERY = timedelta(hours=1)
DB_THREADS = 4
T = TypeVar("T")


class Scheduler:
    def __init__(
        self,
        app: ServiceContext,
        leadership: Leadership,
        poller: Poller,
        posters: Mapping[str, Poster],
    ) -> None:
        self.app = app
        self.leadership = leadership
        self.poller = poller
        self.planner = Planner(app)
        self.clock = app.clock
        # the scheduler's store work has threads of its own: a locked database holds up these,
        # never the threads that answer chat commands and /healthz
        self._executor = ThreadPoolExecutor(max_workers=DB_THREADS, thread_name_prefix="newsbot-db")
        self.sender = Sender(
            app,
            posters,
            holder=leadership.holder,
            may_send=lambda: self.leadership.is_leader and not self.stopping,
            db=self.db,
        )
        self.last_poll: datetime | None = None
        self.runs = {"poll": 0, "plan": 0, "deliver": 0}  # completed runs as leader (/healthz)
        self.delivering = asyncio.Lock()
        self.stopping = False
        self._aps: AsyncIOScheduler | None = None
        self._pruned_at: datetime | None = None

    async def db(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a blocking store call on the scheduler's own threads."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    @property
    def role(self) -> str:
        return "leader" if self.leadership.is_leader else "follower"

    def start(self) -> None:
        aps = AsyncIOScheduler(timezone="UTC")
        first = wall_now()  # APScheduler runs in real time
        for job, every in (
            (self.lead, self.app.settings.leader_renew),
            (self.poll, POLL_EVERY),
            (self.plan, PLAN_EVERY),
            (self.deliver, DELIVER_EVERY),
        ):
            aps.add_job(
                self._until_stopped(job),
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

    def _until_stopped(self, job: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
        """``job`` as APScheduler runs it: a run cancelled because ``serve`` is stopping (the
        scheduler's shutdown cancels what still runs) ends quietly, never as a failed job."""

        async def run() -> None:
            try:
                await job()
            except asyncio.CancelledError:
                if not self.stopping:
                    raise
                log.info("shutdown: %s stopped in the middle", job.__name__)

        run.__name__ = job.__name__
        return run

    async def lead(self) -> None:
        """Take or keep leadership, and keep this replica's outbox claims alive.  This job does
        nothing else, so no delivery, poll or plan (however long) can let the lease lapse."""
        if self.stopping:
            return
        was_leader = self.leadership.is_leader
        now = self.clock.now()
        leader = await self.db(self.leadership.try_lead)  # in real time (see leader.py)
        metrics.LEADER.set(1 if leader else 0)
        if not leader or self.stopping:
            return
        try:
            await self.db(  # claims run in real time, like the lease (sender.py)
                self.app.store.renew_claims,
                self.leadership.holder,
                wall_now(),
                self.sender.claim_ttl,
            )
            await self._prune(now)
        except Exception as exc:
            log.warning("outbox upkeep failed: %s", cause(exc))
        if not was_leader and self._aps is not None:
            # a new leader polls, plans and delivers at once instead of at their next tick
            for job in ("poll", "plan", "deliver"):
                self._aps.modify_job(job, next_run_time=wall_now())

    async def _prune(self, now: datetime) -> None:
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
            return
        self._pruned_at = now
        retention = timedelta(seconds=self.app.settings.outbox_retention)
        pruned = await self.db(self.app.store.prune_outbox, now - retention)
        if pruned:
            log.info("outbox: pruned %d rows older than %s", pruned, retention)

    async def poll(self) -> None:
        if self.stopping or not self.leadership.is_leader:
            return
        try:
            report = await self.poller.poll(now=self.clock.now())
        except Exception as exc:
            log.error("poll failed: %s", cause(exc))
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
            await self.process()
            await self.plan()  # alerts go out right after the items that raise them

    async def process(self) -> None:
        """Analyse what the poll stored (analyse, match, index: the same path as seeds)."""
        try:
            await asyncio.to_thread(articles.catch_up, self.app)
        except Exception:  # stored but not yet analysed: the next run analyses them
            log.exception("analysing the new items failed; they are stored")

    async def plan(self) -> None:
        if self.stopping or not self.leadership.is_leader:
            return
        try:
            await self.db(self.planner.plan, self.clock.now())
        except Exception as exc:
            log.error("planning deliveries failed: %s", cause(exc))
        self.runs["plan"] += 1

    async def deliver(self) -> None:
        if self.stopping or not self.leadership.is_leader:
            return
        async with self.delivering:
            try:
                await self.sender.deliver()
            except Exception as exc:
                log.error("delivering failed: %s", cause(exc))
            self.runs["deliver"] += 1

    async def shutdown(self, timeout: float = 30.0) -> None:
        """Start no new job, let the part being posted finish (the sender stops after it; the
        rest of its delivery stays in the outbox), let go of the claims and of leadership, so a
        follower goes on at once.

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
        try:
            await self.db(self.app.store.release_claims, self.leadership.holder)
        except Exception as exc:
            log.warning("could not release outbox claims: %s", exc.__class__.__name__)
        await self.db(self.leadership.release)
        self._executor.shutdown(wait=False)
