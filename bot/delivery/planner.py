"""Deciding what to post (the planner) and posting it (the sender), through the outbox.

**Digests.**  A subscription names a topic, a local time and a time zone.  A destination's
subscriptions that share a time and zone make one digest, due at the most recent such instant.
The planner writes the digest's outbox row (key ``digest:<instant>``, the rendered reply and its
item ids) once the instant has passed and while it is within ``NEWSBOT_DIGEST_GRACE`` — so a
digest missed while newsbot was down is sent once on start, never twice, and never when it is
too old to matter.  A digest covers the items ingested (not silent) in the 24 hours before its
instant; an empty digest is not sent.  A subscription made after today's instant starts tomorrow.

**Alerts.**  For a subscription with alerts on: an item carrying its topic, first seen after the
subscription and within ``ALERT_LOOKBACK``, not silent, whose score reaches the topic's
``alert_score`` or that counts at least ``NEWSBOT_ALERT_MIN_GPUS`` GPUs.  One alert per story
cluster per destination (key ``alert:<cluster>``).

**Notices.**  A feed disabled for errors is announced once (key ``feed-disabled:<feed>:<when>``)
in each channel subscribed to a topic its items carried (every subscribed channel when it never
matched anything), if it was disabled within ``NOTICE_LOOKBACK``.

**Sending.**  The sender takes due rows, renders them (the same reply always renders to the same
parts), and posts the parts not yet confirmed, recording each confirmed part at once.  A
destination the platform refuses (auth, permission, missing or archived channel) is paused, with
one log line; its rows wait until someone subscribes again.  Other failures back off
exponentially (or by Retry-After) and stay pending.  Rows older than ``EXPIRY`` are given up.
A stopping sender (SIGTERM) finishes and records the message being posted, then stops; the rest
of the delivery waits in the outbox for the next start.  Rows carry the planner's clock.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.chat.base import DeliveryError, DestinationBroken, Poster, TemporaryFailure
from bot.present.i18n import t
from bot.present.reply import (
    Reply,
    Section,
    digest_reply,
    entry_card,
    reply_from_dict,
    reply_to_dict,
)
from bot.runtime import metrics
from bot.runtime.app import App
from bot.services.digests import build_digest, entry_for
from bot.store import Subscription, Window
from bot.store.outbox import Delivery
from bot.store.views import Article

log = logging.getLogger(__name__)

ALERT_LOOKBACK = timedelta(hours=6)
NOTICE_LOOKBACK = timedelta(days=3)
EXPIRY = timedelta(hours=24)
MAX_BACKOFF = timedelta(hours=1)


def last_instant(now: datetime, hhmm: str, tz: str) -> datetime:
    """The most recent local ``hhmm`` in ``tz`` at or before ``now`` (aware, in that zone)."""
    zone = ZoneInfo(tz)
    local = now.astimezone(zone)
    hour, minute = (int(x) for x in hhmm.split(":"))
    today = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return today if today <= local else today - timedelta(days=1)


class Planner:
    def __init__(self, app: App) -> None:
        self.app = app
        self._empty: set[tuple[int, str]] = set()  # digests found empty (not re-computed)

    def plan(self, now: datetime) -> int:
        """Write the outbox rows that are due at ``now``; returns how many were written."""
        by_dest: dict[int, list[Subscription]] = defaultdict(list)
        for sub in self.app.store.subscriptions():
            if sub.destination.paused_at is None:
                by_dest[sub.destination.id].append(sub)
        written = 0
        for dest_id, subs in by_dest.items():
            written += self._digests(dest_id, subs, now)
            written += self._alerts(dest_id, subs, now)
        written += self._notices(by_dest, now)
        return written

    def _lang(self, sub: Subscription) -> str:
        return sub.destination.language or self.app.settings.language

    def _digests(self, dest_id: int, subs: list[Subscription], now: datetime) -> int:
        groups: dict[tuple[str, str], list[Subscription]] = defaultdict(list)
        for sub in subs:
            groups[(sub.digest_time, sub.timezone)].append(sub)
        written = 0
        grace = timedelta(seconds=self.app.settings.digest_grace)
        for (hhmm, tz), group in groups.items():
            instant = last_instant(now, hhmm, tz)
            if now - instant > grace or instant < min(s.created_at for s in group):
                continue
            key = f"digest:{instant.isoformat()}"
            if (dest_id, key) in self._empty or self.app.store.has_delivery(dest_id, key):
                continue
            topics = sorted({s.topic for s in group}, key=self.app.topics.ids().index)
            since = instant - timedelta(days=1)
            ids = self.app.store.matched_ids(
                Window(topics=topics, seen_since=since, seen_until=instant, include_silent=False)
            )
            lang = self._lang(group[0])
            digest = build_digest(
                self.app.store.articles(ids),
                self.app.topics,
                wanted=topics,
                since=since,
                until=instant,
                lang=lang,
            )
            if not digest.entries:
                self._empty.add((dest_id, key))
                continue
            reply = digest_reply(digest, self.app.topics, tz, lang)
            payload = {
                "reply": reply_to_dict(reply),
                "items": [i.id for i in digest.items],
                "topics": topics,
            }
            if self.app.store.enqueue(dest_id, "digest", key, payload, now):
                written += 1
                log.info(
                    "digest %s for destination %d: %d stories", key, dest_id, len(digest.entries)
                )
        return written

    def _alerts(self, dest_id: int, subs: list[Subscription], now: datetime) -> int:
        written = 0
        for sub in subs:
            if not sub.alerts:
                continue
            since = max(sub.created_at, now - ALERT_LOOKBACK)
            ids = self.app.store.matched_ids(
                Window(topics=[sub.topic], seen_since=since, include_silent=False)
            )
            # scores and entities only: this runs every few seconds, bodies are loaded for the
            # few items that do raise an alert
            for facts in self.app.store.alert_facts(ids):
                if not self.is_alert(facts.scores, facts.entities, sub.topic):
                    continue
                key = f"alert:{facts.cluster_id}"
                if self.app.store.has_delivery(dest_id, key):
                    continue
                (item,) = self.app.store.articles([facts.id])
                reply = self.alert_reply(item, sub)
                payload = {"reply": reply_to_dict(reply), "items": [item.id]}
                if self.app.store.enqueue(dest_id, "alert", key, payload, now):
                    written += 1
        return written

    def is_alert(
        self, scores: dict[str, float], entities: list[dict[str, Any]], topic_id: str
    ) -> bool:
        """For an item that carries ``topic_id``: big enough for an instant alert?"""
        topic = self.app.topics.get(topic_id)
        if topic is None:
            return False
        if topic.alert_score is not None and scores.get(topic_id, 0.0) >= topic.alert_score:
            return True
        floor = self.app.settings.alert_min_gpus
        return floor > 0 and any(
            e.get("kind") == "gpu_count" and (e.get("value") or 0) >= floor for e in entities
        )

    def alert_reply(self, item: Article, sub: Subscription) -> Reply:
        lang = self._lang(sub)
        entry = entry_for(item, sub.topic, item.scores.get(sub.topic, 0.0))
        card = entry_card(entry, self.app.topics, sub.timezone, lang)
        label = self.app.topics.get(sub.topic)
        heading = label.label(lang) if label else sub.topic
        return Reply(
            title=f"{t('alert.title', lang)}: {heading}",
            sections=[Section("", [card])],
            ephemeral=False,
        )

    def _notices(self, by_dest: Mapping[int, list[Subscription]], now: datetime) -> int:
        written = 0
        for feed in self.app.store.disabled_feeds():
            disabled_at = feed.disabled_at
            if disabled_at is None or now - disabled_at > NOTICE_LOOKBACK:
                continue
            topics = self.app.store.feed_topics(feed.id)
            key = f"feed-disabled:{feed.id}:{disabled_at.isoformat()}"
            for dest_id, subs in by_dest.items():
                if topics and not topics & {s.topic for s in subs}:
                    continue
                lang = self._lang(subs[0])
                text = t("feed_disabled", lang, name=feed.label, reason=feed.disabled_reason or "?")
                reply = Reply(text=text, ephemeral=False)
                payload = {"reply": reply_to_dict(reply)}
                if self.app.store.enqueue(dest_id, "notice", key, payload, now):
                    written += 1
        return written


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
        import asyncio

        rows = await asyncio.to_thread(self.app.store.due_deliveries, self.now())
        done = 0
        for row in rows:
            if self.stopping:
                break
            if await self.deliver_one(row):
                done += 1
        return done

    async def deliver_one(self, row: Delivery) -> bool:
        import asyncio

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
