"""Fetching feeds over HTTP, defensively.

Rules (every one of them is a promise the tests check):

- Only ``http`` and ``https`` URLs, on the first request and on every redirect hop.
- One TOTAL deadline per fetch (default 20 s) covers connecting, every redirect hop and the whole
  body, so a server trickling a byte at a time cannot outlive it; connect / read / write timeouts
  (at most 10 / 15 / 10 s) give clearer errors inside it.  Waiting for a per-host slot in a shared
  :class:`Fetcher` is not counted: one hung feed delays nothing beyond its own deadline.
- The body is capped (default 15 MiB) on DECODED bytes: we ask for ``gzip, deflate`` only and
  inflate ourselves with a bounded output buffer, so a gzip bomb stops at the cap having used
  about one cap of memory.
- At most 5 redirects (the 6th is an error), followed by hand so every hop is vetted.
- Private-address guard (see :mod:`bot.sources.urls`): we resolve the host ourselves, vet EVERY
  resolved address and connect to the vetted IP, so DNS rebinding has no gap.  A refused address
  and a closed port give the same message, ``cannot connect to <host>``, so the guard cannot be
  used to scan ports; the reason goes to the log.
- Conditional GET: ``If-None-Match`` / ``If-Modified-Since`` from the caller's stored validators;
  304 gives ``not_modified=True`` and no body (the validators we sent are echoed back when the 304
  carries none, so the caller can always store ``result.etag``).
- ``Cache-Control: max-age`` and ``Retry-After`` (seconds or an HTTP date; garbage ignored) are
  reported in seconds so the caller can schedule the next poll.
- Never raises for network trouble: the result carries a one-line ``error`` instead.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from bot.sources.urls import (
    AllowPrivate,
    IPAddress,
    host_allowed,
    is_blocked_ip,
    normalise_host,
    parse_host_ip,
)

log = logging.getLogger(__name__)

USER_AGENT = "newsbot/0.1 (+https://github.com/newsbot)"
DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 15 * 1024 * 1024
MAX_REDIRECTS = 5
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
_REDIRECTS = {301, 302, 303, 307, 308}
_GZIP_WBITS = 16 + zlib.MAX_WBITS


@dataclass(slots=True)
class FetchResult:
    status: int | None = None
    body: bytes | None = None
    final_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None  # media type, lower-case, without parameters
    charset: str | None = None  # from the Content-Type header, lower-case
    max_age: float | None = None  # seconds, from Cache-Control
    retry_after: float | None = None  # seconds from now
    not_modified: bool = False
    error: str | None = None  # one line; None on success (including 304)

    @property
    def ok(self) -> bool:
        return self.error is None


# --- the guard: a network backend that resolves, vets and connects to the vetted IP ----------


class _CannotResolve(httpcore.ConnectError):
    pass


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore backend that refuses non-global addresses unless the host is allowed."""

    def __init__(
        self, allow_private: AllowPrivate, inner: httpcore.AsyncNetworkBackend | None = None
    ) -> None:
        self._allow = allow_private
        self._inner = inner or httpcore.AnyIOBackend()

    async def _resolve(self, host: str, port: int) -> list[IPAddress]:
        literal = parse_host_ip(host)
        if literal is not None:
            return [literal]
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except (OSError, UnicodeError) as exc:
            raise _CannotResolve(f"cannot resolve {host}") from exc
        found: list[IPAddress] = []
        for _family, _type, _proto, _canon, sockaddr in infos:
            ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
            if ip not in found:
                found.append(ip)
        if not found:
            raise _CannotResolve(f"cannot resolve {host}")
        return found

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._resolve(host, port)
        if not host_allowed(host, self._allow):
            blocked = [str(ip) for ip in addresses if is_blocked_ip(ip)]
            if blocked:
                log.info("refused %s:%s: non-public address %s", host, port, ", ".join(blocked))
                raise httpcore.ConnectError(f"refused non-public address for {host}")
        last: Exception = httpcore.ConnectError(f"cannot connect to {host}")
        for ip in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(ip), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        raise last

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport (for its request / exception mapping) over a guarded pool."""

    def __init__(self, allow_private: AllowPrivate, max_connections: int) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=5.0,
            network_backend=GuardedBackend(allow_private),
        )


# --- bounded decoding of the body -------------------------------------------------------------


class _BodyError(Exception):
    pass


class _Inflater:
    """Content-Encoding decoder whose output per call is bounded (gzip bombs stop at the cap)."""

    def __init__(self, content_encoding: str | None) -> None:
        codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise _BodyError(f"unsupported Content-Encoding {content_encoding!r}")
        self.mode = codings[0].removeprefix("x-") if codings else None
        wbits = _GZIP_WBITS if self.mode == "gzip" else zlib.MAX_WBITS
        self._obj = zlib.decompressobj(wbits)
        self._output = False  # produced anything yet (raw-deflate fallback only before that)
        self._after_member = False  # a complete gzip member was decoded: junk after it is ignored
        self._finished = False

    def decode(self, data: bytes, room: int) -> bytes:
        """Decode ``data``; return at most ``room + 1`` bytes (one more than fits = too big)."""
        if self.mode is None:
            return data[: room + 1]
        out = bytearray()
        pending = data
        while len(out) <= room and not self._finished:
            if self._obj.eof:  # gzip may hold several members; trailing zero padding is ignored
                pending = self._obj.unused_data + pending
                if self.mode != "gzip" or not pending.strip(b"\x00"):
                    self._finished = self.mode != "gzip"
                    break
                self._obj = zlib.decompressobj(_GZIP_WBITS)
                self._after_member = True
            want = room + 1 - len(out)
            try:
                chunk = self._obj.decompress(pending, want)
            except zlib.error as exc:
                if self.mode == "deflate" and not self._output:  # raw deflate, no zlib header
                    self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._output = True
                    continue
                if self._after_member:
                    self._finished = True
                    break
                raise _BodyError(f"corrupt {self.mode} body") from exc
            self._output = self._output or bool(chunk)
            out += chunk
            pending = self._obj.unconsumed_tail
            if self._obj.eof:
                continue
            if not pending and len(chunk) < want:
                break
        return bytes(out)


# --- header helpers ---------------------------------------------------------------------------


def _content_type(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    media, *params = value.split(";")
    charset = None
    for param in params:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'").lower() or None
    return media.strip().lower() or None, charset


def parse_max_age(value: str | None) -> float | None:
    """Seconds from ``Cache-Control: max-age=N``; None when absent or garbage."""
    for directive in (value or "").split(","):
        key, _, val = directive.partition("=")
        if key.strip().lower() == "max-age":
            val = val.strip().strip('"')
            return float(val) if val.isdigit() else None
    return None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from ``Retry-After`` (delta seconds or an HTTP date); None if garbage."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


def _size(n: int) -> str:
    return f"{n / 1048576:g} MiB" if n >= 1048576 else f"{n} bytes"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# --- the fetcher ------------------------------------------------------------------------------


class Fetcher:
    """One shared client and connection pool for many fetches.

    ``allow_private`` is fixed per fetcher (connections are pooled).  At most ``per_host``
    fetches run at once against one host and ``max_concurrency`` in all; each fetch's deadline
    starts once it has its slots.  Use ``async with Fetcher(...) as f`` and
    ``await asyncio.gather(*(f.fetch(u) for u in urls))``.
    """

    def __init__(
        self,
        *,
        allow_private: AllowPrivate = False,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        per_host: int = 2,
        max_concurrency: int = 64,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.allow_private = allow_private
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._per_host = per_host
        self._all = asyncio.Semaphore(max_concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._client = httpx.AsyncClient(
            transport=_GuardedTransport(allow_private, max_concurrency),
            follow_redirects=False,
            trust_env=False,
            headers={
                "User-Agent": user_agent,
                "Accept": ACCEPT,
                "Accept-Encoding": "gzip, deflate",
            },
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        timeout: float | None = None,
        max_bytes: int | None = None,
    ) -> FetchResult:
        """Fetch ``url`` under this fetcher's rules; never raises for network trouble."""
        deadline = self.timeout if timeout is None else timeout
        cap = self.max_bytes if max_bytes is None else max_bytes
        try:
            host = normalise_host(urlsplit(url.strip()).hostname or "")
        except ValueError:
            host = ""
        slot = self._hosts.setdefault(host, asyncio.Semaphore(self._per_host))
        async with self._all, slot:
            return await self._fetch(url.strip(), etag, last_modified, deadline, cap)

    async def _fetch(
        self, url: str, etag: str | None, last_modified: str | None, deadline: float, cap: int
    ) -> FetchResult:
        current = url
        try:
            async with asyncio.timeout(deadline):
                for _hop in range(MAX_REDIRECTS + 1):
                    refusal = _check_url(current)
                    if refusal:
                        return FetchResult(final_url=current, error=refusal)
                    result, location = await self._one_hop(
                        current, etag, last_modified, deadline, cap
                    )
                    if location is None:
                        return result
                    current = location
                return FetchResult(
                    final_url=current, error=f"too many redirects (more than {MAX_REDIRECTS})"
                )
        except TimeoutError:
            return FetchResult(final_url=current, error=f"timed out after {deadline:g} s")
        except httpx.InvalidURL as exc:
            return FetchResult(
                final_url=current, error=f"invalid URL: {' '.join(str(exc).split())}"
            )
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            host = _host_of(current)
            if isinstance(exc.__cause__, _CannotResolve):
                return FetchResult(final_url=current, error=f"cannot resolve {host}")
            return FetchResult(final_url=current, error=f"cannot connect to {host}")
        except httpx.TimeoutException:
            return FetchResult(final_url=current, error="timed out waiting for the server")
        except _BodyError as exc:
            return FetchResult(final_url=current, error=str(exc))
        except (httpx.HTTPError, OSError) as exc:
            return FetchResult(final_url=current, error=f"network error: {_one_line(exc)}")
        except Exception as exc:  # never raise: the caller records the error against the feed
            log.exception("unexpected error fetching %s", current)
            return FetchResult(final_url=current, error=f"fetch failed: {_one_line(exc)}")

    async def _one_hop(
        self, url: str, etag: str | None, last_modified: str | None, deadline: float, cap: int
    ) -> tuple[FetchResult, str | None]:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        timeouts = httpx.Timeout(
            connect=min(10.0, deadline),
            read=min(15.0, deadline),
            write=min(10.0, deadline),
            pool=deadline,
        )
        request = self._client.build_request("GET", url, headers=headers, timeout=timeouts)
        response = await self._client.send(request, stream=True)
        try:
            if response.status_code in _REDIRECTS:
                location = response.headers.get("location", "").strip()
                if not location:
                    return _describe(response, error="redirect without a Location header"), None
                return FetchResult(), str(response.url.join(location))
            if response.status_code == 304:
                result = _describe(response)
                result.not_modified = True
                result.etag = result.etag or etag
                result.last_modified = result.last_modified or last_modified
                return result, None
            if not 200 <= response.status_code < 300:
                reason = response.reason_phrase or ""
                return _describe(
                    response, error=f"HTTP {response.status_code} {reason}".strip()
                ), None
            body = await _read_capped(response, cap)
            result = _describe(response)
            result.body = body
            return result, None
        finally:
            await response.aclose()


def _host_of(url: str) -> str:
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


def _check_url(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return "invalid URL"
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"{scheme}:" if scheme else "none"
        return f"unsupported URL scheme {shown} (only http and https)"
    if not parts.hostname:
        return "invalid URL: no host"
    return None


def _describe(response: httpx.Response, error: str | None = None) -> FetchResult:
    media, charset = _content_type(response.headers.get("content-type"))
    return FetchResult(
        status=response.status_code,
        final_url=str(response.url),
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
        content_type=media,
        charset=charset,
        max_age=parse_max_age(response.headers.get("cache-control")),
        retry_after=parse_retry_after(response.headers.get("retry-after")),
        error=error,
    )


async def _read_capped(response: httpx.Response, cap: int) -> bytes:
    too_big = f"response body larger than {_size(cap)} (after decompression)"
    inflater = _Inflater(response.headers.get("content-encoding"))
    declared = response.headers.get("content-length", "")
    if inflater.mode is None and declared.isdigit() and int(declared) > cap:
        raise _BodyError(too_big)
    parts: list[bytes] = []
    total = 0
    async for raw in response.aiter_raw():
        chunk = inflater.decode(raw, cap - total)
        total += len(chunk)
        if total > cap:
            raise _BodyError(too_big)
        parts.append(chunk)
    return b"".join(parts)


async def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: AllowPrivate = False,
    client: Fetcher | None = None,
) -> FetchResult:
    """Fetch one URL.  With ``client`` (a shared :class:`Fetcher`) its pool, per-host limits and
    its ``allow_private`` are used; otherwise a one-off fetcher with ``allow_private``."""
    if client is not None:
        return await client.fetch(
            url, etag=etag, last_modified=last_modified, timeout=timeout, max_bytes=max_bytes
        )
    started = time.monotonic()
    async with Fetcher(allow_private=allow_private, timeout=timeout, max_bytes=max_bytes) as one:
        result = await one.fetch(url, etag=etag, last_modified=last_modified)
    log.debug("fetched %s in %.2f s: %s", url, time.monotonic() - started, result.error or "ok")
    return result
