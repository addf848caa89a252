"""Google News keyword RSS: the search URL for a query, and its items made into articles.

Rules:

- The URL is ``{NEWSBOT_GOOGLE_NEWS_URL}/rss/search?q=QUERY&hl=…&gl=…&ceid=…``: Korean news from
  Korea by default (``hl=ko&gl=KR&ceid=KR:ko``), English on request (``hl=en-US&gl=US&ceid=US:en``).
- The document is an ordinary RSS feed, parsed by :func:`bot.ingest.rss.parse_feed` (its safety
  rules apply).  Each item's title loses the trailing `` - 언론사`` Google adds (the name in its
  ``<source>`` element, or any last `` - name`` when the item has none).
- The outlet is the one its ``<source url="…">`` names, through the outlet table
  (:func:`bot.config.outlets.outlet_label`: an unknown domain shows as the domain).
- The link is kept as given (a ``news.google.com`` redirect); where the item carries the
  publisher's own URL (a ``url=`` parameter of the link) that URL is the article's, so the same
  article from a feed or Naver is one item.  Without it, the store matches the article on outlet +
  normalised title + time (:mod:`bot.store.articles`).
- The description only repeats the title and the outlet; it is kept as the body only when it
  says more than that.
"""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

from bot.config.outlets import host_of, outlet_label
from bot.ingest.urls import canonical_url
from bot.store.drafts import Draft

LANGS = {
    "ko": "hl=ko&gl=KR&ceid=KR:ko",
    "en": "hl=en-US&gl=US&ceid=US:en",
}
NAME = "Google News"


def search_url(base: str, query: str, lang: str = "ko") -> str:
    """The keyword RSS URL of ``query`` in ``lang`` (``ko`` or ``en``)."""
    return f"{base.rstrip('/')}/rss/search?q={quote(query, safe='')}&{LANGS[lang]}"


def strip_outlet_suffix(title: str, outlet: str | None) -> str:
    """``제목 - 연합뉴스`` → ``제목`` (the outlet named, or any last `` - name`` without one)."""
    if outlet and title.endswith(f" - {outlet}"):
        return title[: -len(outlet) - 3].rstrip()
    if outlet is None and " - " in title:
        head, _, tail = title.rpartition(" - ")
        if head.strip() and len(tail) <= 40:
            return head.rstrip()
    return title


def publisher_url(link: str | None, google_host: str | None) -> str | None:
    """The publisher's own URL where the Google link carries it (``…&url=https://…``)."""
    if not link:
        return None
    try:
        params = parse_qs(urlsplit(link).query)
    except ValueError:
        return None
    for candidate in params.get("url", []):
        host = host_of(candidate)
        if candidate.lower().startswith(("http://", "https://")) and host and host != google_host:
            return candidate
    return None


def adapt(draft: Draft, google_base: str) -> Draft:
    """One Google News item as an article (rules in the module docstring)."""
    name, listed_url = draft.listed_source or (None, None)
    draft.title = strip_outlet_suffix(draft.title, name)
    google_host = host_of(google_base)
    draft.origin = draft.url or draft.origin  # Google's own link, kept as given
    publisher = publisher_url(draft.url, google_host)
    if publisher:
        draft.url = draft.canonical_url = canonical_url(publisher)
    draft.source = outlet_label(listed_url) or outlet_label(publisher) or name or NAME
    body = draft.body
    for part in (draft.title, name or ""):
        body = body.replace(part, " ", 1) if part else body
    if len("".join(body.split())) < 20:  # only the title and the outlet: no text of its own
        draft.body = ""
    return draft
