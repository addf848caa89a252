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
- Private-address guard (:class:`bot.ingest.netguard.GuardedBackend` under httpx): we resolve the
  host ourselves, vet EVERY resolved address and connect to the vetted IP, so DNS rebinding has
  no gap.  A name that resolves to a refused address and a closed port give the same message,
  ``cannot connect to <host>``, so the guard cannot be used to learn what a name resolves to or
  to scan ports; the reason goes to the log.  A URL that names a private address itself
  (``127.0.0.1``, ``localhost``, ``10.0.0.5``) is told so, ``refused non-public address for
  <host>``: that tells the user nothing they did not write, and names the setting that allows it.
- Conditional GET: ``If-None-Match`` / ``If-Modified-Since`` from the caller's stored validators;
  304 gives ``not_modified=True`` and no body (the validators we sent are echoed back when the 304
  carries none, so the caller can always store ``result.etag``).
- ``Cache-Control: max-age`` and ``Retry-After`` (seconds or an HTTP date; garbage ignored) are
  reported in seconds so the caller can schedule the next poll.
- Never raises for network trouble: the result carries a one-line ``error`` instead.

(About 420 lines, one over the house's ~400: the whole fetch path — deadline, hops, caps,
decompression — reads best in one place; the address guard is :mod:`bot.ingest.netguard`.)
"""

from __future__ import annotations

import asyncio
import logging
import re
import ssl
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpcore
import httpx

from bot.core.http import parse_retry_after
from bot.ingest.netguard import (
    AllowPrivate,
    CannotResolve,
    GuardedBackend,
    RefusedAddress,
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
_CODINGS = "gzip, deflate"  # only what we inflate ourselves, with a bounded buffer
_REDIRECTS = {301, 302, 303, 307, 308}
ERROR_BODY_MAX = 4096  # bytes of an API's error body kept
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


@dataclass(frozen=True, slots=True)
class _Ask:
    """What one fetch asks of every hop: the validators, the deadline and the body cap."""

    etag: str | None
    last_modified: str | None
    deadline: float
    cap: int


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


def _size(n: int) -> str:
    return f"{n / 1048576:g} MiB" if n >= 1048576 else f"{n} bytes"


_USERINFO_IN_TEXT = re.compile(r"(://[^/\s:@]+):[^@\s/]+@")


def _one_line(exc: BaseException, named: bool = True) -> str:
    """The error on one line, any password in a URL it quotes hidden (it is stored and shown)."""
    text = _USERINFO_IN_TEXT.sub(r"\1:***@", " ".join(str(exc).split()))
    if not named:
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# --- the fetcher ------------------------------------------------------------------------------


class Fetcher:
    """One shared client and connection pool for many fetches.

    ``allow_private`` is fixed per fetcher (connections are pooled).  At most ``per_host``
    fetches run at once against one host:port and ``max_concurrency`` in all; each fetch's deadline
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
            headers={"User-Agent": user_agent, "Accept": ACCEPT, "Accept-Encoding": _CODINGS},
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
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
        headers: Mapping[str, str] | None = None,
    ) -> FetchResult:
        """Fetch ``url`` under this fetcher's rules; never raises for network trouble.

        ``headers`` (an API's credentials) go to ``url``'s own host:port only, never to a
        redirect elsewhere; with them, an error response's body (at most
        :data:`ERROR_BODY_MAX` bytes) is kept in ``body`` for the caller to read its cause."""
        deadline = self.timeout if timeout is None else timeout
        cap = self.max_bytes if max_bytes is None else max_bytes
        slot = self._hosts.setdefault(_site(url), asyncio.Semaphore(self._per_host))
        async with self._all, slot:
            ask = _Ask(etag, last_modified, deadline, cap)
            return await self._fetch(url.strip(), ask, headers)

    async def _fetch(
        self,
        url: str,
        ask: _Ask,
        extra: Mapping[str, str] | None = None,
    ) -> FetchResult:
        current = url
        try:
            async with asyncio.timeout(ask.deadline):
                for _hop in range(MAX_REDIRECTS + 1):
                    refusal = _check_url(current)
                    if refusal:
                        return FetchResult(final_url=current, error=refusal)
                    own = extra if extra and _site(current) == _site(url) else None
                    result, location = await self._one_hop(current, ask, own)
                    if location is None:
                        return result
                    current = location
                return FetchResult(
                    final_url=current, error=f"too many redirects (more than {MAX_REDIRECTS})"
                )
        except TimeoutError:
            return FetchResult(final_url=current, error=f"timed out after {ask.deadline:g} s")
        except httpx.InvalidURL as exc:
            return FetchResult(final_url=current, error=f"invalid URL: {_one_line(exc, False)}")
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            return FetchResult(final_url=current, error=_connect_error(exc, _host_of(current)))
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
        self,
        url: str,
        ask: _Ask,
        extra: Mapping[str, str] | None = None,
    ) -> tuple[FetchResult, str | None]:
        headers = dict(extra or {})
        if ask.etag:
            headers["If-None-Match"] = ask.etag
        if ask.last_modified:
            headers["If-Modified-Since"] = ask.last_modified
        timeouts = httpx.Timeout(
            connect=min(10.0, ask.deadline),
            read=min(15.0, ask.deadline),
            write=min(10.0, ask.deadline),
            pool=ask.deadline,
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
                result.etag = result.etag or ask.etag
                result.last_modified = result.last_modified or ask.last_modified
                return result, None
            if not 200 <= response.status_code < 300:
                error = f"HTTP {response.status_code} {response.reason_phrase or ''}".strip()
                result = _describe(response, error=error)
                if extra:  # an API says why in its error body
                    try:
                        result.body = await _read_capped(response, ERROR_BODY_MAX)
                    except _BodyError:
                        result.body = None
                return result, None
            body = await _read_capped(response, ask.cap)
            result = _describe(response)
            result.body = body
            return result, None
        finally:
            await response.aclose()


def _site(url: str) -> str:
    """The per-host limit's key: host and port (two services on one address are two sites)."""
    try:
        parts = urlsplit(url.strip())
        return f"{normalise_host(parts.hostname or '')}:{parts.port or parts.scheme}"
    except ValueError:
        return ""


def _connect_error(exc: BaseException, host: str) -> str:
    """One message for refused addresses, closed ports and timeouts alike (no port scanning);
    DNS and TLS failures, which only concern reachable public hosts, say what they are."""
    chain: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and len(chain) < 8:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    if any(isinstance(e, CannotResolve) for e in chain):
        return f"cannot resolve {host}"
    if any(isinstance(e, RefusedAddress) for e in chain) and _names_private(host):
        return f"refused non-public address for {host}"
    tls = next((e for e in chain if isinstance(e, ssl.SSLError)), None)
    if tls is not None:
        reason = getattr(tls, "verify_message", None) or getattr(tls, "reason", None) or "error"
        return f"TLS handshake with {host} failed: {reason}"
    return f"cannot connect to {host}"


def _names_private(host: str) -> bool:
    """Whether ``host`` as written is itself a private address (or ``localhost``)."""
    name = normalise_host(host).strip("[]")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    return parse_host_ip(name) is not None and is_blocked_ip(name)


def _host_of(url: str) -> str:
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


def _check_url(url: str) -> str | None:
    """Why ``url`` may not be fetched at all, or None."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError when out of range
    except ValueError as exc:
        return f"invalid URL: {exc}"
    scheme = parts.scheme.lower()
    if not scheme:
        return "invalid URL: expected http:// or https://"
    if scheme not in ("http", "https"):
        return f"unsupported URL scheme {scheme}: (only http and https)"
    if not parts.hostname or any(ch.isspace() for ch in parts.hostname):
        return "invalid URL: no host" if not parts.hostname else "invalid URL: bad host"
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
    """Fetch one URL (rules in the module docstring).

    With ``client`` (a shared :class:`Fetcher`) its pool, per-host limits and ITS
    ``allow_private`` are used (the argument here is ignored: the policy belongs to the pool),
    with this call's ``timeout`` and ``max_bytes``.  Without, a one-off fetcher is used."""
    if client is not None:
        return await client.fetch(
            url, etag=etag, last_modified=last_modified, timeout=timeout, max_bytes=max_bytes
        )
    async with Fetcher(allow_private=allow_private, timeout=timeout, max_bytes=max_bytes) as one:
        return await one.fetch(url, etag=etag, last_modified=last_modified)
