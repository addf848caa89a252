"""Weekly reports: the week's top stories of each topic, briefed, with the trend picture.

One function builds the report for the scheduled weekly subscriptions (the planner), for
``/news weekly [topic…]`` and for ``newsbot digest --weekly``, so a preview shows what a
``subscribe … weekly`` channel will get.  Rules:

* the week is what was collected in the 7 days before the report's instant, less old news
  found late (published over :data:`STALE` before it), for the planner and the preview alike;
  silent items (a new feed's first poll) are left out, and so is what the channel muted; the
  top :data:`WEEKLY_TOP` stories of each topic;
* the trend picture covers the :data:`WEEKLY_TREND` of whole local days before the report's day,
  so the week reads against the weeks before it;
* without topics named, a preview shows every built-in topic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.services import digests, trends, watches
from bot.store.views import Mute, Window

if TYPE_CHECKING:
    from bot.config.topics import TopicSet
    from bot.services.context import ServiceContext

WEEKLY_TOP = 5  # stories per topic in a weekly report
WEEKLY_TREND = "28d"  # the weekly report's trend picture: four weeks up to the report
WEEK = timedelta(days=7)
# a report covers what was collected in its week (no gap between two reports: an article
# published on Saturday and collected on Monday is in Monday's week), but not an article
# published longer ago than this before the report, however late it was collected: old news
# found late (a new source's back catalogue, a search result from last year) is not this week's
STALE = timedelta(days=14)


@dataclass(slots=True)
class WeeklyReport:
    """What a weekly report shows (:func:`bot.present.weekly.weekly_reply` words it)."""

    digest: digests.Digest
    trend: trends.Trend
    shown: TopicSet  # the topics as the channel names them
    tz: str


def report(
    app: ServiceContext,
    digest: digests.Digest,
    topics: Sequence[str],
    shown: TopicSet,
    instant: datetime,
    tz: str,
    lang: str,
    tenant: str | None = None,
    mutes: Sequence[Mute] = (),
) -> WeeklyReport:
    """The report of a collected week: its top stories per topic and the trend picture."""
    for section in digest.sections:
        section.entries = section.entries[:WEEKLY_TOP]
    local = instant.astimezone(ZoneInfo(tz))  # the report's day in the channel's zone
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)  # whole days
    trend = trends.trend(
        app,
        list(topics),
        period=WEEKLY_TREND,
        until=midnight,
        lang=lang,
        tz=tz,
        tenant=tenant,
        mutes=mutes,
    )
    return WeeklyReport(digest, trend, shown, tz)


def preview(
    app: ServiceContext,
    topics: Sequence[str] = (),
    *,
    lang: str,
    tenant: str | None = None,
    mutes: Sequence[Mute] = (),
    now: datetime | None = None,
) -> WeeklyReport:
    """The weekly report a channel subscribed to ``topics`` would get now (every built-in topic
    when none is named): the articles collected in the 7 days before ``now`` and published in
    the :data:`STALE` days before it (any time, when undated), the planner's rule."""
    now = now or app.clock.now()
    tz = app.settings.timezone
    shown = watches.topic_set(app) if topics else app.topics
    ids = list(dict.fromkeys(topics)) or app.topics.ids()
    window = Window(
        topics=ids,
        seen_since=now - WEEK,
        seen_until=now,
        since=now - STALE,
        include_silent=False,
        tenant=tenant,
    )
    digest = digests.collect(app, window, lang=lang, until=now, mutes=mutes)
    return report(app, digest, ids, shown, now, tz, lang, tenant, mutes)
