"""Articles: ingesting seed files, explaining why one matched, and the weekly figures.

The CLI's ``ingest``, ``demo``, ``why`` and ``stats`` and chat's ``/news why`` and ``/news stats``
call these; ``serve`` and the poller reach the same pipeline through :mod:`bot.ingest.poller`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.config.topics import TopicSet
from bot.core.problem import Problem
from bot.core.unicode import clip
from bot.ingest.seeds import find_seed_files, read_seeds
from bot.services.errors import NotFound, UserError
from bot.store.views import Article

if TYPE_CHECKING:
    from bot.services.context import ServiceContext

STATS_PERIOD = timedelta(days=7)
MAX_REF = 80  # characters of an article reference looked at


@dataclass(slots=True)
class IngestReport:
    new: int  # articles stored as new
    read: int  # files read
    skipped: list[tuple[str, Problem]] = field(default_factory=list)  # (file as given, why)


def ingest_paths(
    app: ServiceContext, paths: Sequence[str], progress: Callable[[int, int], None] | None = None
) -> IngestReport:
    """Store and analyse the seed files and folders at ``paths``; only new articles are added.
    A path that does not exist raises :class:`bot.ingest.seeds.MissingPathError`."""
    scan = find_seed_files(list(paths))
    drafts = list(read_seeds(scan))
    new_ids = app.pipeline.ingest(drafts, progress=progress)
    return IngestReport(new=len(new_ids), read=len(drafts), skipped=list(scan.skipped))


def catch_up(app: ServiceContext) -> int:
    """Analyse what is stored but not yet matched with the current topics (e.g. after the
    topics file changed); returns how many articles were analysed.  With nothing pending the
    model is not loaded (a read-only command stays quick)."""
    if not app.loaded("pipeline") and not app.store.count_pending(app.topics.digest):
        return 0
    return app.pipeline.process_pending()


def why(app: ServiceContext, ref: str, *, tenant: str | None = None) -> Article:
    """The article ``ref`` names (an id, or a seed file's name or prefix), with its evidence;
    :class:`NotFound` when there is none the workspace ``tenant`` may read."""
    ref = ref.strip()[:MAX_REF]
    check_ref(ref)
    article_id = app.store.resolve_article(ref)
    if article_id is not None and not app.store.readable(article_id, tenant):
        article_id = None
    found = app.store.articles([article_id], tenant) if article_id is not None else []
    if not found:
        raise NotFound("why.missing", ref=clip(ref, 40))
    return found[0]


MAX_ID_DIGITS = 18  # an article id is a positive 64-bit integer


# a number that is not a whole positive one: a sign, a decimal point (``-1``, ``+3``, ``1.5``)
_NOT_AN_ID = re.compile(r"[+-]\d+(?:\.\d*)?|[+-]?\d*\.\d+|[+-]?\d+\.")


def check_ref(ref: str) -> None:
    """:class:`UserError` for a word that can be no article id and no seed file name: nothing
    at all, a number with a sign or a decimal point (``-1``, ``1.5``), digits other than 0–9
    (``²``, ``٣``), or more of them than any id has.  A cut value ends in "…"."""
    digits = ref.removeprefix("#")
    if not digits.strip():
        raise UserError("why.no_ref")
    if _NOT_AN_ID.fullmatch(digits) or (
        digits.isdigit() and not (digits.isascii() and len(digits) <= MAX_ID_DIGITS)
    ):
        raise UserError("why.bad_ref", ref=clip(ref, 24))


@dataclass(slots=True)
class Stats:
    per_topic: dict[str, int]  # articles per topic over the period, every topic listed
    feeds: dict[str, int]  # feeds per health: ok, new, failing, disabled


def stats(
    app: ServiceContext, topics: TopicSet | None = None, *, tenant: str | None = None
) -> Stats:
    """Matched articles per topic (``topics``: the built-in ones and a workspace's watches)
    over the last 7 days, by the digest's clock (publication time, ingestion time when
    undated), and feed health, of what the workspace ``tenant`` reads (None: all)."""
    since = app.clock.now() - STATS_PERIOD
    counts = app.store.topic_counts(since, tenant)
    per_topic = {tid: counts.get(tid, 0) for tid in (topics or app.topics).ids()}
    return Stats(per_topic=per_topic, feeds=app.store.feed_health(tenant))
