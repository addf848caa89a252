"""Destinations (chat channels) and their topic subscriptions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.store.base import StoreBase
from bot.store.models import Destination, Subscription, utcnow


@dataclass(frozen=True, slots=True)
class Place:
    """Where a message goes: platform, workspace (team or guild; "" for none), channel."""

    platform: str
    workspace: str
    channel: str

    def __str__(self) -> str:
        return f"{self.platform}:{self.workspace + '/' if self.workspace else ''}{self.channel}"


@dataclass(slots=True)
class DestinationView:
    id: int
    place: Place
    language: str | None
    paused_at: datetime | None
    paused_reason: str | None


@dataclass(slots=True)
class SubscriptionView:
    id: int
    destination: DestinationView
    topic: str
    digest_time: str
    timezone: str
    alerts: bool
    created_at: datetime


def _dest(d: Destination) -> DestinationView:
    return DestinationView(
        d.id, Place(d.platform, d.workspace, d.channel), d.language, d.paused_at, d.paused_reason
    )


class SubscriptionQueries(StoreBase):
    def destination(self, place: Place, *, create: bool = True) -> DestinationView | None:
        with self.read() as s:
            d = s.scalar(
                select(Destination).where(
                    Destination.platform == place.platform,
                    Destination.workspace == place.workspace,
                    Destination.channel == place.channel,
                )
            )
            if d is not None or not create:
                return _dest(d) if d else None
        try:
            with self.write() as s:
                d = Destination(
                    platform=place.platform, workspace=place.workspace, channel=place.channel
                )
                s.add(d)
                s.flush()
                return _dest(d)
        except IntegrityError:
            return self.destination(place, create=False)

    def subscribe(
        self,
        place: Place,
        topics: list[str],
        *,
        digest_time: str,
        timezone: str,
        alerts: bool,
        user: str | None = None,
    ) -> list[SubscriptionView]:
        dest = self.destination(place)
        assert dest is not None
        with self.write() as s:
            for topic in topics:
                sub = s.scalar(
                    select(Subscription).where(
                        Subscription.destination_id == dest.id, Subscription.topic == topic
                    )
                )
                if sub is None:
                    s.add(
                        Subscription(
                            destination_id=dest.id,
                            topic=topic,
                            digest_time=digest_time,
                            timezone=timezone,
                            alerts=alerts,
                            created_by=user,
                        )
                    )
                else:
                    sub.digest_time, sub.timezone, sub.alerts = digest_time, timezone, alerts
            row = s.get(Destination, dest.id)
            if row is not None and row.paused_at is not None:
                row.paused_at, row.paused_reason = None, None  # re-subscribing resumes posting
        return self.subscriptions(place)

    def unsubscribe(self, place: Place, topics: list[str] | None) -> list[str]:
        """Remove the given topics (all when None); returns the topics removed."""
        dest = self.destination(place, create=False)
        if dest is None:
            return []
        with self.write() as s:
            q = select(Subscription).where(Subscription.destination_id == dest.id)
            if topics is not None:
                q = q.where(Subscription.topic.in_(topics))
            removed = []
            for sub in s.scalars(q):
                removed.append(sub.topic)
                s.delete(sub)
        return removed

    def subscriptions(self, place: Place | None = None) -> list[SubscriptionView]:
        """The subscriptions of one place, or of every place."""
        with self.read() as s:
            q = select(Subscription, Destination).join(
                Destination, Destination.id == Subscription.destination_id
            )
            if place is not None:
                q = q.where(
                    Destination.platform == place.platform,
                    Destination.workspace == place.workspace,
                    Destination.channel == place.channel,
                )
            rows = s.execute(q.order_by(Destination.id, Subscription.id)).all()
        return [
            SubscriptionView(
                sub.id,
                _dest(d),
                sub.topic,
                sub.digest_time,
                sub.timezone,
                sub.alerts,
                sub.created_at,
            )
            for sub, d in rows
        ]

    def pause_destination(self, destination_id: int, reason: str) -> bool:
        """Pause posting to a destination; True only the first time (say so once)."""
        with self.write() as s:
            d = s.get(Destination, destination_id)
            if d is None or d.paused_at is not None:
                return False
            d.paused_at, d.paused_reason = utcnow(), reason
            return True
