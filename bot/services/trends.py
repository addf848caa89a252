"""Trends: how much attention topics get, day by day — for ``/news trend``, ``newsbot trend`` and
the weekly report.

Rules:

* It counts **stories, not articles**: ten outlets' reports of one event are one story.  A
  story counts once per topic, on the local day (``NEWSBOT_TIMEZONE``) of its first report in the
  period, by publication time (ingestion time when undated).
* The period is a span back from now (``30d``, ``90d``, ``2w``…) or from a date, at most
  :data:`MAX_DAYS` days, in whole local days: ``30d`` is today and the 29 days before it (from
  the first midnight in the span), every day a point, zeros included.  A period that ends at a
  midnight (the weekly report's) leaves that day out.
* Without topics named: every built-in topic.
* The top outlets are those that ran the most of the period's stories (an outlet's several
  reports of one story count once); the biggest day is the day with the most stories over all
  the topics shown (a story under two topics counts once), labelled with its most reported story.
* **Undated stories are left out** of the days, the biggest day and the outlets, and counted in
  :attr:`Trend.undated`, which the text and the picture mention: an undated article's only time
  is when it was ingested, and a bulk import would otherwise draw a spike on that day, annotated
  as the day's news.
* ``all`` is the longest period (:data:`MAX_DAYS`), starting at the first day with a story.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.core.periods import ALL, PeriodError, parse_since
from bot.services import watches
from bot.services.errors import UserError

if TYPE_CHECKING:
    from bot.services.context import ServiceContext
    from bot.store.views import Mute, TrendRow

DEFAULT_PERIOD = "30d"
MAX_DAYS = 730
TOP_OUTLETS = 5


@dataclass(slots=True)
class Series:
    topic: str
    label: str
    counts: list[int]  # stories a day, one per day of :attr:`Trend.days`

    @property
    def stories(self) -> int:
        return sum(self.counts)


@dataclass(slots=True)
class Peak:
    day: date
    stories: int
    title: str  # the day's most reported story (untrusted: a feed's title)


@dataclass(slots=True)
class Trend:
    since: datetime
    until: datetime
    tz: str
    days: list[date]
    series: list[Series]
    outlets: list[tuple[str, int]] = field(default_factory=list)  # (outlet, stories)
    peak: Peak | None = None
    stories: int = 0  # distinct stories over all the topics (one under two topics counts once)
    undated: int = 0  # stories left out: none of their reports has a publication time

    @property
    def day_format(self) -> str:
        """How days are written: ``10/31``, with the year when the span crosses one."""
        return "%m/%d" if self.days[0].year == self.days[-1].year else "%Y-%m-%d"


def trend(
    app: ServiceContext,
    topic_ids: Sequence[str] = (),
    *,
    period: str | None = None,
    until: datetime | None = None,
    lang: str = "ko",
    tz: str | None = None,
    tenant: str | None = None,
    mutes: Sequence[Mute] = (),
) -> Trend:
    """The daily story counts of ``topic_ids`` over ``period`` (rules in the module docstring),
    days in ``tz`` (default ``NEWSBOT_TIMEZONE``).  Raises :class:`UserError` for a period that
    is not one or is too long."""
    tz = tz or app.settings.timezone
    end = until or app.clock.now()
    word = period or DEFAULT_PERIOD
    everything = word.strip().lower() in ALL
    try:
        start = end - timedelta(days=MAX_DAYS - 1) if everything else parse_since(word, end, tz)
    except PeriodError:
        raise UserError("bad_since", option="--since", value=word[:40]) from None
    if start is None or start >= end:
        raise UserError("trend.bad_period", value=word[:40], days=MAX_DAYS)
    if end - start > timedelta(days=MAX_DAYS):
        raise UserError("trend.bad_period", value=word[:40], days=MAX_DAYS)
    start = first_midnight(start, tz)
    if start >= end:  # less than a day, inside one
        start = first_midnight(end - timedelta(days=1), tz)
    topics = watches.topic_set(app) if topic_ids else app.topics
    ids = list(dict.fromkeys(topic_ids)) or topics.ids()
    labels = {}
    for topic_id in ids:
        topic = topics.get(topic_id)
        labels[topic_id] = topic.label(lang) if topic else topic_id
    rows = [r for r in app.store.trend_rows(ids, start, end, tenant) if not _muted(r, mutes)]
    if everything:  # from the first day with a dated story (the last 30 days when none)
        firsts = [row.at for row in rows if row.dated]
        begin = min(firsts) if firsts else end - timedelta(days=30)
        start = max(start, first_midnight(begin - timedelta(days=1), tz))
    return build_trend(rows, ids, labels, start, end, tz)


def _muted(row: TrendRow, mutes: Sequence[Mute]) -> bool:
    """Whether a channel's mutes leave the row out (its outlet, or its story), like a digest."""
    return any(
        (m.kind == "source" and (row.source or "") == m.value)
        or (m.kind == "story" and str(row.story) == m.value)
        for m in mutes
    )


def first_midnight(at: datetime, tz: str) -> datetime:
    """The first local midnight at or after ``at``."""
    local = at.astimezone(ZoneInfo(tz))
    day = local.date() if local.time() == time(0) else local.date() + timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(tz))


def build_trend(
    rows: Sequence[TrendRow],
    topic_ids: Sequence[str],
    labels: dict[str, str],
    since: datetime,
    until: datetime,
    tz: str,
) -> Trend:
    """The trend of ``rows`` (a pure function; rules in the module docstring)."""
    zone = ZoneInfo(tz)
    first = since.astimezone(zone).date()
    last = (until - timedelta(microseconds=1)).astimezone(zone).date()  # until is excluded
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    index = {d: n for n, d in enumerate(days)}
    first_day: dict[tuple[str, int], date] = {}  # (topic, story) -> day of its first report
    story_day: dict[int, date] = {}  # story -> day of its first report under any topic
    outlets: dict[str, set[int]] = defaultdict(set)
    reports: Counter[int] = Counter()  # articles per story
    titles: dict[int, str] = {}
    counted: set[int] = set()
    undated: set[int] = set()
    for row in rows:
        if not row.dated:
            undated.add(row.story)
            continue
        day = row.at.astimezone(zone).date()
        key = (row.topic, row.story)
        if key not in first_day or day < first_day[key]:
            first_day[key] = day
        if row.story not in story_day or day < story_day[row.story]:
            story_day[row.story] = day
        if row.article_id not in counted:  # an article carrying two topics counts once
            counted.add(row.article_id)
            reports[row.story] += 1
        if row.story not in titles or row.article_id == row.story:  # the first report's title
            titles[row.story] = row.title
        if row.source:
            outlets[row.source].add(row.story)
    series = []
    for topic_id in topic_ids:
        counts = [0] * len(days)
        for (topic, _story), day in first_day.items():
            if topic == topic_id and day in index:
                counts[index[day]] += 1
        series.append(Series(topic_id, labels.get(topic_id, topic_id), counts))
    per_day: dict[date, list[int]] = defaultdict(list)
    for story, day in story_day.items():
        per_day[day].append(story)
    peak = None
    if per_day:
        day, stories = max(per_day.items(), key=lambda p: (len(p[1]), p[0]))
        top = max(stories, key=lambda s: (reports[s], -s))
        peak = Peak(day, len(stories), titles.get(top, ""))
    ranked = sorted(outlets.items(), key=lambda p: (-len(p[1]), p[0]))[:TOP_OUTLETS]
    return Trend(
        since=since,
        until=until,
        tz=tz,
        days=days,
        series=series,
        outlets=[(name, len(stories)) for name, stories in ranked],
        peak=peak,
        stories=len(story_day),
        undated=len(undated - story_day.keys()),
    )
