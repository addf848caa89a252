"""Digests: the one place a digest is put together, for ``newsbot digest``, ``/news digest``,
the scheduled digests and the demo.

:func:`collect` reads the window's matched articles from the store and hands them to
:func:`build_digest`, a pure function from articles to sections of entries.  Its rules: each
item appears once, under the requested topic it scores highest in (its other topics are shown as
tags); the reports of one story collapse into one entry, shown with the story's other
outlets, each linked (``3개 매체: 연합뉴스, 뉴스1, Reuters``); a story shows once, in the first
section it reaches; sections follow the topics file's order; entries are sorted by the best
score of their story.

The story's entry (its title and link) is chosen by :func:`lead_key`: the earliest report from a
known outlet (its link on the outlet's own domain, :mod:`bot.config.outlets`), on a tie the
higher score; without one, a report that is not padded (:func:`padded`) before one that is, then
the highest score, then the earliest id.  A copy from another feed with topic terms piled onto
the title therefore never stands for the story.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.analysis.entities import describe
from bot.config.outlets import is_outlet_report
from bot.config.topics import TopicSet
from bot.services import briefs, watches
from bot.store.views import Article, Mute, StoryMember, Window, watch_id

if TYPE_CHECKING:
    from bot.services.context import ServiceContext

MAX_WHY = 5
FIGURE_KINDS = ("gpu_count", "money")


@dataclass(slots=True)
class DigestEntry:
    item: Article
    topic: str
    score: float
    why: list[dict[str, Any]]
    figures: list[str]
    orgs: list[str]
    others: list[StoryMember] = field(default_factory=list)  # the story's other reports
    members: list[int] = field(default_factory=list)  # ids of every item folded into this entry
    brief: list[str] = field(default_factory=list)  # the story's 세 줄 요약 (services.briefs)

    @property
    def outlets(self) -> int:
        """How many outlets ran the story (this one included)."""
        names = {m.source or m.url or str(m.id) for m in self.others}
        names.add(self.item.source or self.item.url or str(self.item.id))
        return len(names)


@dataclass(slots=True)
class TopicSection:
    topic: str
    label: str
    entries: list[DigestEntry]
    stories: int = 0  # the section's stories before a report keeps only its top ones


@dataclass(slots=True)
class Digest:
    since: datetime | None
    until: datetime | None
    sections: list[TopicSection]
    items: list[Article]
    older: int = 0  # matched items of these topics before ``since``, not shown

    @property
    def entries(self) -> list[DigestEntry]:
        return [e for s in self.sections for e in s.entries]

    def as_json(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "items": [e.item.as_json() for e in self.entries],  # one per story
        }


def build_digest(
    items: Sequence[Article],
    topics: TopicSet,
    *,
    wanted: Sequence[str] = (),
    since: datetime | None = None,
    until: datetime | None = None,
    lang: str = "ko",
    seen_since: Mapping[str, datetime] | None = None,
) -> Digest:
    """``seen_since`` gives a topic its own period (a scheduled digest that combines
    subscriptions of different days: each topic's part covers what arrived since that topic's
    own last digest); an item outside a topic's period is not in that topic's part."""
    wanted_ids = [t for t in topics.ids() if not wanted or t in wanted]
    best: dict[str, list[tuple[Article, str, float]]] = {t: [] for t in wanted_ids}
    kept: list[Article] = []
    for item in items:
        mine = [
            (t, item.scores.get(t, 0.0))
            for t in item.topics
            if t in best
            and (not seen_since or t not in seen_since or item.seen_at >= seen_since[t])
        ]
        if not mine:
            continue
        topic, score = max(mine, key=lambda p: (p[1], -wanted_ids.index(p[0])))
        best[topic].append((item, topic, score))
        kept.append(item)
    sections = []
    seen_clusters: dict[int, DigestEntry] = {}
    for topic_id in wanted_ids:
        t = topics.get(topic_id)
        label = t.label(lang) if t else topic_id
        entries: list[DigestEntry] = []
        stories: dict[tuple[str, int], list[tuple[Article, str, float]]] = {}
        for item, topic, score in sorted(best[topic_id], key=lambda p: (-p[2], p[0].id)):
            cid = item.cluster.id if item.cluster and item.cluster.size > 1 else None
            key = ("story", cid) if cid is not None else ("item", item.id)
            stories.setdefault(key, []).append((item, topic, score))
        for (kind, key_id), reports in stories.items():  # the best-scoring story first
            cid = key_id if kind == "story" else None
            if cid is not None and cid in seen_clusters:
                seen_clusters[cid].members.extend(r[0].id for r in reports)
                continue
            titles = [r[0].title for r in reports]
            lead = min(reports, key=lambda r: lead_key(r[0], r[2], titles))
            entry = entry_for(*lead)
            entry.members.extend(r[0].id for r in reports if r[0].id != lead[0].id)
            if cid is not None:
                seen_clusters[cid] = entry
            entries.append(entry)
        if entries:
            sections.append(TopicSection(topic_id, label, entries, stories=len(entries)))
    return Digest(since=since, until=until, sections=sections, items=kept)


PADDED_LENGTH = 1.6  # a title this many times the story's median title length is padded
PADDED_MIN_CHARS = 60  # …when it is longer than this
PADDED_REPEATS = 3  # a word this often in one title is padded


def padded(item: Article, titles: Sequence[str] = ()) -> bool:
    """Whether a report's title looks padded with terms: much longer than the story's other
    titles (a title says what its body says; padding adds terms the other outlets' titles do
    not need), or one word repeated."""
    title = item.title or ""
    words = [w.strip(".,·…'\"()[]").lower() for w in title.split()]
    words = [w for w in words if len(w) >= 2]
    if any(words.count(w) >= PADDED_REPEATS for w in set(words)):
        return True
    lengths = sorted(len(x) for x in titles) or [len(title)]
    median = lengths[len(lengths) // 2]
    return len(title) > PADDED_MIN_CHARS and len(title) > PADDED_LENGTH * median


def lead_key(item: Article, score: float, titles: Sequence[str] = ()) -> tuple[Any, ...]:
    """Sort key of a story's reports; the smallest leads its entry (rules in the module
    docstring)."""
    if is_outlet_report(item.source, item.url):
        return (0, item.when.timestamp(), -score, item.id)
    return (1, padded(item, titles), -score, item.id)


def entry_for(item: Article, topic: str, score: float) -> DigestEntry:
    why = item.evidence_for(topic)[:MAX_WHY]
    figures = [
        describe(e) for kind in FIGURE_KINDS for e in item.entities if e.get("kind") == kind
    ][:4]
    orgs = [str(e["text"]) for e in item.entities if e.get("kind") == "org"][:6]
    others: list[StoryMember] = []
    if item.cluster and item.cluster.size > 1:
        seen = {item.source} if item.source else set()
        for member in item.cluster.members:  # one report per other outlet, earliest first
            if member.id == item.id or (member.source and member.source in seen):
                continue
            if member.source:
                seen.add(member.source)
            others.append(member)
    return DigestEntry(
        item=item,
        topic=topic,
        score=score,
        why=why,
        figures=figures,
        orgs=orgs,
        others=others,
        members=[item.id],
    )


BRIEFS_PER_SECTION = 10  # ~10 ms each: a 700-story digest stays quick to plan


def muted(item: Article, mutes: Sequence[Mute]) -> bool:
    """Whether a channel's mutes leave ``item`` out: its outlet, or its story."""
    if not mutes:
        return False
    story = str(item.cluster.id if item.cluster else item.id)
    return any(
        (m.kind == "source" and (item.source or "") == m.value)
        or (m.kind == "story" and story == m.value)
        for m in mutes
    )


def older_items(app: ServiceContext, window: Window, mutes: Sequence[Mute] = ()) -> int:
    """How many matched items of the window's topics ran before its start (by the same clock:
    publication time, ingestion time when undated), less what the channel muted."""
    before = Window(
        topics=window.topics,
        until=window.since,
        include_silent=window.include_silent,
        tenant=window.tenant,
    )
    ids = app.store.matched_ids(before)
    if mutes and ids:
        return sum(1 for a in app.store.articles(ids, window.tenant) if not muted(a, mutes))
    return len(ids)


def collect(
    app: ServiceContext,
    window: Window,
    *,
    lang: str,
    until: datetime | None = None,
    mutes: Sequence[Mute] = (),
    seen_since: Mapping[str, datetime] | None = None,
) -> Digest:
    """The digest of the articles ``window`` selects (its topics are the sections asked for),
    less what a channel muted (an outlet's articles, a story); ``seen_since``: each topic's
    own period, within the window (see :func:`build_digest`).

    The period shown is the window's start (publication or ingestion) and ``until``."""
    ids = app.store.matched_ids(window)
    mine = any(watch_id(t) is not None for t in window.topics or ())
    digest = build_digest(
        [a for a in app.store.articles(ids, window.tenant) if not muted(a, mutes)],
        watches.topic_set(app) if mine else app.topics,
        wanted=window.topics,
        since=window.since or window.seen_since,
        until=until,
        lang=lang,
        seen_since=seen_since,
    )
    if window.since is not None:  # what a longer period would add (`--since all`)
        digest.older = older_items(app, window, mutes)
    for section in digest.sections:  # the first stories of each topic get their brief
        for entry in section.entries[:BRIEFS_PER_SECTION]:
            entry.brief = briefs.story_brief(app, entry.item)
    return digest
