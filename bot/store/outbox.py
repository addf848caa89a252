"""The delivery outbox: every post goes through a row here.

A row is keyed by (destination, key): ``digest:<scheduled instant>``, ``alert:<cluster>``,
``feed-disabled:<feed>:<when>``.  The unique key makes the decision to send a database fact: a
second replica, a restart or a catch-up run that reaches the same decision inserts nothing.  The
sender records each part it delivered (``parts_sent`` and the platform message ids) as soon as the
platform confirms it, so an interrupted delivery resumes after the last confirmed part.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.store.base import StoreBase
from bot.store.models import DestinationRow, OutboxRow
from bot.store.views import Delivery, OutboxEntry, Place


class OutboxQueries(StoreBase):
    def enqueue(
        self,
        destination_id: int,
        kind: str,
        key: str,
        payload: dict[str, Any],
        created_at: datetime | None = None,
    ) -> bool:
        """Insert the row unless that (destination, key) exists; True when inserted.
        ``created_at`` is the planner's clock (the sender measures expiry with the same one)."""
        try:
            with self.write() as s:
                exists = s.scalar(
                    select(OutboxRow.id).where(
                        OutboxRow.destination_id == destination_id, OutboxRow.key == key
                    )
                )
                if exists is not None:
                    return False
                s.add(
                    OutboxRow(
                        destination_id=destination_id,
                        kind=kind,
                        key=key,
                        payload=payload,
                        status="pending",
                        attempts=0,
                        parts_sent=0,
                        message_ids=[],
                        next_attempt_at=None,
                        created_at=created_at or self.clock.now(),
                    )
                )
            return True
        except IntegrityError:
            return False  # another replica decided the same a moment earlier

    def has_delivery(self, destination_id: int, key: str) -> bool:
        with self.read() as s:
            return (
                s.scalar(
                    select(OutboxRow.id).where(
                        OutboxRow.destination_id == destination_id, OutboxRow.key == key
                    )
                )
                is not None
            )

    def due_deliveries(self, now: datetime, limit: int = 50) -> list[Delivery]:
        """Pending rows whose time has come, for destinations that are not paused, oldest
        first."""
        with self.read() as s:
            rows = s.execute(
                select(OutboxRow, DestinationRow)
                .join(DestinationRow, DestinationRow.id == OutboxRow.destination_id)
                .where(
                    OutboxRow.status == "pending",
                    DestinationRow.paused_at.is_(None),
                    (OutboxRow.next_attempt_at.is_(None)) | (OutboxRow.next_attempt_at <= now),
                )
                .order_by(OutboxRow.id)
                .limit(limit)
            ).all()
        return [
            Delivery(
                id=o.id,
                destination_id=d.id,
                place=Place(d.platform, d.workspace, d.channel),
                kind=o.kind,
                key=o.key,
                payload=dict(o.payload),
                attempts=o.attempts,
                parts_sent=o.parts_sent,
                created_at=o.created_at,
            )
            for o, d in rows
        ]

    def mark_part_sent(self, delivery_id: int, part: int, message_id: str) -> None:
        with self.write() as s:
            row = s.get(OutboxRow, delivery_id)
            if row is None:
                return
            row.parts_sent = max(row.parts_sent, part + 1)
            row.message_ids = [*row.message_ids, message_id]

    def mark_sent(self, delivery_id: int, now: datetime | None = None) -> None:
        with self.write() as s:
            row = s.get(OutboxRow, delivery_id)
            if row is not None:
                row.status, row.sent_at, row.last_error = "sent", now or self.clock.now(), None

    def mark_failed(self, delivery_id: int, error: str, next_attempt_at: datetime) -> int:
        """Count a failed attempt; the row stays pending until ``next_attempt_at``."""
        with self.write() as s:
            row = s.get(OutboxRow, delivery_id)
            if row is None:
                return 0
            row.attempts += 1
            row.last_error = error[:500]
            row.next_attempt_at = next_attempt_at
            return row.attempts

    def mark_dead(self, delivery_id: int, reason: str) -> None:
        with self.write() as s:
            row = s.get(OutboxRow, delivery_id)
            if row is not None:
                row.status, row.last_error = "dead", reason[:500]

    def deliveries(self, destination_id: int | None = None) -> list[OutboxEntry]:
        """Every row, oldest first (for inspection and tests)."""
        with self.read() as s:
            q = select(OutboxRow).order_by(OutboxRow.id)
            if destination_id is not None:
                q = q.where(OutboxRow.destination_id == destination_id)
            return [
                OutboxEntry(
                    id=o.id,
                    destination_id=o.destination_id,
                    kind=o.kind,
                    key=o.key,
                    status=o.status,
                    attempts=o.attempts,
                    parts_sent=o.parts_sent,
                    message_ids=list(o.message_ids),
                    last_error=o.last_error,
                )
                for o in s.scalars(q)
            ]

    def outbox_counts(self) -> dict[str, int]:
        """Rows per status, counted by the database."""
        with self.read() as s:
            rows = s.execute(
                select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
            ).all()
        return {status: n for status, n in rows}
