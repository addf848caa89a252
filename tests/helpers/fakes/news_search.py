"""Loopback fakes of Google News keyword RSS and the Naver News Search Open API.

One threaded HTTP server on 127.0.0.1 answers both, in their real formats:

- ``GET /rss/search?q=…&hl=…&gl=…&ceid=…``: Google News RSS 2.0 — ``<title>`` with the outlet's
  name after `` - ``, a ``news.google.com``-style redirect ``<link>`` (``/rss/articles/CBMi…?oc=5``
  on this server), a non-permalink ``<guid>``, GMT ``<pubDate>``, a ``<description>`` that is an
  escaped ``<a>`` + ``<font>`` pair, and ``<source url="outlet home">name</source>``.
- ``GET /v1/search/news.json?query=…&display=…&start=…&sort=date`` with ``X-Naver-Client-Id`` /
  ``X-Naver-Client-Secret``: ``{"lastBuildDate", "total", "start", "display", "items": [{"title",
  "originallink", "link", "description", "pubDate"}]}`` — the query's words wrapped in ``<b>``,
  quotes as ``&quot;``, ``n.news.naver.com`` links, RFC 822 dates in ``+0900``.  Wrong keys get
  Naver's 401 body, :meth:`NewsSearchFake.fail` scripts a 429 (or any status) with its body.

The articles are invented; tests register them per query.
"""

from __future__ import annotations

import base64
import html
import json
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit
from xml.sax.saxutils import escape, quoteattr

KST = timezone(timedelta(hours=9))
CLIENT_ID = "fake-naver-client-id"
CLIENT_SECRET = "fake-naver-client-secret-0123"
AUTH_FAILED = {"errorMessage": "Authentication failed. (인증에 실패했습니다.)", "errorCode": "024"}
RATE_LIMITED = {
    "errorMessage": "Rate limit exceeded. (속도 제한을 초과했습니다.)",
    "errorCode": "012",
}


@dataclass
class Story:
    """One invented article as both services list it."""

    title: str
    url: str  # the publisher's own URL
    outlet: str  # as Google names it in <source>
    home: str  # the outlet's home page (Google's <source url>)
    published: datetime  # aware
    description: str
    naver_oid: str = "001"  # Naver's press id in its link
    naver_aid: str = "0015700001"
    google_url_param: bool = False  # Google's older redirect form, which names the article


def _bold(text: str, query: str) -> str:
    """Naver's markup: the query's words in <b>, then quotes and ampersands as entities."""
    marked = html.escape(text, quote=True)
    for word in query.split():
        marked = marked.replace(html.escape(word), f"<b>{html.escape(word)}</b>")
    return marked


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        fake = self.server.fake
        parts = urlsplit(self.path)
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        with fake.lock:
            fake.hits[parts.path] += 1
            fake.requests.append((parts.path, params, dict(self.headers.items())))
        try:
            if parts.path == "/rss/search":
                self._send(200, fake.google_rss(params), "application/xml; charset=UTF-8")
            elif parts.path == "/v1/search/news.json":
                status, body, extra = fake.naver_answer(params, self.headers)
                self._send(status, body, "application/json; charset=UTF-8", extra)
            else:
                self._send(404, b"not found", "text/plain")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(
        self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: NewsSearchFake


class NewsSearchFake:
    """``with NewsSearchFake() as f: f.google["소버린 AI"] = [story]``; point
    ``NEWSBOT_GOOGLE_NEWS_URL`` and ``NEWSBOT_NAVER_API_URL`` at ``f.url``."""

    def __init__(self) -> None:
        self.google: dict[str, list[Story]] = {}
        self.naver: dict[str, list[Story]] = {}
        self.failure: tuple[int, dict[str, str], dict[str, str]] | None = None
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str], dict[str, str]]] = []
        self.lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def fail(self, status: int | None, body: dict[str, str] | None = None, **headers: str) -> None:
        """Answer every Naver call with ``status`` and ``body`` (None: answer normally again)."""
        self.failure = None if status is None else (status, body or {}, headers)

    def naver_calls(self) -> list[dict[str, str]]:
        with self.lock:
            return [p for path, p, _ in self.requests if path == "/v1/search/news.json"]

    def __enter__(self) -> NewsSearchFake:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- Google News --------------------------------------------------------------------------

    def google_rss(self, params: dict[str, str]) -> bytes:
        query = params.get("q", "")
        items = []
        for s in self.google.get(query, []):
            # like Google's: an opaque id that encodes the article (here: its URL)
            article_id = "CBMi" + base64.urlsafe_b64encode(s.url.encode()).decode().rstrip("=")
            link = f"{self.url}/rss/articles/{article_id}?oc=5"
            if s.google_url_param:
                link = f"{self.url}/news/url?sa=t&fd=R&ct2=ko_kr&usg=AFQjCNF&url={quote(s.url)}"
            description = (
                f'<a href="{link}" target="_blank">{html.escape(s.title)}</a>'
                f'&nbsp;&nbsp;<font color="#6f6f6f">{html.escape(s.outlet)}</font>'
            )
            items.append(
                "<item>"
                f"<title>{escape(s.title)} - {escape(s.outlet)}</title>"
                f"<link>{escape(link)}</link>"
                f'<guid isPermaLink="false">{article_id}</guid>'
                f"<pubDate>{format_datetime(s.published.astimezone(UTC), usegmt=True)}</pubDate>"
                f"<description>{escape(description)}</description>"
                f"<source url={quoteattr(s.home)}>{escape(s.outlet)}</source>"
                "</item>"
            )
        hl = params.get("hl", "ko")
        doc = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<rss xmlns:media="http://search.yahoo.com/mrss/" version="2.0"><channel>'
            "<generator>NFE/5.0</generator>"
            f"<title>{escape(query)} - Google 뉴스</title>"
            f"<link>{escape(self.url)}/search?q={escape(query)}&amp;hl={escape(hl)}</link>"
            f"<language>{escape(hl)}</language>"
            "<webMaster>news-webmaster@google.com</webMaster>"
            "<copyright>Copyright © 2025 Google. All rights reserved.</copyright>"
            "<lastBuildDate>Fri, 31 Oct 2025 03:00:00 GMT</lastBuildDate>"
            "<description>Google 뉴스</description>" + "".join(items) + "</channel></rss>"
        )
        return doc.encode("utf-8")

    # --- Naver --------------------------------------------------------------------------------

    def naver_answer(
        self, params: dict[str, str], headers: Any
    ) -> tuple[int, bytes, dict[str, str]]:
        if self.failure is not None:
            status, body, extra = self.failure
            return status, json.dumps(body, ensure_ascii=False).encode(), extra
        if (
            headers.get("X-Naver-Client-Id") != CLIENT_ID
            or headers.get("X-Naver-Client-Secret") != CLIENT_SECRET
        ):
            return 401, json.dumps(AUTH_FAILED, ensure_ascii=False).encode(), {}
        query = params.get("query", "")
        start, display = int(params.get("start", "1")), int(params.get("display", "10"))
        stories = sorted(self.naver.get(query, []), key=lambda s: s.published, reverse=True)
        page = stories[start - 1 : start - 1 + display]
        answer: dict[str, Any] = {
            "lastBuildDate": format_datetime(datetime(2025, 10, 31, 12, tzinfo=KST)),
            "total": len(stories),
            "start": start,
            "display": len(page),
            "items": [
                {
                    "title": _bold(s.title, query),
                    "originallink": s.url,
                    "link": f"https://n.news.naver.com/mnews/article/{s.naver_oid}/"
                    f"{s.naver_aid}?sid=105",
                    "description": _bold(s.description, query),
                    "pubDate": format_datetime(s.published.astimezone(KST)),
                }
                for s in page
            ],
        }
        return 200, json.dumps(answer, ensure_ascii=False).encode(), {}
