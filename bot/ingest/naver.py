"""Naver News Search Open API: the request for a query, its JSON made into articles, its errors.

``GET {NEWSBOT_NAVER_API_URL}/v1/search/news.json?query=…&display=100&start=…&sort=date`` with
the ``X-Naver-Client-Id`` / ``X-Naver-Client-Secret`` headers (``NAVER_CLIENT_ID`` /
``NAVER_CLIENT_SECRET``).  Rules:

- ``title`` and ``description`` lose the ``<b>`` marks of the query and their HTML entities
  (``&quot;`` …); whitespace is folded.
- ``originallink`` (the publisher's URL, canonicalised) is the article's URL and names its outlet
  (:func:`bot.config.outlets.outlet_label`); Naver's own ``link`` (``n.news.naver.com``) is kept
  as the item's ``origin``.  An item without ``originallink`` uses ``link`` for both.
- ``pubDate`` is RFC 822 (``+0900``).
- Paging: ``start`` 1, 101, … up to :data:`MAX_START`, 100 items a call, newest first; the poll
  stops at the first page reaching what the last poll saw (its newest ``pubDate``), at a short
  page, or at ``start`` 1000.  The first poll reads one page.
- Errors: the body is ``{"errorMessage": "…", "errorCode": "…"}``; a 401 (bad key) and a 403
  (the application may not use the search API) are *fatal* (the source is paused); a 429 is a
  rate limit (backed off, never counted towards pausing).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from bot.config.outlets import outlet_label
from bot.core.unicode import normalize_text
from bot.ingest.dates import sane_date, try_parse_date
from bot.ingest.text import strip_html
from bot.ingest.urls import canonical_url
from bot.store.drafts import Draft

DISPLAY = 100  # items per call (Naver's maximum)
MAX_START = 1000  # Naver's largest ``start``
NAME = "Naver"


def search_url(base: str, query: str) -> str:
    """The source's URL (without paging): what identifies it and what each call extends."""
    return f"{base.rstrip('/')}/v1/search/news.json?query={quote(query, safe='')}&sort=date"


def page_url(source_url: str, start: int) -> str:
    return f"{source_url}&display={DISPLAY}&start={start}"


def headers(client_id: str, client_secret: str) -> dict[str, str]:
    return {
        "X-Naver-Client-Id": client_id,
        "X-Naver-Client-Secret": client_secret,
        "Accept": "application/json",
    }


def clean(text: str) -> str:
    """``<b>소버린 AI</b> &quot;전략&quot;`` → ``소버린 AI "전략"``."""
    return " ".join(normalize_text(strip_html(text)).split())


@dataclass(slots=True)
class Page:
    drafts: list[Draft]
    total: int  # results Naver holds for the query
    listed: int  # items this page listed (drafts may be fewer: unreadable ones are skipped)


class NaverError(ValueError):
    """The API's answer is not a page of results."""


def parse_page(body: bytes, *, fetched_at: datetime) -> Page:
    """One ``news.json`` answer as drafts (rules in the module docstring)."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NaverError(f"not a Naver search answer: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise NaverError("not a Naver search answer: no items")
    drafts = [d for d in (_draft(i, fetched_at) for i in data["items"]) if d is not None]
    total = data.get("total")
    return Page(drafts, total if isinstance(total, int) else 0, len(data["items"]))


def _draft(item: object, fetched_at: datetime) -> Draft | None:
    if not isinstance(item, dict):
        return None
    title = clean(str(item.get("title") or ""))
    body = clean(str(item.get("description") or ""))
    original = str(item.get("originallink") or "").strip()
    link = str(item.get("link") or "").strip()
    url = original or link
    if not title or not url.lower().startswith(("http://", "https://")):
        return None
    parsed = try_parse_date(str(item.get("pubDate") or ""))
    published = sane_date(parsed[0] if parsed else None, fetched_at)
    canonical = canonical_url(url)
    return Draft(
        title=title,
        body=body,
        origin=link or url,
        kind="feed",
        source=outlet_label(canonical) or NAME,
        published_at=published,
        url=canonical,
        canonical_url=canonical,
        identity=canonical_url(link) if link else canonical,
    )


def error_of(status: int | None, body: bytes | None) -> str:
    """One line saying why Naver refused a call: its ``errorMessage`` and ``errorCode``."""
    message = code = None
    try:
        data = json.loads((body or b"").decode("utf-8"))
        if isinstance(data, dict):
            message, code = data.get("errorMessage"), data.get("errorCode")
    except (UnicodeDecodeError, json.JSONDecodeError):
        pass
    what = f"Naver API HTTP {status}"
    if message:
        what += f": {' '.join(str(message).split())[:200]}"
    if code:
        what += f" (errorCode {str(code)[:10]})"
    if status == 401:
        what += "; check NAVER_CLIENT_ID / NAVER_CLIENT_SECRET, then `newsbot feeds enable ID`"
    return what


def is_fatal(status: int | None) -> bool:
    """A refusal no retry mends: a bad key (401), an application without the search API (403)."""
    return status in (401, 403)
