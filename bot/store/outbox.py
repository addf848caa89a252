"""The delivery outbox: every post goes through a row here.

A row is keyed by (destination, key): ``digest:<scheduled instant>``, ``alert:<cluster>``,
``feed-disabled:<feed>:<when>``.  The unique key makes the decision to send a database fact: a
second replica, a restart or a catch-up run that reaches the same decision inserts nothing.  The
sender records each part it delivered (``parts_sent`` and the platform message ids) as soon as the
platform confirms it, so an interrupted delivery resumes after the last confirmed part.

Claims: before each part the sender claims the row (holder, ``claim_until``); a row claimed by
someone else is left alone until that claim runs out, and recording a part succeeds only for the
holder at that part.  So two senders (a leader that lost its lease and the new one, ``serve`` and
``digest --post``) never post the same part, and one that lost its claim stops at its next part.
The part being posted stays marked in flight until confirmed, so whoever posts it next knows it
may already have arrived.  Every check and change of a row is one write transaction (``BEGIN
IMMEDIATE`` on SQLite, ``SELECT … FOR UPDATE`` on PostgreSQL).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from bot.store.base import StoreBase, from_row
from bot.store.models import DestinationRow, OutboxRow
from bot.store.views import Claim, Delivery, OutboxEntry, Place


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

    def enqueue_group(
        self,
        destination_id: int,
        kind: str,
        key: str,
        payload: dict[str, Any],
        covered: list[str],
        created_at: datetime | None = None,
    ) -> bool:
        """Insert one row that stands for several decisions (``covered`` keys, e.g. the
        ``alert:<cluster>`` of each story an "N more alerts" message lists) and, in the same
        transaction, a row marked sent for each covered key, so none of them is planned again.
        All or nothing; False when ``key`` or any covered key exists already."""
        now = created_at or self.clock.now()
        try:
            with self.write() as s:
                taken = s.scalar(
                    select(func.count())
                    .select_from(OutboxRow)
                    .where(
                        OutboxRow.destination_id == destination_id,
                        OutboxRow.key.in_([key, *covered]),
                    )
                )
                if taken:
                    return False
                s.add(_row(destination_id, kind, key, payload, "pending", now))
                for cover in covered:  # decided, posted as part of ``key``
                    s.add(_row(destination_id, kind, cover, {"in": key}, "sent", now))
            return True
        except IntegrityError:
            return False

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

    def due_deliveries(
        self, now: datetime, holder: str, limit: int = 50, *, claims_at: datetime | None = None
    ) -> list[Delivery]:
        """Pending rows whose time has come, for destinations that are not paused, that nobody
        else holds (or whose holder's claim ran out at ``claims_at``, by default ``now``), oldest
        first."""
        claims_at = claims_at or now
        with self.read() as s:
            rows = s.execute(
                select(OutboxRow, DestinationRow)
                .join(DestinationRow, DestinationRow.id == OutboxRow.destination_id)
                .where(
                    OutboxRow.status == "pending",
                    DestinationRow.paused_at.is_(None),
                    (OutboxRow.next_attempt_at.is_(None)) | (OutboxRow.next_attempt_at <= now),
                    OutboxRow.claimed_by.is_(None)
                    | (OutboxRow.claimed_by == holder)
                    | (OutboxRow.claim_until <= claims_at),
                )
                .order_by(OutboxRow.id)
                .limit(limit)
            ).all()
        return [_delivery(o, d) for o, d in rows]

    def delivery(self, destination_id: int, key: str) -> Delivery | None:
        """The row of ``(destination, key)``, whatever its status."""
        with self.read() as s:
            row = s.execute(
                select(OutboxRow, DestinationRow)
                .join(DestinationRow, DestinationRow.id == OutboxRow.destination_id)
                .where(OutboxRow.destination_id == destination_id, OutboxRow.key == key)
            ).first()
        return _delivery(*row) if row else None

    def delivery_wait(
        self, delivery_id: int, now: datetime, *, claims_at: datetime | None = None
    ) -> float | None:
        """Seconds until the row may be tried again (a back-off by ``now``, or another sender's
        claim by ``claims_at``, by default ``now``); None when it is no longer pending."""
        with self.read() as s:
            row = s.get(OutboxRow, delivery_id)
            if row is None or row.status != "pending":
                return None
            waits = [0.0]
            if row.next_attempt_at is not None:
                waits.append((row.next_attempt_at - now).total_seconds())
            if row.claim_until is not None:
                waits.append((row.claim_until - (claims_at or now)).total_seconds())
            return max(waits)

    # -- claims: one sender at a time per row, checked before every part ----------------------

    def claim(
        self,
        delivery_id: int,
        holder: str,
        part: int,
        now: datetime,
        ttl: timedelta,
        *,
        refused: bool = False,
    ) -> Claim | None:
        """Hold the row until ``now + ttl`` to post ``part``, if it is still pending at that part
        and nobody else holds it; None otherwise (someone else sends it, or it moved on).

        The part is marked in flight: a later claim of the same part knows that an earlier
        attempt may have reached the platform (``uncertain``) and looks before posting again —
        unless ``refused``: the holder itself just saw the platform refuse it (a rate limit)."""
        with self.write() as s:
            row = s.get(OutboxRow, delivery_id, with_for_update=True)
            if row is None or row.status != "pending" or row.parts_sent != part:
                return None
            other = row.claimed_by is not None and row.claimed_by != holder
            if other and row.claim_until is not None and row.claim_until > now:
                return None
            uncertain = row.inflight_part == part and (other or not refused)
            row.claimed_by, row.claim_until, row.inflight_part = holder, now + ttl, part
            return Claim(delivery_id, part, uncertain=uncertain, taken_over=other)

    def mark_part_sent(self, delivery_id: int, holder: str, part: int, message_id: str) -> bool:
        """Record that ``part`` arrived; False when ``holder`` no longer holds the row (it must
        stop: another sender has taken over)."""
        with self.write() as s:
            row = s.get(OutboxRow, delivery_id, with_for_update=True)
            if row is None or row.claimed_by != holder or row.parts_sent != part:
                return False
            row.parts_sent = part + 1
            row.message_ids = [*row.message_ids, message_id]
            row.inflight_part = None
            return True

    def mark_sent(self, delivery_id: int, holder: str, now: datetime | None = None) -> bool:
        with self.write() as s:
            row = s.get(OutboxRow, delivery_id, with_for_update=True)
            if row is None or row.claimed_by != holder or row.status != "pending":
                return False
            row.status, row.sent_at, row.last_error = "sent", now or self.clock.now(), None
            row.claimed_by, row.claim_until, row.inflight_part = None, None, None
            return True

    def mark_failed(
        self,
        delivery_id: int,
        holder: str,
        error: str,
        next_attempt_at: datetime,
        *,
        uncertain: bool = False,
    ) -> int:
        """Count a failed attempt and let the row go (it stays pending until
        ``next_attempt_at``).  ``uncertain``: the part may have arrived (a broken connection),
        so it stays marked in flight and the next sender looks before posting it again."""
        with self.write() as s:
            row = s.get(OutboxRow, delivery_id, with_for_update=True)
            if row is None or row.claimed_by not in (None, holder):
                return 0
            row.attempts += 1
            row.last_error = error[:500]
            row.next_attempt_at = next_attempt_at
            row.claimed_by, row.claim_until = None, None
            if not uncertain:
                row.inflight_part = None
            return row.attempts

    def mark_dead(self, delivery_id: int, reason: str) -> None:
        with self.write() as s:
            row = s.get(OutboxRow, delivery_id)
            if row is not None:
                row.status, row.last_error = "dead", reason[:500]
                row.claimed_by, row.claim_until = None, None

    def renew_claims(self, holder: str, now: datetime, ttl: timedelta) -> int:
        """Extend every claim ``holder`` still has (the leader's heartbeat)."""
        with self.write() as s:
            result = s.execute(
                update(OutboxRow)
                .where(OutboxRow.claimed_by == holder, OutboxRow.status == "pending")
                .values(claim_until=now + ttl)
            )
            return int(getattr(result, "rowcount", 0) or 0)

    def release_claims(self, holder: str, delivery_id: int | None = None) -> int:
        """Let go of every row ``holder`` holds, or of one (a clean stop: another sender may go
        on at once; a part in flight stays marked so it is looked for first)."""
        with self.write() as s:
            q = update(OutboxRow).where(OutboxRow.claimed_by == holder)
            if delivery_id is not None:
                q = q.where(OutboxRow.id == delivery_id)
            result = s.execute(q.values(claimed_by=None, claim_until=None))
            return int(getattr(result, "rowcount", 0) or 0)

    def prune_outbox(self, before: datetime) -> int:
        """Delete rows sent before ``before`` and rows given up that were made before it."""
        with self.write() as s:
            result = s.execute(
                delete(OutboxRow).where(
                    ((OutboxRow.status == "sent") & (OutboxRow.sent_at < before))
                    | ((OutboxRow.status == "dead") & (OutboxRow.created_at < before))
                )
            )
            return int(getattr(result, "rowcount", 0) or 0)

    def deliveries(self, destination_id: int | None = None) -> list[OutboxEntry]:
        """Every row, oldest first (for inspection and tests)."""
        with self.read() as s:
            q = select(OutboxRow).order_by(OutboxRow.id)
            if destination_id is not None:
                q = q.where(OutboxRow.destination_id == destination_id)
            return [from_row(OutboxEntry, o, message_ids=list(o.message_ids)) for o in s.scalars(q)]

    def outbox_counts(self) -> dict[str, int]:
        """Rows per status, counted by the database."""
        with self.read() as s:
            rows = s.execute(
                select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
            ).all()
        return {status: n for status, n in rows}


def _delivery(o: OutboxRow, d: DestinationRow) -> Delivery:
    return Delivery(
        id=o.id,
        destination_id=d.id,
        place=Place(d.platform, d.workspace, d.channel),
        kind=o.kind,
        key=o.key,
        payload=dict(o.payload),
        attempts=o.attempts,
        parts_sent=o.parts_sent,
        created_at=o.created_at,
        status=o.status,
    )


def _row(
    destination_id: int, kind: str, key: str, payload: dict[str, Any], status: str, now: datetime
) -> OutboxRow:
    return OutboxRow(
        destination_id=destination_id,
        kind=kind,
        key=key,
        payload=payload,
        status=status,
        attempts=0,
        parts_sent=0,
        message_ids=[],
        next_attempt_at=None,
        created_at=now,
        sent_at=now if status == "sent" else None,
    )
