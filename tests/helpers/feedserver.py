"""Test helpers: a real threaded HTTP server on 127.0.0.1 with misbehaving routes, and feed
builders.

Routes are callables taking the request handler; the builders below make the usual ones:
canned responses, conditional GET, redirects, a server that never answers, one that trickles a
byte at a time, an endless body and a gzip bomb.  The server counts requests per path and keeps
each request's headers.
"""

from __future__ import annotations

import socket
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape, quoteattr

Responder = Callable[["Handler"], None]


class Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        owner = self.server.owner
        with owner.lock:
            owner.hits[self.path] += 1
            owner.requests.append((self.path, dict(self.headers.items())))
        responder = owner.routes.get(self.path)
        try:
            if responder is None:
                self.send_error(404)
            else:
                responder(self)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            pass

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: FeedServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hanging up on us is the point of most tests


class FeedServer:
    """``with FeedServer() as s: s.route("/feed", canned(b"..."))`` then fetch ``s.url("/feed")``."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Responder] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._server = _Server((host, 0), Handler)
        self._server.owner = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def route(self, path: str, responder: Responder) -> str:
        self.routes[path] = responder
        return self.url(path)

    @property
    def total_hits(self) -> int:
        return sum(self.hits.values())

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- responders -------------------------------------------------------------------------------


def canned(
    body: bytes = b"", status: int = 200, headers: dict[str, str] | None = None
) -> Responder:
    def respond(h: Handler) -> None:
        h.send_response(status)
        merged = {"Content-Type": "application/rss+xml"} | (headers or {})
        for key, value in merged.items():
            h.send_header(key, value)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return respond


def conditional(body: bytes, etag: str, last_modified: str) -> Responder:
    """200 with validators, or 304 when the request carries a matching one."""

    def respond(h: Handler) -> None:
        if (
            h.headers.get("If-None-Match") == etag
            or h.headers.get("If-Modified-Since") == last_modified
        ):
            h.send_response(304)
            h.send_header("ETag", etag)
            h.end_headers()
            return
        canned(body, headers={"ETag": etag, "Last-Modified": last_modified})(h)

    return respond


def redirect(location: str, status: int = 302) -> Responder:
    def respond(h: Handler) -> None:
        h.send_response(status)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return respond


def hang() -> Responder:
    """Read the request, then never answer (until the server stops)."""

    def respond(h: Handler) -> None:
        h.server.owner.stopping.wait(60)

    return respond


def trickle(interval: float = 2.0) -> Responder:
    """Headers at once, then one byte of body every ``interval`` seconds."""

    def respond(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("Content-Length", "1000")
        h.end_headers()
        h.wfile.flush()
        while not h.server.owner.stopping.wait(interval):
            h.wfile.write(b"<")
            h.wfile.flush()

    return respond


def endless(chunk: int = 65536) -> Responder:
    """A body that never ends."""

    def respond(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.end_headers()
        block = b"<rss>" + b" " * (chunk - 5)
        while not h.server.owner.stopping.is_set():
            h.wfile.write(block)

    return respond


def gzip_bomb(total: int = 1 << 30) -> Responder:
    """``total`` bytes of zeros, gzip-compressed on the fly (about 1 MB on the wire per GB)."""

    def respond(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("Content-Encoding", "gzip")
        h.end_headers()
        packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        zeros = bytes(1 << 20)
        for _ in range(total >> 20):
            if h.server.owner.stopping.is_set():
                return
            out = packer.compress(zeros)
            if out:
                h.wfile.write(out)
        h.wfile.write(packer.flush())

    return respond


def gzipped(body: bytes, headers: dict[str, str] | None = None) -> Responder:
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    data = packer.compress(body) + packer.flush()
    return canned(data, headers={"Content-Encoding": "gzip"} | (headers or {}))


# --- feed builders ----------------------------------------------------------------------------


def rss_text(
    items: Iterable[dict[str, str]],
    *,
    title: str = "Test feed",
    declare: str | None = "utf-8",
    ttl: int | None = None,
    prolog: str = "",
) -> str:
    """An RSS 2.0 document as text; item keys: title, link, guid, description, pubDate
    (values are escaped).  ``declare`` is the encoding the XML declaration names (None: none)."""
    decl = f'<?xml version="1.0" encoding="{declare}"?>' if declare else '<?xml version="1.0"?>'
    parts = [decl, prolog, '<rss version="2.0"><channel>', f"<title>{escape(title)}</title>"]
    parts.append("<link>http://example.com/</link><description>test</description>")
    if ttl is not None:
        parts.append(f"<ttl>{ttl}</ttl>")
    for item in items:
        parts.append("<item>")
        for key, value in item.items():
            parts.append(f"<{key}>{escape(value)}</{key}>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts)


def rss(
    items: Iterable[dict[str, str]],
    *,
    encoding: str = "utf-8",
    declare: str | None = "utf-8",
    **kw: Any,
) -> bytes:
    """:func:`rss_text` encoded in ``encoding`` (which may differ from what it declares)."""
    return rss_text(items, declare=declare, **kw).encode(encoding)


def atom(entries: Iterable[dict[str, str]], *, title: str = "Atom test") -> bytes:
    """An Atom 1.0 document; entry keys: title, link (href), id, summary, updated."""
    parts = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">']
    parts.append(f"<title>{escape(title)}</title><id>urn:test</id>")
    for entry in entries:
        parts.append("<entry>")
        for key, value in entry.items():
            if key == "link":
                parts.append(f"<link rel='alternate' href={quoteattr(value)}/>")
            else:
                parts.append(f"<{key}>{escape(value)}</{key}>")
        parts.append("</entry>")
    parts.append("</feed>")
    return "\n".join(parts).encode("utf-8")


def wait_until(predicate: Callable[[], bool], timeout: float = 2.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()
