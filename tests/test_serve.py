"""``newsbot serve`` as a real process: its HTTP endpoint, its start-up messages, SIGTERM, a
SIGKILL in the middle of a long digest, and a digest missed while it was down.

Each process runs with ``NEWSBOT_TEST_CLOCK`` (its clock starts at a given instant and runs at
normal speed) against a SQLite file prepared beforehand, and posts to the loopback fakes of the
Slack and Discord APIs.  Every process is killed in a ``finally``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from aiohttp import web

from bot.cli import main as cli_main
from bot.config.settings import Settings
from bot.ingest.drafts import Draft
from bot.store import Place, open_store
from bot.store.views import OutboxEntry, Schedule
from tests.conftest import ROOT, SEEDS
from tests.fakes.discord_api import GUILD_ID, FakeDiscord, Stored
from tests.fakes.slack_api import FakeSlack, fake_slack
from tests.test_delivery import gpu_story, marker, next_nine, slack_ids

__all__ = ["fake_slack"]

T = TypeVar("T")
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
# discord.py opens its gateway at wss://gateway.discord.gg whatever the REST URL is; a process
# with a Discord token is started through this launcher so it connects to the fake instead
# (network stays on 127.0.0.1).  Everything else is `python -m bot`.
LAUNCHER = (
    "import sys, yarl; from discord.gateway import DiscordWebSocket; "
    "DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(sys.argv.pop(1)); "
    "from bot.cli import main; raise SystemExit(main())"
)


# -- helpers shared with the scale-out test ----------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(condition: Callable[[], T], timeout: float, what: str, step: float = 0.05) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(step)


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

    def wait_role(self, role: str, timeout: float = 60) -> dict[str, Any]:
        def check() -> dict[str, Any] | None:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise AssertionError(f"{self.name} exited early:\n{self.log()[-3000:]}")
            health = self.health()
            return health if health and health["scheduler"] == role else None

        return wait_for(check, timeout, f"{self.name} to be {role}", step=0.2)

    def terminate(self, timeout: float = 40) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(10)

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
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


def outbox(db_url: str) -> list[OutboxEntry]:
    store = open_store(db_url, migrate=False)
    try:
        return store.deliveries()
    finally:
        store.close()


def slack_parts(slack: FakeSlack, channel: str) -> list[int]:
    """The part number of every accepted message in ``channel``, in arrival order."""
    return [
        int(p["metadata"]["event_payload"]["part"])
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


# -- acceptance 6: the endpoint, start-up messages, SIGTERM -----------------------------------


def test_serve_without_tokens_runs_the_scheduler_alone_and_answers_health_and_metrics(
    tmp_path: Path, procs: list[Serve]
) -> None:
    db_url = f"sqlite:///{tmp_path / 'newsbot.db'}"
    serve = Serve(tmp_path, "alone", db_url).start()
    procs.append(serve)

    health = serve.wait_role("leader")
    assert health["status"] == "ok" and health["database"] is True
    assert "no tokens" in json.dumps(health["adapters"])
    health = wait_for(lambda: (h := serve.health()) and h["last_poll"] and h, 30, "a first poll")
    assert datetime.fromisoformat(health["last_poll"]).tzinfo is not None

    got = serve.get("/metrics")
    assert got is not None and got[0] == 200
    for name in METRICS:
        assert f"# TYPE {name}" in got[1], name
    assert "newsbot_scheduler_leader 1.0" in got[1]
    assert re.search(r"newsbot_poll_duration_seconds_count [1-9]", got[1])
    assert serve.get("/nothing-here") == (404, "404: Not Found")

    started = time.monotonic()
    assert serve.terminate() == 0
    assert time.monotonic() - started < 15
    log = serve.log()
    assert "running the scheduler alone" in log
    assert "Traceback" not in log and "stopped" in log


def test_a_slack_token_that_slack_rejects_is_named_but_never_shown(
    tmp_path: Path, procs: list[Serve], fake_slack: FakeSlack
) -> None:
    db_url = f"sqlite:///{tmp_path / 'newsbot.db'}"
    secret = "xoxb-1111-2222-not-the-right-one"
    serve = Serve(
        tmp_path,
        "rejected",
        db_url,
        env={"SLACK_BOT_TOKEN": secret, "SLACK_API_URL": fake_slack.api_url},
    ).start()
    procs.append(serve)
    health = serve.wait_role("leader")
    assert health["adapters"] == {"slack": "token rejected"}
    assert [c.method for c in fake_slack.calls] == ["auth.test"]
    assert serve.terminate() == 0
    log = serve.log()
    assert "SLACK_BOT_TOKEN was rejected" in log
    assert secret not in log and "2222" not in log


# -- acceptance 2: SIGKILL in the middle of a long digest --------------------------------------


def test_killed_while_posting_a_long_digest_every_item_arrives_without_duplicates(
    tmp_path: Path, procs: list[Serve], fake_slack: FakeSlack
) -> None:
    stories = 70
    db_url = f"sqlite:///{tmp_path / 'newsbot.db'}"
    prepare(
        db_url,
        [SLACK_C1, DISCORD_CH],
        seeds=False,
        drafts=[gpu_story(n, title_pad=8) for n in range(stories)],
    )
    nine = next_nine()
    wanted = {marker(n) for n in range(stories)}
    fake_slack.script("chat.postMessage", delay=0.5, times=50)
    slow = SlowDiscord()
    slow.post_delay = 0.4
    with DiscordThread(slow) as discord:
        env = {
            "SLACK_BOT_TOKEN": fake_slack.token,
            "SLACK_API_URL": fake_slack.api_url,
            "DISCORD_BOT_TOKEN": slow.token,
            "DISCORD_API_URL": slow.api_url,
        }

        def start(name: str, clock: datetime) -> Serve:
            serve = Serve(
                tmp_path, name, db_url, clock=clock, env=env, discord_gateway=discord.gateway
            )
            procs.append(serve.start())
            return serve

        # 1: killed while Slack's second message is on its way (Slack got it; newsbot never
        # heard back)
        first = start("first", nine - timedelta(seconds=1))
        wait_for(lambda: len(fake_slack.calls_to("chat.postMessage")) >= 2, 90, "slack part 2")
        first.kill()
        assert discord.messages(DISCORD_CH.channel) == []

        # 2: resumes Slack after the last confirmed part; killed while Discord's second
        # message is on its way
        second = start("second", nine + timedelta(minutes=1))
        wait_for(lambda: len(discord.messages(DISCORD_CH.channel)) >= 2, 90, "discord part 2")
        second.kill()

        # 3: resumes Discord after its last confirmed part and finishes
        third = start("third", nine + timedelta(minutes=2))
        wait_for(lambda: {r.status for r in outbox(db_url)} == {"sent"}, 90, "all sent")
        assert third.terminate() == 0
        messages = discord.messages(DISCORD_CH.channel)

    rows = outbox(db_url)
    assert [(r.kind, r.status) for r in rows] == [("digest", "sent")] * 2
    slack_total, discord_total = rows[0].parts_sent, rows[1].parts_sent
    assert slack_total >= 3 and discord_total >= 3, "a digest of several messages"

    parts = slack_parts(fake_slack, SLACK_C1.channel)
    assert sorted(set(parts)) == list(range(slack_total))
    assert len(parts) - slack_total <= 1, f"Slack repeated more than one message: {parts}"
    slack_seen = {m for p in fake_slack.posts(SLACK_C1.channel) for m in markers_in(json.dumps(p))}
    assert slack_seen == wanted

    assert len(messages) == discord_total, "Discord: no message twice"
    assert len({m.body["nonce"] for m in messages}) == discord_total
    discord_seen = {m for msg in messages for m in markers_in(msg.visible())}
    assert discord_seen == wanted
    for name in ("first", "second", "third"):
        assert not our_failures((tmp_path / f"{name}.log").read_text())


# -- acceptance 3 end to end: down across 09:00 ------------------------------------------------


def test_down_across_nine_then_restarted_twice_posts_the_digest_once(
    tmp_path: Path, procs: list[Serve], fake_slack: FakeSlack
) -> None:
    db_url = f"sqlite:///{tmp_path / 'newsbot.db'}"
    prepare(db_url, [SLACK_C1, DISCORD_CH])
    nine = next_nine()
    with DiscordThread() as discord:
        env = {
            "SLACK_BOT_TOKEN": fake_slack.token,
            "SLACK_API_URL": fake_slack.api_url,
            "DISCORD_BOT_TOKEN": discord.fake.token,
            "DISCORD_API_URL": discord.fake.api_url,
        }

        def run(name: str, clock: datetime) -> Serve:
            serve = Serve(
                tmp_path, name, db_url, clock=clock, env=env, discord_gateway=discord.gateway
            )
            procs.append(serve.start())
            serve.wait_role("leader")
            return serve

        def posted() -> tuple[int, int]:
            return len(fake_slack.posts("C1")), len(discord.messages(DISCORD_CH.channel))

        early = run("0858", nine - timedelta(minutes=2))
        time.sleep(3)  # a leader plans at once; give it a moment to (not) post
        early.kill()  # and it goes down before 09:00
        assert time.monotonic() - early.started < 110, "killed before its clock reached 09:00"
        assert posted() == (0, 0)

        # 09:10: the missed digest goes out; SIGTERM while Slack takes its time answering
        fake_slack.script("chat.postMessage", delay=2.0)
        late = run("0910", nine + timedelta(minutes=10))
        wait_for(lambda: fake_slack.calls_to("chat.postMessage"), 30, "the missed digest")
        stopping = time.monotonic()
        assert late.terminate() == 0
        assert time.monotonic() - stopping < 10
        # the post in flight was finished and recorded; Discord's turn waits in the outbox
        assert [r.status for r in outbox(db_url)] == ["sent", "pending"]
        assert posted() == (1, 0)

        again = run("0911", nine + timedelta(minutes=11))
        wait_for(lambda: posted() == (1, 1), 30, "the Discord digest")
        time.sleep(3)  # a few more ticks of the scheduler
        assert again.terminate() == 0
        assert posted() == (1, 1)
        [post] = fake_slack.posts("C1")
        assert slack_ids(post), "the digest lists the GPU-deal stories"
    assert [r.status for r in outbox(db_url)] == ["sent", "sent"]
