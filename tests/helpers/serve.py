"""Running ``newsbot serve`` as a real process against prepared databases and loopback fakes."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.cli import main as cli_main
from bot.config.settings import Settings
from bot.store import Place, open_store
from bot.store.drafts import Draft
from bot.store.views import OutboxEntry, Schedule
from tests.helpers import ROOT, SEEDS, wait_for
from tests.helpers.fakes.discord_api import GUILD_ID, FakeDiscord, Stored
from tests.helpers.fakes.slack_api import FakeSlack

SLACK_C1 = Place("slack", "T1", "C1")

DISCORD_CH = Place("discord", GUILD_ID, "1300000000000000004")

METRICS = (
    "newsbot_items_ingested",
    "newsbot_items_matched",
    "newsbot_posts_sent",
    "newsbot_posts_failed",
    "newsbot_feed_errors",
    "newsbot_poll_duration_seconds",
    "newsbot_scheduler_leader",
)

# leadership and claim timings for tests that wait out a dead or frozen leader: the product's
# defaults (15 s lease, 5 s renewal, 45 s claims) scaled down, in the same order (a lease and a
# claim outlive several renewals, so a leader that is merely slow keeps both)
QUICK_HANDOVER = {
    "NEWSBOT_LEADER_LEASE": "5s",
    "NEWSBOT_LEADER_RENEW": "1s",
    "NEWSBOT_CLAIM_TTL": "8s",
}

LAUNCHER = (
    "import sys, yarl; from discord.gateway import DiscordWebSocket; "
    "DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(sys.argv.pop(1)); "
    "from bot.cli import main; raise SystemExit(main())"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SlowDiscord(FakeDiscord):
    """FakeDiscord that stores a message, then waits ``post_delay`` s before answering (a slow
    Discord: a process killed meanwhile never learns that its message arrived)."""

    post_delay = 0.0

    async def _create_message(self, request: web.Request) -> web.StreamResponse:
        response = await super()._create_message(request)
        if self.post_delay:
            await asyncio.sleep(self.post_delay)
        return response


class DiscordThread:
    """A FakeDiscord served from its own event loop thread, for tests that are not async."""

    def __init__(self, fake: FakeDiscord | None = None) -> None:
        self.fake = fake or FakeDiscord()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> DiscordThread:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.fake.__aenter__(), self.loop).result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.fake.__aexit__(None, None, None), self.loop).result(
            10
        )
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()

    @property
    def gateway(self) -> str:
        return f"ws://127.0.0.1:{self.fake.port}/gateway"

    def messages(self, channel: str) -> list[Stored]:
        return list(self.fake.channel_messages(channel))


class Serve:
    """One ``newsbot serve`` process; its output goes to a log file."""

    def __init__(
        self,
        tmp_path: Path,
        name: str,
        db_url: str,
        *,
        clock: datetime | None = None,
        env: dict[str, str] | None = None,
        discord_gateway: str | None = None,
    ) -> None:
        self.name = name
        self.port = free_port()
        self.log_path = tmp_path / f"{name}.log"
        base = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("NEWSBOT_", "SLACK_", "DISCORD_"))
        }
        self.env = base | {
            "NEWSBOT_DATABASE_URL": db_url,
            "NEWSBOT_LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
            **({"NEWSBOT_TEST_CLOCK": clock.isoformat()} if clock else {}),
            **(env or {}),
        }
        if discord_gateway:
            self.argv = [sys.executable, "-c", LAUNCHER, discord_gateway]
        else:
            self.argv = [sys.executable, "-m", "bot"]
        self.argv += ["serve", "--port", str(self.port)]
        self.proc: subprocess.Popen[bytes] | None = None
        self.started = 0.0

    def start(self) -> Serve:
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                self.argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        self.started = time.monotonic()
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def get(self, path: str) -> tuple[int, str] | None:
        """(status, body) of GET ``path``, or None while nothing answers."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()
        except (OSError, TimeoutError):
            return None

    def health(self) -> dict[str, Any] | None:
        got = self.get("/healthz")
        return json.loads(got[1]) if got and got[0] == 200 else None

    def role(self) -> str | None:
        health = self.health()
        return health["scheduler"] if health else None

    def wait_role(self, role: str, timeout: float = 180) -> dict[str, Any]:
        """Wait until /healthz says ``role``.  The default allows for start-up on a machine
        loaded many times over (Python, the model and the first lease take a minute or more
        there); it is a bound on a condition, never a measure of speed."""

        def check() -> dict[str, Any] | None:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise AssertionError(f"{self.name} exited early:\n{self.log()[-3000:]}")
            health = self.health()
            return health if health and health["scheduler"] == role else None

        return wait_for(check, timeout, f"{self.name} to be {role}", step=0.2)

    def wait_runs(self, job: str, more: int = 1, timeout: float = 30) -> None:
        """Wait until the scheduler's ``job`` (plan, deliver, poll) has run ``more`` more times
        than now: everything it would have done by then, it has done."""
        now = (self.health() or {}).get("runs", {}).get(job, 0)
        wait_for(
            lambda: (self.health() or {}).get("runs", {}).get(job, 0) >= now + more,
            timeout,
            f"{self.name} to {job} {more} more times",
            step=0.1,
        )

    def terminate(self, timeout: float = 40) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(10)

    def freeze(self) -> None:
        """SIGSTOP: the process stops dead (a long GC pause, a VM paused), holding what it held."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGSTOP)

    def stopped(self) -> bool:
        """True once every thread of the process is stopped (``T`` in /proc)."""
        try:
            stat = Path(f"/proc/{self.pid}/stat").read_text()
        except OSError:
            return False
        return stat.rsplit(")", 1)[1].split()[0] in ("T", "t")

    def freeze_between_writes(self, db_url: str, tries: int = 100) -> None:
        """SIGSTOP at a moment the process holds no SQLite write transaction.  A process frozen
        inside one stops every other writer until it thaws (SQLite has one writer at a time; no
        replica can take a lease meanwhile), which is not the pause this models: then thaw it,
        let it finish that write, and freeze it again."""
        for _ in range(tries):
            self.freeze()
            wait_for(self.stopped, 10, f"{self.name} to stop", step=0.01)
            if not sqlite_write_locked(db_url):
                return
            self.thaw()
            wait_for(lambda: not self.stopped(), 10, f"{self.name} to run", step=0.01)
            wait_for(lambda: not sqlite_write_locked(db_url), 30, "the write to end", step=0.01)
        raise AssertionError(f"{self.name} always held the database when frozen")

    def thaw(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGCONT)

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signal.SIGCONT)
            self.proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(10)


@pytest.fixture
def procs() -> Iterator[list[Serve]]:
    """Register every started :class:`Serve` here; all are killed after the test."""
    started: list[Serve] = []
    try:
        yield started
    finally:
        for proc in started:
            proc.close()


def ingest_seeds(db_url: str) -> None:
    """``newsbot ingest seeds/`` (in this process: the kiwi model is loaded already)."""
    assert cli_main(["ingest", "--db", db_url, str(SEEDS)]) == 0


def prepare(
    db_url: str,
    places: Sequence[Place | tuple[Place, str]],
    *,
    seeds: bool = True,
    drafts: Sequence[Draft] = (),
) -> None:
    """The database a serve process starts from: the seeds (``newsbot ingest``), ``drafts``,
    and gpu_deal subscriptions (at 09:00 Asia/Seoul, or ``(place, "HH:MM")``)."""
    from bot.runtime.app import App

    if seeds:
        ingest_seeds(db_url)
    app = App(Settings(database_url=db_url))
    try:
        if drafts:
            app.pipeline.ingest(list(drafts))
        for entry in places:
            place, at = entry if isinstance(entry, tuple) else (entry, "09:00")
            app.store.subscribe(place, {"gpu_deal": Schedule(at, "Asia/Seoul", False)})
    finally:
        app.close()


def sqlite_write_locked(db_url: str) -> bool:
    """True when some connection holds the SQLite database's write lock right now."""
    conn = sqlite3.connect(db_url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return True
        raise
    finally:
        conn.close()


def outbox(db_url: str) -> list[OutboxEntry]:
    store = open_store(db_url, migrate=False)
    try:
        return store.deliveries()
    finally:
        store.close()


def slack_parts(slack: FakeSlack, channel: str) -> list[int]:
    """The part number of every accepted message in ``channel``, in arrival order."""
    return [part for _key, part in slack_deliveries(slack, channel)]


def slack_deliveries(slack: FakeSlack, channel: str) -> list[tuple[str, int]]:
    """The (delivery key, part) of every accepted message in ``channel``, in arrival order."""
    return [
        (str(p["metadata"]["event_payload"]["key"]), int(p["metadata"]["event_payload"]["part"]))
        for p in slack.posts(channel)
        if isinstance(p.get("metadata"), dict)
    ]


def our_failures(log: str) -> list[str]:
    """Lines where newsbot's own jobs failed (discord.py's gateway complaints about the fake
    aside)."""
    return [
        line
        for line in log.splitlines()
        if ("failed:" in line and " bot." in line)
        or "database is locked" in line
        or "raised an exception" in line
    ]


def markers_in(text: str) -> list[str]:
    return re.findall(r"KD\d{3}", text)
