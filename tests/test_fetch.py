"""Fetching against real HTTP servers on 127.0.0.1: conditional GET, deadlines and caps against
hostile servers, redirects, schemes, scheduling hints and the private-address guard."""

from __future__ import annotations

import asyncio
import threading
import time
import tracemalloc
from collections.abc import Iterator

import pytest

from bot.ingest.fetch import Fetcher, fetch
from tests.helpers.feedserver import (
    FeedServer,
    Handler,
    canned,
    closed_port,
    conditional,
    endless,
    gzip_bomb,
    gzipped,
    hang,
    redirect,
    rss,
    trickle,
)

FEED = rss([{"title": "GPU 26만 장", "link": "http://example.com/1", "guid": "1"}])
MIB = 1024 * 1024


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as s:
        yield s


@pytest.fixture
def target() -> Iterator[FeedServer]:
    """A second server that must never be reached by a refused fetch."""
    with FeedServer() as s:
        s.route("/", canned(FEED))
        yield s


# --- the ordinary path ------------------------------------------------------------------------


async def test_second_fetch_of_unchanged_feed_is_not_modified(server: FeedServer) -> None:
    etag, modified = '"v1"', "Wed, 01 May 2024 00:00:00 GMT"
    url = server.route("/feed", conditional(FEED, etag, modified))

    first = await fetch(url, allow_private=True)
    assert first.ok and first.status == 200 and first.body == FEED
    assert (first.etag, first.last_modified) == (etag, modified)

    second = await fetch(
        url, etag=first.etag, last_modified=first.last_modified, allow_private=True
    )
    assert second.ok and second.not_modified and second.status == 304
    assert second.body is None
    assert second.etag == etag and second.last_modified == modified  # still storable
    sent = server.requests[-1][1]
    assert sent["If-None-Match"] == etag and sent["If-Modified-Since"] == modified


async def test_requests_name_newsbot_and_gzip_bodies_arrive_decoded(server: FeedServer) -> None:
    url = server.route("/gz", gzipped(FEED, {"Content-Type": "application/rss+xml; charset=UTF-8"}))
    result = await fetch(url, allow_private=True)
    assert result.ok and result.body == FEED
    assert (result.content_type, result.charset) == ("application/rss+xml", "utf-8")
    agent = server.requests[-1][1]["User-Agent"]
    assert agent.startswith("newsbot/") and "newsbot" in agent


@pytest.mark.parametrize(
    ("headers", "max_age", "retry_after"),
    [
        ({"Cache-Control": "public, max-age=600"}, 600.0, None),
        ({"Cache-Control": "max-age=garbage", "Retry-After": "soon"}, None, None),
        ({"Retry-After": "120"}, None, 120.0),
        ({"Retry-After": "Wed, 01 Jan 2020 00:00:00 GMT"}, None, 0.0),  # a date in the past
    ],
)
async def test_scheduling_hints_are_reported(
    server: FeedServer, headers: dict[str, str], max_age: float | None, retry_after: float | None
) -> None:
    url = server.route("/feed", canned(FEED, headers=headers))
    result = await fetch(url, allow_private=True)
    assert result.ok
    assert (result.max_age, result.retry_after) == (max_age, retry_after)


async def test_retry_after_date_on_503_is_seconds_from_now(server: FeedServer) -> None:
    later = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 3600))
    url = server.route("/busy", canned(b"busy", status=503, headers={"Retry-After": later}))
    result = await fetch(url, allow_private=True)
    assert result.error == "HTTP 503 Service Unavailable" and result.status == 503
    assert result.body is None
    assert result.retry_after is not None and 3500 < result.retry_after <= 3600


async def test_https_to_a_plain_http_server_is_a_tls_error(server: FeedServer) -> None:
    server.route("/feed", canned(FEED))
    result = await fetch(f"https://127.0.0.1:{server.port}/feed", allow_private=True, timeout=5)
    assert result.error is not None
    assert result.error.startswith("TLS handshake with 127.0.0.1 failed")


async def test_http_errors_are_results_not_exceptions(server: FeedServer) -> None:
    result = await fetch(server.url("/missing"), allow_private=True)
    assert result.status == 404 and result.error == "HTTP 404 Not Found"


# --- redirects and schemes --------------------------------------------------------------------


async def test_five_redirects_are_followed_and_the_sixth_is_refused(server: FeedServer) -> None:
    server.route("/feed", canned(FEED))
    for hop in range(1, 7):
        nxt = "/feed" if hop == 1 else f"/r{hop - 1}"
        server.route(f"/r{hop}", redirect(nxt))  # relative Location headers
    five = await fetch(server.url("/r5"), allow_private=True)
    assert five.ok and five.body == FEED and five.final_url == server.url("/feed")

    six = await fetch(server.url("/r6"), allow_private=True)
    assert six.error == "too many redirects (more than 5)" and six.body is None


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/feed", "gopher://x/1"])
async def test_non_http_schemes_are_refused(url: str) -> None:
    result = await fetch(url, allow_private=True)
    assert result.body is None
    assert result.error is not None and "only http and https" in result.error
    assert url.split(":")[0] in result.error


async def test_redirect_to_a_file_url_is_refused(server: FeedServer) -> None:
    url = server.route("/sneaky", redirect("file:///etc/passwd"))
    result = await fetch(url, allow_private=True)
    assert result.body is None and result.error is not None
    assert "unsupported URL scheme file:" in result.error


# --- hostile servers: deadline and cap --------------------------------------------------------


async def test_endless_body_stops_at_the_cap(server: FeedServer) -> None:
    url = server.route("/endless", endless())
    started = time.perf_counter()
    result = await fetch(url, allow_private=True, max_bytes=MIB, timeout=10)
    assert result.body is None
    assert result.error == "response body larger than 1 MiB (after decompression)"
    assert time.perf_counter() - started < 5


async def test_gzip_bomb_stops_at_the_cap_with_little_memory(server: FeedServer) -> None:
    url = server.route("/bomb", gzip_bomb(1 << 30))  # 1 GB of zeros, about 1 MB on the wire
    tracemalloc.start()
    try:
        result = await fetch(url, allow_private=True, max_bytes=MIB, timeout=10)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.body is None
    assert result.error == "response body larger than 1 MiB (after decompression)"
    assert peak < 32 * MIB


@pytest.mark.slow
async def test_trickling_server_is_cut_at_the_deadline(server: FeedServer) -> None:
    url = server.route("/slow", trickle(interval=1.0))  # a byte a second: never a read timeout
    started = time.perf_counter()
    result = await fetch(url, allow_private=True, timeout=2.5)
    assert result.error == "timed out after 2.5 s" and result.body is None
    assert 2.4 < time.perf_counter() - started < 3.5


@pytest.mark.slow
async def test_hostile_feeds_do_not_hold_up_a_good_one(server: FeedServer) -> None:
    bad = {
        "/hang": hang(),
        "/trickle": trickle(interval=2.0),
        "/endless": endless(),
        "/bomb": gzip_bomb(1 << 30),
    }
    for path, responder in bad.items():
        server.route(path, responder)
    server.route("/good", canned(FEED))
    deadline = 2.0
    started = time.perf_counter()
    async with Fetcher(allow_private=True, timeout=deadline, max_bytes=MIB, per_host=8) as f:
        results = await asyncio.gather(*(f.fetch(server.url(p)) for p in [*bad, "/good"]))
    elapsed = time.perf_counter() - started
    by_path = dict(zip([*bad, "/good"], results, strict=True))
    assert by_path["/good"].ok and by_path["/good"].body == FEED
    assert by_path["/hang"].error == "timed out after 2 s"
    assert by_path["/trickle"].error == "timed out after 2 s"
    assert by_path["/endless"].error == "response body larger than 1 MiB (after decompression)"
    assert by_path["/bomb"].error == "response body larger than 1 MiB (after decompression)"
    assert elapsed < deadline + 1.5


@pytest.mark.slow
async def test_a_hung_host_delays_no_other_host() -> None:
    with FeedServer() as stuck, FeedServer() as fine:
        stuck.route("/", hang())
        fine.route("/", canned(FEED))
        async with Fetcher(allow_private=True, timeout=2.0, per_host=1) as f:
            started = time.perf_counter()
            hung_task = asyncio.ensure_future(f.fetch(stuck.url("/")))
            await asyncio.sleep(0.1)
            good = await f.fetch(fine.url("/"))
            good_elapsed = time.perf_counter() - started
            hung = await hung_task
    assert good.ok and good_elapsed < 1.0
    assert hung.error == "timed out after 2 s"


async def test_shared_fetcher_limits_connections_per_host(server: FeedServer) -> None:
    lock = threading.Lock()
    state = {"now": 0, "most": 0}

    def slow_feed(h: Handler) -> None:
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        time.sleep(0.01)
        with lock:
            state["now"] -= 1
        canned(FEED)(h)

    urls = [server.route(f"/f{i}", slow_feed) for i in range(200)]
    async with Fetcher(allow_private=True, per_host=4) as f:
        results = await asyncio.gather(*(f.fetch(u) for u in urls))
    assert all(r.ok and r.body == FEED for r in results)
    assert server.total_hits == 200
    assert 1 <= state["most"] <= 4


# --- the private-address guard ----------------------------------------------------------------

BLOCKED_HOSTS = [
    "127.0.0.1", "localhost", "10.0.0.1", "192.168.1.1", "172.16.0.1", "169.254.169.254",
    "100.64.0.1", "224.0.0.1", "0.0.0.0", "[::1]", "[::ffff:127.0.0.1]", "2130706433", "0x7f.1",
    "127.1", "017700000001",
]  # fmt: skip


def _shown(host: str) -> str:
    return host.strip("[]")


@pytest.mark.parametrize("host", BLOCKED_HOSTS)
async def test_guard_refuses_private_addresses(target: FeedServer, host: str) -> None:
    started = time.perf_counter()
    result = await fetch(f"http://{host}:{target.port}/", timeout=60)
    # the URL names the address itself: saying so tells nothing the user did not write
    assert result.error == f"refused non-public address for {_shown(host)}"
    assert result.status is None and result.body is None
    assert target.total_hits == 0
    # refused before any connection attempt: one to an address that does not answer would
    # have waited out the 60 s timeout (the bound is the timeout's, not the machine's speed)
    assert time.perf_counter() - started < 30


@pytest.mark.parametrize("host", BLOCKED_HOSTS)
async def test_guard_refuses_private_addresses_behind_a_redirect(
    server: FeedServer, target: FeedServer, host: str
) -> None:
    # The redirecting server itself is allowed by name; the hop it points to is not.
    allowed_name = "127.0.0.1" if host == "localhost" else "localhost"
    server.route("/go", redirect(f"http://{host}:{target.port}/"))
    result = await fetch(server.url("/go", host=allowed_name), allow_private=(allowed_name,))
    assert server.hits["/go"] == 1
    assert result.error == f"refused non-public address for {_shown(host)}"
    assert result.body is None
    assert target.total_hits == 0


async def test_the_same_redirect_is_followed_when_the_target_is_allowed(
    server: FeedServer, target: FeedServer
) -> None:
    server.route("/go", redirect(f"http://127.1:{target.port}/"))
    result = await fetch(server.url("/go", host="localhost"), allow_private=("localhost", "127.1"))
    assert result.ok and result.body == FEED
    assert target.total_hits == 1


async def test_the_guard_cannot_be_used_to_scan_ports(target: FeedServer) -> None:
    """A refused address says the same whatever the port, open or closed; only an allowed
    address is connected to, and a closed port there is "cannot connect"."""
    open_port = await fetch(f"http://127.0.0.1:{target.port}/")
    closed = await fetch(f"http://127.0.0.1:{closed_port()}/")
    assert open_port.error == closed.error == "refused non-public address for 127.0.0.1"
    assert open_port.status is closed.status is None
    assert target.total_hits == 0
    allowed_closed = await fetch(f"http://127.0.0.1:{closed_port()}/", allow_private=True)
    assert allowed_closed.error == "cannot connect to 127.0.0.1"


async def test_allowlisted_name_is_fetched_and_others_are_not(target: FeedServer) -> None:
    allowed = await fetch(target.url("/", host="localhost"), allow_private=("localhost",))
    assert allowed.ok and allowed.body == FEED
    refused = await fetch(target.url("/", host="127.0.0.1"), allow_private=("localhost",))
    assert refused.error == "refused non-public address for 127.0.0.1"
    assert target.total_hits == 1
