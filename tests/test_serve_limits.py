"""``newsbot serve`` stays responsive: a database locked by another writer delays a delivery,
never an acknowledgement or ``/healthz``; slow-loris connections are closed by the server; a
flood of connections beyond the cap is turned away at once."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web

from bot.runtime.http import HEADER_TIMEOUT, Listener
from tests.helpers import wait_for
from tests.helpers.chat import SECRET, sign, slash_body
from tests.helpers.fakes.slack_api import FakeSlack
from tests.helpers.serve import SLACK_C1, Serve, free_port, outbox, prepare, slack_deliveries
from tests.helpers.stories import gpu_story, next_nine


def _timed(
    url: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, float]:
    """(HTTP status, seconds until the answer)."""
    req = urllib.request.Request(url, data=body, headers=headers or {})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            resp.read()
            status = int(resp.status)
    except urllib.error.HTTPError as exc:
        status = int(exc.code)
    return status, time.monotonic() - started


@pytest.mark.slow
def test_a_held_write_lock_delays_the_delivery_but_no_ack_or_healthz(
    tmp_path: Path, procs: list[Serve], fake_slack: FakeSlack
) -> None:
    db_path = tmp_path / "newsbot.db"
    db_url = f"sqlite:///{db_path}"
    prepare(
        db_url, [SLACK_C1], seeds=False, drafts=[gpu_story(n, title_pad=30) for n in range(120)]
    )
    fake_slack.slow("chat.postMessage", 0.5)
    env = {
        "SLACK_BOT_TOKEN": fake_slack.token,
        "SLACK_API_URL": fake_slack.api_url,
        "SLACK_SIGNING_SECRET": SECRET,
    }
    serve = Serve(tmp_path, "serve", db_url, clock=next_nine() - timedelta(seconds=2), env=env)
    procs.append(serve.start())
    serve.wait_role("leader")
    wait_for(lambda: fake_slack.posts(SLACK_C1.channel), 60, "the digest to start")

    base = f"http://127.0.0.1:{serve.port}"
    timings: list[tuple[str, int, float]] = []
    holding = threading.Event()
    released = threading.Event()

    def hold_the_lock() -> None:
        conn = sqlite3.connect(db_path, timeout=30, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        holding.set()
        time.sleep(10)
        conn.execute("ROLLBACK")
        conn.close()
        released.set()

    locker = threading.Thread(target=hold_the_lock)
    locker.start()
    assert holding.wait(30)
    posts_when_locked = len(fake_slack.posts(SLACK_C1.channel))
    n = 0
    while not released.is_set():
        n += 1
        body = slash_body("help", fake_slack.response_url(f"r{n}"))
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        signed = _timed(f"{base}/slack/events", body, {**headers, **sign(body)})
        forged = _timed(f"{base}/slack/events", body, {**headers, **sign(body, secret="x")})
        health = _timed(f"{base}/healthz")
        timings += [("signed", *signed), ("unsigned", *forged), ("healthz", *health)]
        time.sleep(0.2)
    locker.join()
    posts_while_locked = len(fake_slack.posts(SLACK_C1.channel)) - posts_when_locked

    assert n >= 10, "requests kept coming during the ten seconds"
    for kind, status, seconds in timings:
        assert seconds < 1.0, (kind, status, seconds)
    assert {s for k, s, _ in timings if k == "signed"} == {200}
    assert {s for k, s, _ in timings if k == "unsigned"} == {401}
    assert {s for k, s, _ in timings if k == "healthz"} == {200}
    assert posts_while_locked <= 1, "the delivery waited for the lock (one part may have been due)"

    wait_for(lambda: {r.status for r in outbox(db_url)} == {"sent"}, 120, "the digest sent")
    [row] = outbox(db_url)
    counts = Counter(slack_deliveries(fake_slack, SLACK_C1.channel))
    assert sorted(p for _, p in counts) == list(range(row.parts_sent)) and set(counts.values()) == {
        1
    }
    assert serve.terminate() == 0


@pytest.mark.slow
def test_slow_loris_connections_are_closed_by_the_server(
    tmp_path: Path, procs: list[Serve]
) -> None:
    serve = Serve(tmp_path, "serve", f"sqlite:///{tmp_path / 'newsbot.db'}")
    procs.append(serve.start())
    serve.wait_role("leader")
    socks = []
    for _ in range(50):
        s = socket.create_connection(("127.0.0.1", serve.port), timeout=5)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")  # never finishes its head
        s.setblocking(False)
        socks.append(s)
    started = time.monotonic()
    closed_at: dict[int, float] = {}
    while len(closed_at) < len(socks) and time.monotonic() - started < 30:
        for i, s in enumerate(socks):
            if i in closed_at:
                continue
            try:
                if s.recv(1024) == b"":
                    closed_at[i] = time.monotonic() - started
                    continue
            except BlockingIOError:
                pass
            except OSError:
                closed_at[i] = time.monotonic() - started
                continue
            try:
                s.sendall(b"X-Trickle: 1\r\n")  # a header line now and then
            except OSError:
                closed_at[i] = time.monotonic() - started
        health = serve.get("/healthz")
        assert health is not None and health[0] == 200  # the server answers others meanwhile
        time.sleep(1)
    for s in socks:
        s.close()
    assert len(closed_at) == len(socks), f"{len(socks) - len(closed_at)} still open after 30 s"
    assert max(closed_at.values()) < HEADER_TIMEOUT + 5


async def test_connections_beyond_the_cap_are_turned_away_at_once() -> None:
    async def ok(_request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/", ok)
    port = free_port()
    listener = Listener(app, "127.0.0.1", port, max_connections=3)
    await listener.start()
    try:
        idle = [await asyncio.open_connection("127.0.0.1", port) for _ in range(3)]
        await asyncio.sleep(0.1)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert await asyncio.wait_for(reader.read(100), 2) == b""  # closed, no answer
        writer.close()
        for _, w in idle:
            w.close()
        await asyncio.sleep(0.1)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert b"200 OK" in await asyncio.wait_for(reader.read(200), 2)
        writer.close()
        assert listener.refused == 1
    finally:
        await listener.close()
