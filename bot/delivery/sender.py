"""The sender: posting due outbox rows through the platforms' posters.

The sender takes due rows, renders them (the same reply always renders to the same parts), and
posts the parts not yet confirmed, recording each confirmed part at once.  A destination the
platform refuses (auth, permission, missing or archived channel) is paused, with one log line;
its rows wait until someone subscribes again.  Other failures back off exponentially (or by
Retry-After) and stay pending.  Rows older than ``EXPIRY`` are given up.  A stopping sender
(SIGTERM) finishes and records the message being posted, then stops; the rest of the delivery
waits in the outbox for the next start.  Rows carry the planner's clock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import timedelta

from bot.chat.base import DeliveryError, DestinationBroken, Poster, TemporaryFailure
from bot.present.reply import reply_from_dict
from bot.runtime import metrics
from bot.runtime.app import App
from bot.store.views import Delivery

log = logging.getLogger(__name__)

EXPIRY = timedelta(hours=24)
MAX_BACKOFF = timedelta(hours=1)


class Stopped(Exception):
    """Raised from the part callback when the sender is stopping (the part was recorded)."""


class Sender:
    """Posts due outbox rows through the platforms' posters.  After :meth:`stop` it finishes
    the message being posted, records it, and sends nothing more."""

    def __init__(self, app: App, posters: Mapping[str, Poster]) -> None:
        self.app = app
        self.posters = dict(posters)
        self.now = app.clock.now
        self.stopping = False
        self._missing_warned: set[str] = set()

    def stop(self) -> None:
        self.stopping = True

    async def deliver(self) -> int:
        """Send what is due; returns how many rows were completed."""
        rows = await asyncio.to_thread(self.app.store.due_deliveries, self.now())
        done = 0
        for row in rows:
            if self.stopping:
                break
            if await self.deliver_one(row):
                done += 1
        return done

    async def deliver_one(self, row: Delivery) -> bool:
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
            await asyncio.to_thread(store.mark_dead, row.id, "expired before it could be sent")
            log.warning("gave up delivery %s to %s: older than %s", row.key, row.place, EXPIRY)
            return False
        reply = reply_from_dict(row.payload["reply"])

        parts = len(poster.render(reply))

        def confirmed(part: int, message_id: str) -> None:
            store.mark_part_sent(row.id, part, message_id)  # durable before the next part
            metrics.POSTS_SENT.labels(row.place.platform).inc()
            if self.stopping and part + 1 < parts:
                raise Stopped

        try:
            await poster.send(
                row.place.channel,
                reply,
                key=f"outbox-{row.id}",
                start_part=row.parts_sent,
                on_part=confirmed,
            )
        except Stopped:
            log.info(
                "delivery %s to %s stops for shutdown; the rest is sent later", row.key, row.place
            )
            return False
        except DestinationBroken as exc:
            metrics.POSTS_FAILED.labels(row.place.platform, "destination").inc()
            if await asyncio.to_thread(store.pause_destination, row.destination_id, exc.reason):
                log.warning(
                    "paused %s: %s (subscribe again there to resume)", row.place, exc.reason
                )
            return False
        except DeliveryError as exc:
            metrics.POSTS_FAILED.labels(row.place.platform, "temporary").inc()
            retry_after = exc.retry_after if isinstance(exc, TemporaryFailure) else None
            delay = (
                timedelta(seconds=retry_after)
                if retry_after
                else min(MAX_BACKOFF, timedelta(seconds=5 * 2 ** min(row.attempts, 10)))
            )
            await asyncio.to_thread(store.mark_failed, row.id, exc.reason, self.now() + delay)
            log.warning(
                "delivery %s to %s failed (%s); retrying in %s",
                row.key,
                row.place,
                exc.reason,
                delay,
            )
            return False
        await asyncio.to_thread(store.mark_sent, row.id, self.now())
        return True
