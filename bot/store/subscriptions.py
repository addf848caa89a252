"""Destinations (chat channels) and their topic subscriptions."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.store.base import StoreBase
from bot.store.models import DestinationRow, SubscriptionRow
from bot.store.views import Destination, Place, Schedule, Subscription


def _dest(d: DestinationRow) -> Destination:
    return Destination(
        d.id, Place(d.platform, d.workspace, d.channel), d.language, d.paused_at, d.paused_reason
    )


class SubscriptionQueries(StoreBase):
    def destination(self, place: Place, *, create: bool = True) -> Destination | None:
        with self.read() as s:
            d = s.scalar(
                select(DestinationRow).where(
                    DestinationRow.platform == place.platform,
                    DestinationRow.workspace == place.workspace,
                    DestinationRow.channel == place.channel,
                )
            )
            if d is not None or not create:
                return _dest(d) if d else None
        try:
            with self.write() as s:
                d = DestinationRow(
                    platform=place.platform,
                    workspace=place.workspace,
                    channel=place.channel,
                    created_at=self.clock.now(),
                )
                s.add(d)
                s.flush()
                return _dest(d)
        except IntegrityError:
            return self.destination(place, create=False)

    def channel_destination(self, platform: str, channel: str) -> Destination | None:
        """A destination already known for this channel, in any workspace (chat commands know
        the workspace; ``digest --post`` does not)."""
        with self.read() as s:
            d = s.scalar(
                select(DestinationRow)
                .where(DestinationRow.platform == platform, DestinationRow.channel == channel)
                .order_by(DestinationRow.id)
                .limit(1)
            )
            return _dest(d) if d else None

    def subscribe(
        self, place: Place, schedules: Mapping[str, Schedule], user: str | None = None
    ) -> list[Subscription]:
        """Subscribe ``place`` to each topic on its schedule (a subscription that exists takes
        the new schedule); subscribing resumes a paused destination.  Returns the place's
        subscriptions."""
        dest = self.destination(place)
        assert dest is not None
        with self.write() as s:
            for topic, schedule in schedules.items():
                digest_time, timezone, alerts, days = (
                    schedule.digest_time,
                    schedule.timezone,
                    schedule.alerts,
                    schedule.days,
                )
                sub = s.scalar(
                    select(SubscriptionRow).where(
                        SubscriptionRow.destination_id == dest.id, SubscriptionRow.topic == topic
                    )
                )
                if sub is None:
                    s.add(
                        SubscriptionRow(
                            destination_id=dest.id,
                            topic=topic,
                            digest_time=digest_time,
                            timezone=timezone,
                            alerts=alerts,
                            days=days,
                            created_by=user,
                            created_at=self.clock.now(),
                        )
                    )
                else:
                    sub.digest_time, sub.timezone, sub.alerts = digest_time, timezone, alerts
                    sub.days = days
            row = s.get(DestinationRow, dest.id)
            if row is not None and row.paused_at is not None:
                row.paused_at, row.paused_reason = None, None  # re-subscribing resumes posting
        return self.subscriptions(place)

    def unsubscribe(self, place: Place, topics: list[str] | None) -> list[str]:
        """Remove the given topics (all when None); returns the topics removed."""
        dest = self.destination(place, create=False)
        if dest is None:
            return []
        with self.write() as s:
            q = select(SubscriptionRow).where(SubscriptionRow.destination_id == dest.id)
            if topics is not None:
                q = q.where(SubscriptionRow.topic.in_(topics))
            removed = []
            for sub in s.scalars(q):
                removed.append(sub.topic)
                s.delete(sub)
        return removed

    def subscriptions(self, place: Place | None = None) -> list[Subscription]:
        """The subscriptions of one place, or of every place."""
        with self.read() as s:
            q = select(SubscriptionRow, DestinationRow).join(
                DestinationRow, DestinationRow.id == SubscriptionRow.destination_id
            )
            if place is not None:
                q = q.where(
                    DestinationRow.platform == place.platform,
                    DestinationRow.workspace == place.workspace,
                    DestinationRow.channel == place.channel,
                )
            rows = s.execute(q.order_by(DestinationRow.id, SubscriptionRow.id)).all()
        return [
            Subscription(
                sub.id,
                _dest(d),
                sub.topic,
                sub.digest_time,
                sub.timezone,
                sub.alerts,
                sub.created_at,
                sub.days or "daily",
            )
            for sub, d in rows
        ]

    def pause_destination(self, destination_id: int, reason: str) -> bool:
        """Pause posting to a destination; True only the first time (say so once)."""
        with self.write() as s:
            d = s.get(DestinationRow, destination_id)
            if d is None or d.paused_at is not None:
                return False
            d.paused_at, d.paused_reason = self.clock.now(), reason
            return True
