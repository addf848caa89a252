"""The sender: posting due outbox rows, one part at a time, for every platform and every caller
(the scheduler, and ``newsbot digest --post``).

For each row it renders the stored reply (the same reply always renders to the same parts) and
then, for each part not yet confirmed:

1. stops if it is stopping (SIGTERM) or may no longer send (this replica lost leadership);
2. claims the row for that part (:meth:`bot.store.outbox.OutboxQueries.claim`): if another
   sender holds it, or the row moved on, it leaves the row alone;
3. if an earlier attempt at the part may have arrived (it was in flight when its sender died,
   froze or lost its connection), asks the platform whether it is there
   (:meth:`bot.chat.base.Poster.find_part`) and records it instead of posting it again;
4. posts the part and records it at once; if recording fails, another sender has taken the row
   over and this one stops.

So a part is posted by one sender only, a sender that lost the row stops at the next part, and
a crash resumes after the last confirmed part.  When every part is recorded, the row is sent.

Rate limits (:func:`bot.chat.base.wait_in_place`, the one rule a command's picture share follows
too): a Retry-After of up to :data:`~bot.chat.base.INLINE_WAIT` seconds is waited out in place (the
claim stays alive: the scheduler renews it), then the row is claimed again before the part is
posted once more; a longer one puts the row off until then.

Failures: a destination the platform refuses (auth, permission, missing or archived channel) is
paused, with one log line; its rows wait until someone subscribes again.  Other failures back off
exponentially (or by Retry-After) and the row stays pending (released, so any sender may go on
when it is due).  Rows older than :data:`EXPIRY` are given up.  Every store call runs off the
event loop (``db``, by default ``asyncio.to_thread``): a locked database delays a delivery, never
the loop.  Rows carry the planner's clock; claims are taken, renewed and judged in real time
(:func:`bot.core.clock.wall_now`), like the leadership lease: they are between processes, whose
injected clocks need not agree.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any

from bot.chat.base import (
    DeliveryError,
    DestinationBroken,
    Poster,
    TemporaryFailure,
    wait_in_place,
)
from bot.core import metrics
from bot.core.clock import wall_now
from bot.present.reply import reply_from_dict
from bot.services.context import ServiceContext
from bot.store.views import Delivery

log = logging.getLogger(__name__)

EXPIRY = timedelta(hours=24)
MAX_BACKOFF = timedelta(hours=1)
DbRunner = Callable[..., Awaitable[Any]]


class Sender:
    """Posts due outbox rows through the platforms' posters (rules in the module docstring).

    ``holder`` names this sender in claims (the replica's leadership holder).  ``may_send`` is
    asked before every part (the scheduler's: still the leader?).  After :meth:`stop` it finishes
    the part being posted, records it, and posts nothing more."""

    def __init__(
        self,
        app: ServiceContext,
        posters: Mapping[str, Poster],
        *,
        holder: str,
        may_send: Callable[[], bool] = lambda: True,
        db: DbRunner = asyncio.to_thread,
    ) -> None:
        self.app = app
        self.posters = dict(posters)
        self.holder = holder
        self.may_send = may_send
        self.db = db
        self.now = app.clock.now
        self.claim_now = wall_now  # claims are judged in real time (module docstring)
        # NEWSBOT_CLAIM_TTL: longer than one part can take (a Web API call: 20 s at most)
        self.claim_ttl = timedelta(seconds=app.settings.claim_ttl)
        self.stopping = False
        self._missing_warned: set[str] = set()

    def stop(self) -> None:
        self.stopping = True

    async def deliver(self) -> int:
        """Send what is due; returns how many rows were completed."""
        store = self.app.store
        rows = await self.db(
            store.due_deliveries, self.now(), self.holder, claims_at=self.claim_now()
        )
        done = 0
        for row in rows:
            if self.stopping or not self.may_send():
                break
            if await self.deliver_one(row):
                done += 1
        return done

    async def deliver_one(self, row: Delivery) -> bool:
        """Post what is left of one row; True when it is now sent."""
        store = self.app.store
        poster = self.posters.get(row.place.platform)
        if poster is None:
            if row.place.platform not in self._missing_warned:
                self._missing_warned.add(row.place.platform)
                log.warning(
                    "deliveries to %s wait: no %s token is set",
                    row.place.platform,
                    row.place.platform,
                )
            return False
        if self.now() - row.created_at > EXPIRY:
            await self.db(store.mark_dead, row.id, "expired before it could be sent")
            log.warning("gave up delivery %s to %s: older than %s", row.key, row.place, EXPIRY)
            return False
        payloads = poster.render(reply_from_dict(row.payload["reply"]))
        key = f"outbox-{row.id}"  # the mark each part carries (Slack metadata, Discord nonce)
        part = row.parts_sent
        refused = False  # this sender just saw the platform refuse ``part`` (it did not arrive)
        while part < len(payloads):
            if self.stopping or not self.may_send():
                why = "stopping" if self.stopping else "no longer the scheduler leader"
                await self.db(store.release_claims, self.holder, row.id)
                log.info(
                    "delivery %s to %s pauses (%s); the rest is sent later", row.key, row.place, why
                )
                return False
            claim = await self.db(
                store.claim,
                row.id,
                self.holder,
                part,
                self.claim_now(),
                self.claim_ttl,
                refused=refused,
            )
            refused = False
            if claim is None:
                log.info("delivery %s to %s: another sender has it", row.key, row.place)
                return False
            message_id = None
            if claim.uncertain:
                message_id = await poster.find_part(row.place.channel, key=key, part=part)
                if message_id is not None:
                    log.info("delivery %s part %d had arrived; not posting it again", row.key, part)
            if message_id is None:
                try:
                    message_id = await poster.post_part(
                        row.place.channel,
                        payloads[part],
                        key=key,
                        part=part,
                        parts=len(payloads),
                    )
                except DeliveryError as exc:
                    wait = wait_in_place(exc)
                    if wait is not None:
                        # rate limited: wait here (the claim is kept alive), then claim the
                        # row again before posting the part once more
                        log.info(
                            "delivery %s to %s: rate limited; waiting %.0f s",
                            row.key,
                            row.place,
                            wait,
                        )
                        await self._rest(wait)
                        refused = True
                        continue
                    await self._failed(row, exc)
                    return False
                metrics.POSTS_SENT.labels(row.place.platform).inc()
            if not await self.db(store.mark_part_sent, row.id, self.holder, part, message_id):
                log.warning(
                    "delivery %s to %s: another sender took it over; this one stops",
                    row.key,
                    row.place,
                )
                return False
            part += 1
        return bool(await self.db(store.mark_sent, row.id, self.holder, self.now()))

    async def _rest(self, seconds: float) -> None:
        """Sleep ``seconds``, waking early when stopping (the loop then pauses the row)."""
        deadline = asyncio.get_running_loop().time() + seconds
        while not self.stopping:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                return
            await asyncio.sleep(min(left, 0.5))

    async def _failed(self, row: Delivery, exc: DeliveryError) -> None:
        store = self.app.store
        if isinstance(exc, DestinationBroken):
            metrics.POSTS_FAILED.labels(row.place.platform, "destination").inc()
            await self.db(store.release_claims, self.holder, row.id)
            if await self.db(store.pause_destination, row.destination_id, exc.reason):
                log.warning(
                    "paused %s: %s (subscribe again there to resume)", row.place, exc.reason
                )
            return
        metrics.POSTS_FAILED.labels(row.place.platform, "temporary").inc()
        temporary = exc if isinstance(exc, TemporaryFailure) else None
        retry_after = temporary.retry_after if temporary else None
        delay = (
            timedelta(seconds=retry_after)
            if retry_after
            else min(MAX_BACKOFF, timedelta(seconds=5 * 2 ** min(row.attempts, 10)))
        )
        uncertain = bool(temporary and temporary.uncertain)
        await self.db(
            store.mark_failed,
            row.id,
            self.holder,
            exc.reason,
            self.now() + delay,
            uncertain=uncertain,
        )
        log.warning(
            "delivery %s to %s failed (%s); retrying in %s", row.key, row.place, exc.reason, delay
        )
