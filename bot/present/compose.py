"""Replies for what users asked: digests, search results, why an article matched, topics,
alerts, figures, feeds and subscriptions, as platform-neutral :class:`~bot.present.reply.Reply`
objects.  All text stays plain (renderers escape it per platform); dates are shown in the time
zone given, labels in the language given."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bot.analysis.entities import describe
from bot.config.topics import TopicSet
from bot.core.workdays import WEEKDAY_NAMES, WEEKDAYS_KO
from bot.present.i18n import t
from bot.present.problems import fetch_reason
from bot.present.reply import Card, Fact, Link, Reply, Section, Story
from bot.services.articles import Stats
from bot.services.digests import Digest, DigestEntry, entry_for
from bot.services.search import SearchResult
from bot.services.sources import SourceListing
from bot.services.subscriptions import weekly_day
from bot.services.topics import Catalog, shown_id
from bot.store.views import SEOUL, Article, Feed, StoryMember, Subscription, watch_id


def shown_topics(ids: Sequence[str], topics: TopicSet) -> list[str]:
    """The topic ids to show: built-in topics, and only the watches of the reader's workspace
    (another workspace's watch stays private)."""
    return [i for i in ids if i in topics.by_id or watch_id(i) is None]


def _label(topics: TopicSet, topic_id: str, lang: str) -> str:
    topic = topics.get(topic_id)
    return topic.label(lang) if topic else topic_id


def fmt_date(when: datetime | None, tz: str, lang: str, *, date_only: bool = False) -> str:
    """A time in ``tz``; a date alone (the source gave no time) as its day in Seoul."""
    if when is None:
        return t("no_date", lang)
    if date_only:
        return when.astimezone(SEOUL).strftime("%Y-%m-%d")
    return when.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


def when_text(item: Article, tz: str, lang: str) -> str:
    """When an item ran: its publication time, or for an undated item the day it was collected
    (``수집 12/07``), never shown as if published then."""
    if item.published is None:
        day = item.seen_at.astimezone(ZoneInfo(tz)).strftime("%m/%d")
        return t("collected", lang, day=day)
    return fmt_date(item.published, tz, lang, date_only=item.published_date_only)


def outlet(item: Article) -> str | None:
    """Who published it: the outlet (or feed name), else the host of its link; None when
    neither is known (then nothing is shown, not a "?")."""
    if item.source:
        return item.source
    host = urlsplit(item.url).hostname if item.url else None
    return host.removeprefix("www.") if host else None


def evidence_text(evidence: Sequence[Mapping[str, object]], lang: str) -> str:
    """Evidence as shown: each surface once per field, a title hit marked; a word the learned
    model weighs carries its share ("독일 +1.01"), also where a rule term showed it first."""
    parts: list[str] = []
    seen: dict[tuple[str, object], int] = {}  # (surface, field) -> its index in parts
    weighed: set[int] = set()
    for e in evidence:
        surface = str(e.get("surface") or e.get("term"))
        key = (surface, e.get("field"))
        term = str(e.get("term") or "")
        share = " " + term.rsplit(" ", 1)[-1] if term.startswith("model: ") else ""
        if key in seen:
            at = seen[key]
            if share and at not in weighed:
                parts[at] += share
                weighed.add(at)
            continue
        seen[key] = len(parts)
        if share:
            weighed.add(len(parts))
        suffix = f" ({t('title_field', lang)})" if e.get("field") == "title" else ""
        parts.append(surface + suffix + share)
    return " · ".join(parts)


def _meta(item: Article, topics: TopicSet, tz: str, lang: str, tags: bool = True) -> str:
    when = when_text(item, tz, lang)
    bits = [b for b in (outlet(item), when) if b]
    if tags and item.topics:
        labels = []
        for tid in shown_topics(item.topics, topics):
            labels.append(_label(topics, tid, lang))
        if labels:
            bits.append(", ".join(labels))
    bits.append(f"#{item.id}")
    return " · ".join(bits)


def entry_card(entry: DigestEntry, topics: TopicSet, tz: str, lang: str) -> Card:
    item = entry.item
    facts = []
    if entry.why:
        facts.append(Fact(t("why", lang), evidence_text(entry.why, lang)))
    if entry.figures:
        facts.append(Fact(t("figures", lang), " · ".join(entry.figures)))
    story = None
    if entry.others:
        lead = StoryMember(item.id, item.title, item.url, item.source, None)
        links = [Link(_member_label(m), m.url) for m in [lead, *entry.others]]
        story = Story(t("story.outlets", lang, n=entry.outlets), links)
    return Card(
        id=item.id,
        title=item.title,
        url=item.url,
        meta=_meta(item, topics, tz, lang),
        facts=facts,
        story=story,
        snippet=" ".join(entry.brief) or None,  # the story's 세 줄 요약
    )


def _member_label(member: StoryMember) -> str:
    if member.source:
        return member.source
    host = urlsplit(member.url).hostname if member.url else None
    return host.removeprefix("www.") if host else f"#{member.id}"


def section_heading(digest: Digest, topic: str, label: str, lang: str) -> str:
    """A section's heading counts every story of its topic in the digest: those under it (all,
    or the top ones a report shows: ``5건 중 12건``… see i18n), and those shown under another
    topic they score higher in (``소버린 AI — 2건, 3건 더: APEC``)."""
    here = shown = 0
    elsewhere: dict[str, int] = {}
    for section in digest.sections:
        if section.topic == topic:
            shown = len(section.entries)
            here = max(section.stories, shown)
            continue
        for entry in section.entries:
            if topic in entry.item.topics:
                elsewhere[section.label] = elsewhere.get(section.label, 0) + 1
    counted = (
        t("digest.count_top", lang, shown=shown, here=here)
        if here > shown
        else t("digest.count", lang, here=here)
    )
    if not elsewhere:
        return f"{label} — {counted}"
    where = ", ".join(elsewhere)
    more = t("digest.count_more", lang, more=sum(elsewhere.values()), where=where)
    return f"{label} — {counted}, {more}"


def digest_reply(digest: Digest, topics: TopicSet, tz: str, lang: str) -> Reply:
    period = ""
    if digest.since or digest.until:
        period = f"{t('digest.period', lang)}: {fmt_date(digest.since, tz, lang) if digest.since else '…'} – {fmt_date(digest.until, tz, lang) if digest.until else '…'}"
    if digest.older:  # the period left older items out: say so, and how to see them
        period = " · ".join(p for p in (period, t("digest.older", lang, n=digest.older)) if p)
    if not digest.sections:
        return Reply(
            title=t("digest.title", lang),
            text=t("digest.empty", lang),
            footer=period or None,
            ephemeral=False,
        )
    sections = [
        Section(
            heading=section_heading(digest, s.topic, s.label, lang),
            cards=[entry_card(e, topics, tz, lang) for e in s.entries],
        )
        for s in digest.sections
    ]
    return Reply(
        title=t("digest.title", lang), sections=sections, footer=period or None, ephemeral=False
    )


def search_reply(result: SearchResult, topics: TopicSet, tz: str, lang: str) -> Reply:
    if not result.items:
        return Reply(text=t("search.empty", lang, query=result.query))
    cards = [
        Card(
            id=i.id,
            title=i.title,
            url=i.url,
            meta=_meta(i, topics, tz, lang),
            snippet=i.snippet,
            snippet_hits=list(i.snippet_hits),
        )
        for i in result.items
    ]
    return Reply(
        title=t("search.title", lang, query=result.query),
        sections=[Section("", cards)],
        footer=t("search.total", lang, total=result.total, shown=len(result.items)),
    )


def why_reply(
    item: Article, topics: TopicSet, tz: str, lang: str, brief: Sequence[str] = ()
) -> Reply:
    facts = []
    if brief:
        facts.append(Fact(t("brief", lang), " ".join(brief)))
    mine = shown_topics(item.topics, topics)
    for tid in mine:
        label = _label(topics, tid, lang)
        score = item.scores.get(tid, 0)
        facts.append(Fact(f"{label} ({score:g})", evidence_text(item.evidence_for(tid), lang)))
    if not mine:
        facts.append(Fact(t("why", lang), t("why.none", lang)))
    figures = [describe(e) for e in item.entities if e.get("kind") != "org"]
    if figures:
        facts.append(Fact(t("figures", lang), " · ".join(figures)))
    orgs = [str(e["text"]) for e in item.entities if e.get("kind") == "org"]
    if orgs:
        facts.append(Fact(t("orgs", lang), ", ".join(orgs)))
    visible = shown_topics(list(item.scores), topics)
    scores = ", ".join(f"{_label(topics, k, lang)} {item.scores[k]:g}" for k in visible)
    facts.append(Fact(t("scores", lang), scores or "-"))
    card = Card(
        id=item.id, title=item.title, url=item.url, meta=_meta(item, topics, tz, lang), facts=facts
    )
    return Reply(title=t("why.title", lang, id=item.id), sections=[Section("", [card])])


def topics_reply(topics: TopicSet, lang: str) -> Reply:
    lines = []
    for topic in topics.topics:
        desc = f" — {topic.description}" if topic.description and lang != "en" else ""
        if watch_id(topic.id) is not None:  # a watch: its name and its words
            lines.append(f"• {shown_id(topic)}: {topic.description}")
            continue
        lines.append(
            f"• {topic.id}: {topic.label(lang)}{desc} "
            f"({t('topics.threshold', lang, threshold=topic.threshold)})"
        )
    return Reply(title=t("topics.title", lang), text="\n".join(lines))


def alert_reply(item: Article, topic_id: str, topics: TopicSet, tz: str, lang: str) -> Reply:
    """An instant alert: one story, under its topic."""
    entry = entry_for(item, topic_id, item.scores.get(topic_id, 0.0))
    card = entry_card(entry, topics, tz, lang)
    heading = _label(topics, topic_id, lang)
    return Reply(
        title=f"{t('alert.title', lang)}: {heading}",
        sections=[Section("", [card])],
        ephemeral=False,
    )


MORE_ALERTS_LISTED = 8  # stories an "N more alerts" message names (one Discord message holds them)


def more_alerts_reply(items: Sequence[tuple[Article, str]], topics: TopicSet, lang: str) -> Reply:
    """The alerts past a channel's cap, grouped in one message: each story's title, linked,
    with its outlet and topic (the first :data:`MORE_ALERTS_LISTED`; the rest counted)."""
    cards = [
        Card(
            id=item.id,
            title=item.title,
            url=item.url,
            meta=" · ".join(x for x in (item.source or "", _label(topics, topic_id, lang)) if x),
        )
        for item, topic_id in items[:MORE_ALERTS_LISTED]
    ]
    unlisted = len(items) - len(cards)
    return Reply(
        title=t("alert.more.title", lang, n=len(items)),
        sections=[Section("", cards)],
        footer=t("alert.more.footer", lang, n=unlisted) if unlisted else None,
        ephemeral=False,
    )


def stats_reply(stats: Stats, topics: TopicSet, lang: str) -> Reply:
    facts = [Fact(_label(topics, tid, lang), str(n)) for tid, n in stats.per_topic.items()]
    health = stats.feeds
    text = t(
        "stats.feeds",
        lang,
        ok=health["ok"],
        new=health["new"],  # never polled: neither ok nor failing yet
        failing=health["failing"],
        disabled=health["disabled"],
    )
    card = Card(id=0, title=t("stats.items", lang), url=None, meta="", facts=facts)
    return Reply(title=t("stats.title", lang), text=text, sections=[Section("", [card])])


def feeds_reply(feeds: Sequence[Feed], lang: str) -> Reply:
    if not feeds:
        return Reply(text=t("feeds.empty", lang))
    lines = []
    for f in feeds:
        problem = (
            f" — {fetch_reason(f.disabled_reason or f.last_error, lang)}"
            if f.health in ("failing", "disabled")
            else ""
        )
        lines.append(f"#{f.id} {f.label} [{t('health.' + f.health, lang)}]{problem}")
    return Reply(title=t("feeds.title", lang), text="\n".join(lines))


def sources_reply(listing: SourceListing, tz: str, lang: str) -> Reply:
    """The keyword sources: health, last poll, new items, the problem; today's Naver quota."""
    quota = t(
        "sources.quota",
        lang,
        used=f"{listing.naver_calls_today:,}",
        quota=f"{listing.naver_quota:,}",
        share=f"{listing.naver_share:.1%}",
    )
    if not listing.sources:
        return Reply(text=t("sources.empty", lang), footer=quota)
    lines = []
    for f in listing.sources:
        polled = (
            f.last_polled_at.astimezone(ZoneInfo(tz)).strftime("%m-%d %H:%M")
            if f.last_polled_at
            else t("sources.never", lang)
        )
        row = t(
            "sources.row",
            lang,
            id=f.id,
            label=f.label,
            health=t(f"health.{f.health}", lang),
            polled=polled,
            items=f.last_new_items,
        )
        problem = fetch_reason(f.disabled_reason or f.last_error, lang)
        lines.append(f"{row} — {problem}" if problem and f.health != "ok" else row)
    return Reply(title=t("sources.title", lang), text="\n".join(lines), footer=quota)


def subscriptions_reply(subs: Sequence[Subscription], catalog: Catalog, lang: str) -> Reply:
    """This channel's subscriptions, and whether posting to it is paused."""
    if not subs:
        return Reply(text=t("subscriptions.none", lang))
    listing = ", ".join(
        f"{catalog.label(s.topic, lang)} {s.digest_time} {s.timezone}{' +alerts' if s.alerts else ''}"
        f"{'' if s.days == 'daily' else ' ' + s.days.replace(':', ' ')}"
        for s in subs
    )
    reason = subs[0].destination.paused_reason
    paused = t("subscriptions.paused", lang, reason=reason) if reason else ""
    return Reply(text=t("subscriptions", lang, list=listing) + paused)


def subscribed_reply(subs: Sequence[Subscription], catalog: Catalog, lang: str) -> Reply:
    """What a subscribe did: the topics, grouped by their digest time."""
    groups: dict[tuple[str, str, bool], list[Subscription]] = {}
    for s in subs:
        groups.setdefault((s.digest_time, s.timezone, s.days == "weekdays"), []).append(s)
    lines = []
    for (at, tz, weekdays), group in groups.items():
        daily = [s for s in group if weekly_day(s.days) is None]
        if daily:
            labels = ", ".join(catalog.label(s.topic, lang) for s in daily)
            extra = t("subscribed.alerts", lang) if any(s.alerts for s in daily) else ""
            if weekdays:
                extra += t("subscribed.weekdays", lang)
            lines.append(t("subscribed", lang, topics=labels, time=at, tz=tz, alerts=extra))
        weekly: dict[int, list[Subscription]] = {}
        for s in group:
            day = weekly_day(s.days)
            if day is not None:
                weekly.setdefault(day, []).append(s)
        for day, same in weekly.items():
            labels = ", ".join(catalog.label(s.topic, lang) for s in same)
            name = (WEEKDAY_NAMES if lang == "en" else WEEKDAYS_KO)[day]
            extra = t("subscribed.alerts", lang) if any(s.alerts for s in same) else ""
            lines.append(
                t("subscribed.weekly", lang, topics=labels, day=name, time=at, tz=tz) + extra
            )
    return Reply(text="\n".join(lines), ephemeral=False)
