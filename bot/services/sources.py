"""Keyword sources: follow a subject across every outlet through Google News or Naver News
search.  The one rule for adding, listing and removing them, used by the CLI
(``newsbot sources``) and chat (``/news sources``) alike.

A keyword source is a feed row of kind ``google`` or ``naver`` with a ``query`` (and a ``lang``
for Google News), so polling, due times, pausing, error reports, ownership (a source added from
chat is its workspace's until an operator shares it), ``feeds share|enable`` and OPML export all
work on it as on a feed.  Its URL is built from the query and the service's base URL
(``NEWSBOT_GOOGLE_NEWS_URL``, ``NEWSBOT_NAVER_API_URL``) when it is added, and passes the same
private-address check as a feed URL.  Rules:

- a query is 1 to :data:`MAX_QUERY` characters once quotes and extra spaces are dropped;
- Google News reads Korean news from Korea by default, English with ``--lang en``
  (``lang:en`` in chat); Naver's search is Korean only;
- adding the same kind + query (+ language) again is the same source;
- a Naver source added while ``NAVER_CLIENT_ID`` / ``NAVER_CLIENT_SECRET`` are not set is kept,
  and the reply says it will not be polled until they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.ingest import google_news, naver
from bot.ingest.keyword_poll import quota_used
from bot.services.errors import NotFound, UserError
from bot.services.feeds import (
    _own_feed,
    _reads,
    check_url,
    clean_name,
    parse_feed_id,
    parse_interval,
)
from bot.store.views import Feed

if TYPE_CHECKING:
    from bot.services.context import ServiceContext

KINDS = ("google", "naver")
LANGS = tuple(google_news.LANGS)
MAX_QUERY = 200


def clean_query(raw: str) -> str:
    """The query without surrounding quotes and extra spaces; :class:`UserError` when empty or
    too long."""
    query = " ".join(raw.replace("“", '"').replace("”", '"').split()).strip().strip("\"'").strip()
    if not query:
        raise UserError("sources.no_query")
    if len(query) > MAX_QUERY:
        raise UserError("sources.long_query", limit=MAX_QUERY)
    return query


def parse_kind(raw: str) -> str:
    kind = raw.strip().lower()
    if kind not in KINDS:
        raise UserError("sources.bad_kind", kind=repr(raw[:40]))
    return kind


def parse_lang(raw: str | None, kind: str) -> str:
    lang = (raw or "ko").strip().lower()
    if lang not in LANGS:
        raise UserError("sources.bad_lang", option="--lang", lang=repr(lang[:20]))
    if kind == "naver" and lang != "ko":
        raise UserError("sources.naver_korean", option="--lang")
    return lang


def source_url(app: ServiceContext, kind: str, query: str, lang: str) -> str:
    if kind == "google":
        return google_news.search_url(app.settings.google_news_url, query, lang)
    return naver.search_url(app.settings.naver_api_url, query)


@dataclass(slots=True)
class SourceChange:
    feed: Feed
    created: bool
    needs_keys: bool  # a Naver source while the API keys are not set


def add_source(
    app: ServiceContext,
    kind: str,
    query: str,
    *,
    lang: str | None = None,
    interval: str | None = None,
    name: str | None = None,
    tenant: str | None = None,
) -> SourceChange:
    """Add a keyword source (rules in the module docstring)."""
    kind = parse_kind(kind)
    query = clean_query(query)
    lang_code = parse_lang(lang, kind)
    url = check_url(source_url(app, kind, query, lang_code), app.settings)
    seconds = parse_interval(interval, app.settings)
    feed, created = app.store.add_feed(
        url, clean_name(name), seconds, owner=tenant, kind=kind, query=query, lang=lang_code
    )
    if not created and not _reads(feed, tenant):
        raise UserError("feeds.taken")
    settings = app.settings
    needs_keys = kind == "naver" and not (settings.naver_client_id and settings.naver_client_secret)
    return SourceChange(feed, created, needs_keys)


def _own_source(app: ServiceContext, raw_id: str, tenant: str | None) -> Feed:
    try:
        feed = _own_feed(app, raw_id, tenant)
    except NotFound:
        raise NotFound("sources.missing", id=parse_feed_id(raw_id)) from None
    if not feed.is_source:
        raise NotFound("sources.missing", id=feed.id)
    return feed


def remove_source(app: ServiceContext, raw_id: str, *, tenant: str | None = None) -> Feed:
    """Remove a keyword source (its stored articles stay)."""
    feed = _own_source(app, raw_id, tenant)
    if not app.store.remove_feed(feed.id):
        raise NotFound("sources.missing", id=feed.id)
    return feed


@dataclass(slots=True)
class SourceListing:
    sources: list[Feed]
    naver_calls_today: int
    naver_quota: int

    @property
    def naver_share(self) -> float:
        return self.naver_calls_today / self.naver_quota if self.naver_quota else 0.0


def list_sources(app: ServiceContext, *, tenant: str | None = None) -> SourceListing:
    """The keyword sources a workspace reads (every one for the operator), and how much of
    today's Naver quota (a Seoul day) the application has used."""
    sources = [f for f in app.store.list_feeds(tenant) if f.is_source]
    used = quota_used(app.store, app.clock.now())
    return SourceListing(sources, used, app.settings.naver_daily_quota)


def split_chat_words(words: Sequence[str]) -> tuple[str, str | None]:
    """(query, language) from chat words: ``lang:en`` or ``--lang en`` anywhere."""
    rest: list[str] = []
    lang: str | None = None
    items = list(words)
    i = 0
    while i < len(items):
        word = items[i]
        low = word.lower()
        if low.startswith("lang:"):
            lang = word[5:]
        elif low == "--lang" and i + 1 < len(items):
            lang = items[i + 1]
            i += 1
        else:
            rest.append(word)
        i += 1
    return " ".join(rest), lang
