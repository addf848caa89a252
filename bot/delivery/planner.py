"""The planner: deciding what to post, by writing outbox rows (:mod:`bot.delivery.sender` posts them).

**Digests.**  A subscription names a topic, a local time and a time zone.  A destination's
subscriptions that share a time and zone make one digest, due at the most recent such instant.
Each subscription keeps its own period: in a digest that combines a daily topic with a
weekdays one, Monday's daily part covers Sunday's digest onwards and the weekdays part Friday's
onwards, so the weekend's daily stories are not repeated.
The planner writes the digest's outbox row (key ``digest:<instant>``, the rendered reply and its
item ids) once the instant has passed and while it is within ``NEWSBOT_DIGEST_GRACE`` — so a
digest missed while newsbot was down is sent once on start, never twice, and never when it is
too old to matter.  A digest covers the items ingested (not silent) in the 24 hours before its
instant; an empty digest is not sent.  A subscription made after today's instant starts tomorrow.

**Weekly reports.**  A weekly subscription (``days = weekly:mon``…) makes, with the destination's
other weekly subscriptions of the same day, time and zone, one report (key
``weekly:<instant>``) at that local time on that weekday, under the same grace rule: the
report of :mod:`bot.services.weekly` (also behind ``/news weekly`` and ``newsbot digest
--weekly``), the top stories of each topic collected in the 7 days before (less those
published over two weeks before the report: old news found late), each with its brief,
and the trend picture of the weeks before the report's day.  An empty week is not sent.

**Alerts.**  For a subscription with alerts on: an item carrying its topic, first seen after the
subscription and within ``ALERT_LOOKBACK``, not silent, whose score reaches the topic's
``alert_score`` or that counts at least ``NEWSBOT_ALERT_MIN_GPUS`` GPUs.  One alert per story
cluster per destination (key ``alert:<cluster>``).  A channel gets at most :data:`MAX_ALERTS`
alerts alone from one pass (what one poll brought): the biggest (most GPUs, then the highest
score, the earliest on a tie); the rest go out as one "N more alerts" message (key ``alert-more:<cluster>``) listing
them, and each of those stories counts as alerted (a row marked sent under its own key), so a
poll that brings 200 alert-worthy stories posts six messages, not 200.

**Notices.**  A feed disabled for errors is announced once (key ``feed-disabled:<feed>:<when>``)
in each channel subscribed to a topic its items carried (every subscribed channel when it never
matched anything), if it was disabled within ``NOTICE_LOOKBACK``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.workdays import is_workday, previous_workday_instant
from bot.present.compose import alert_reply, digest_reply, more_alerts_reply
from bot.present.i18n import t
from bot.present.problems import fetch_reason
from bot.present.reply import Reply, reply_to_dict
from bot.present.weekly import weekly_reply
from bot.services import digests, watches, weekly
from bot.services.context import ServiceContext
from bot.services.subscriptions import weekly_day
from bot.store import Article, Subscription, Window

log = logging.getLogger(__name__)

ALERT_LOOKBACK = timedelta(hours=6)
MAX_ALERTS = 5  # alerts a channel gets alone from one planning pass; the rest in one message
NOTICE_LOOKBACK = timedelta(days=3)


def _covered_since(sub: Subscription, instant: datetime) -> datetime:
    """Where a digest's period starts: a day before (a week for a weekly report), or for a
    weekday subscription the last workday's digest (Monday's covers the weekend, the day after a holiday covers it)."""
    if sub.days == "weekdays":
        return previous_workday_instant(instant)
    if weekly_day(sub.days) is not None:
        return instant - timedelta(days=7)
    return instant - timedelta(days=1)


def _gpus(entities: list[dict[str, Any]]) -> float:
    return max((e.get("value") or 0 for e in entities if e.get("kind") == "gpu_count"), default=0)


def last_instant(now: datetime, hhmm: str, tz: str) -> datetime:
    """The most recent local ``hhmm`` in ``tz`` at or before ``now`` (aware, in that zone)."""
    zone = ZoneInfo(tz)
    local = now.astimezone(zone)
    hour, minute = (int(x) for x in hhmm.split(":"))
    today = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return today if today <= local else today - timedelta(days=1)


class Planner:
    def __init__(self, app: ServiceContext) -> None:
        self.app = app
        # digests found empty, by their instant (not computed again while within the grace;
        # forgotten after it, so the memory stays the size of one grace window)
        self._empty: dict[tuple[int, str], datetime] = {}
        self.topics = app.topics

    def plan(self, now: datetime) -> int:
        """Write the outbox rows that are due at ``now``; returns how many were written."""
        grace = timedelta(seconds=self.app.settings.digest_grace)
        self._empty = {k: at for k, at in self._empty.items() if now - at <= grace}
        by_dest: dict[int, list[Subscription]] = defaultdict(list)
        for sub in self.app.store.subscriptions():
            if sub.destination.paused_at is None:
                by_dest[sub.destination.id].append(sub)
        self.topics = watches.topic_set(self.app)  # built-in topics and every watch
        written = 0
        for dest_id, subs in by_dest.items():
            written += self._digests(dest_id, subs, now)
            written += self._alerts(dest_id, subs, now)
        written += self._notices(by_dest, now)
        return written

    def _lang(self, sub: Subscription) -> str:
        return sub.destination.language or self.app.settings.language

    def _digests(self, dest_id: int, subs: list[Subscription], now: datetime) -> int:
        groups: dict[tuple[str, str, int | None], list[Subscription]] = defaultdict(list)
        for sub in subs:
            groups[(sub.digest_time, sub.timezone, weekly_day(sub.days))].append(sub)
        written = 0
        grace = timedelta(seconds=self.app.settings.digest_grace)
        for (hhmm, tz, weekday), group in groups.items():
            instant = last_instant(now, hhmm, tz)
            if now - instant > grace or instant < min(s.created_at for s in group):
                continue
            if weekday is not None and instant.weekday() != weekday:
                continue
            kind = "digest" if weekday is None else "weekly"
            key = f"{kind}:{instant.isoformat()}"
            if (dest_id, key) in self._empty or self.app.store.has_delivery(dest_id, key):
                continue
            due = [s for s in group if s.days != "weekdays" or is_workday(instant.date())]
            if not due:  # a weekend or a Korean public holiday, for weekday subscriptions
                continue
            topics = sorted({s.topic for s in due}, key=self.topics.ids().index)
            since = {s.topic: _covered_since(s, instant) for s in due}  # each topic's own
            window = Window(
                topics=topics,
                seen_since=min(since.values()),
                seen_until=instant,
                # a weekly report is the week's news: what came in that week, less old news
                # found late (published over weekly.STALE before), as /news weekly previews it
                since=None if weekday is None else instant - weekly.STALE,
                include_silent=False,
                tenant=group[0].destination.place.tenant,
            )
            lang = self._lang(group[0])
            mutes = self.app.store.mutes(group[0].destination.place, now)
            digest = digests.collect(
                self.app, window, lang=lang, until=instant, mutes=mutes, seen_since=since
            )
            if not digest.entries:
                self._empty[(dest_id, key)] = instant
                continue
            if weekday is None:
                reply = digest_reply(digest, self.topics, tz, lang)
            else:
                week = weekly.report(
                    self.app, digest, topics, self.topics, instant, tz, lang, window.tenant, mutes
                )
                reply = weekly_reply(week, lang)
            payload = {
                "reply": reply_to_dict(reply),
                "items": [i.id for i in digest.items],
                "topics": topics,
            }
            if self.app.store.enqueue(dest_id, kind, key, payload, now):
                written += 1
                log.info(
                    "%s %s for destination %d: %d stories",
                    kind,
                    key,
                    dest_id,
                    len(digest.entries),
                )
        return written

    def _alerts(self, dest_id: int, subs: list[Subscription], now: datetime) -> int:
        if not any(s.alerts for s in subs):  # runs every few seconds: no query when no alerts
            return 0
        mutes = self.app.store.mutes(subs[0].destination.place, now)
        due: dict[int, tuple[tuple[float, float], Article, Subscription]] = {}  # by story
        for sub in subs:
            if not sub.alerts:
                continue
            since = max(sub.created_at, now - ALERT_LOOKBACK)
            ids = self.app.store.matched_ids(
                Window(
                    topics=[sub.topic],
                    seen_since=since,
                    include_silent=False,
                    tenant=sub.destination.place.tenant,
                )
            )
            # scores and entities only: this runs every few seconds, bodies are loaded for the
            # few items that do raise an alert
            for facts in self.app.store.alert_facts(ids):
                if facts.cluster_id in due or not self.is_alert(
                    facts.scores, facts.entities, sub.topic
                ):
                    continue
                if self.app.store.has_delivery(dest_id, f"alert:{facts.cluster_id}"):
                    continue
                (item,) = self.app.store.articles([facts.id], sub.destination.place.tenant)
                if digests.muted(item, mutes):
                    continue
                size = (_gpus(facts.entities), facts.scores.get(sub.topic, 0.0))
                due[facts.cluster_id] = (size, item, sub)
        # the biggest first (the earliest on a tie); past the cap, one message for the rest
        ranked = sorted(due.items(), key=lambda kv: (-kv[1][0][0], -kv[1][0][1], kv[1][1].id))
        written = 0
        for cluster_id, (_, item, sub) in ranked[:MAX_ALERTS]:
            reply = alert_reply(item, sub.topic, self.topics, sub.timezone, self._lang(sub))
            payload = {"reply": reply_to_dict(reply), "items": [item.id]}
            if self.app.store.enqueue(dest_id, "alert", f"alert:{cluster_id}", payload, now):
                written += 1
        rest = ranked[MAX_ALERTS:]
        if rest:
            lang = self._lang(subs[0])
            grouped = [(item, sub.topic) for _, (_, item, sub) in rest]
            reply = more_alerts_reply(grouped, self.topics, lang)
            payload = {"reply": reply_to_dict(reply), "items": [item.id for item, _ in grouped]}
            key = f"alert-more:{min(cluster_id for cluster_id, _ in rest)}"
            covered = [f"alert:{cluster_id}" for cluster_id, _ in rest]
            if self.app.store.enqueue_group(dest_id, "alert", key, payload, covered, now):
                written += 1
                log.info(
                    "alerts for destination %d: %d sent alone, %d grouped in one message",
                    dest_id,
                    MAX_ALERTS,
                    len(rest),
                )
        return written

    def is_alert(
        self, scores: dict[str, float], entities: list[dict[str, Any]], topic_id: str
    ) -> bool:
        """For an item that carries ``topic_id``: big enough for an instant alert?"""
        topic = self.topics.get(topic_id)
        if topic is None:
            return False
        if topic.alert_score is not None and scores.get(topic_id, 0.0) >= topic.alert_score:
            return True
        floor = self.app.settings.alert_min_gpus
        return floor > 0 and any(
            e.get("kind") == "gpu_count" and (e.get("value") or 0) >= floor for e in entities
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
                if not feed.everyone and subs[0].destination.place.tenant != feed.owner:
                    continue  # a workspace's own feed: only its channels hear of it
                lang = self._lang(subs[0])
                key_text = "source_paused" if feed.is_source else "feed_disabled"
                text = t(
                    key_text,
                    lang,
                    name=feed.label,
                    reason=fetch_reason(feed.disabled_reason, lang) or "?",
                )
                reply = Reply(text=text, ephemeral=False)
                payload = {"reply": reply_to_dict(reply)}
                if self.app.store.enqueue(dest_id, "notice", key, payload, now):
                    written += 1
        return written
