"""Acceptance 5: one SQLite file, many writers at once, and never "database is locked".

At the same time, on one file: a feed poll storing and analysing a large feed, chat commands
(subscribe, search, digest) from several threads, the planner and sender writing and sending
digests, and two other OS processes — ``newsbot ingest`` of generated files and a loop of store
writes.  Nothing fails, and everything each of them wrote is there afterwards.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.chat.commands import Commands, Context
from bot.chat.slack.post import SlackPoster
from bot.config.settings import Settings
from bot.core.clock import FixedClock
from bot.delivery.planner import Planner
from bot.delivery.sender import Sender
from bot.ingest.poller import Poller
from bot.present.i18n import t
from bot.runtime.app import App
from bot.store import Window
from tests.helpers import ROOT, wait_for
from tests.helpers.fakes.slack_api import FakeSlack
from tests.helpers.feedserver import FeedServer, canned, rss
from tests.helpers.serve import ingest_seeds
from tests.helpers.stories import gpu_story, next_nine, story

pytestmark = pytest.mark.slow  # real processes: seconds each

FEED_ITEMS = 100
FILES = 60
CHANNELS = 12
PLACES = 50
# the second process: store writes every few milliseconds until told to stop
WRITER = """
import pathlib, sys, time
from bot.store import Place, open_store
from bot.store.views import Schedule
store = open_store(sys.argv[1])
stop = pathlib.Path(sys.argv[2])
n = 0
while not stop.exists():
    store.subscribe(Place("slack", "T2", f"W{n % 50}"), {"apec": Schedule("10:00", "Asia/Seoul", False)})
    store.set_meta(f"writer.{n}", str(n))
    n += 1
    time.sleep(0.005)
print(f"writer wrote {n}")
"""


def spawn(args: list[str], db_url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "SLACK_", "DISCORD_"))
    }
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            env=env | {"NEWSBOT_DATABASE_URL": db_url},
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def test_polling_commands_digests_and_another_process_share_one_sqlite_file(
    tmp_path: Path, analyser: object, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    db_url = f"sqlite:///{tmp_path / 'newsbot.db'}"
    ingest_seeds(db_url)
    settings = Settings.from_env(
        {
            "NEWSBOT_DATABASE_URL": db_url,
            "SLACK_BOT_TOKEN": fake_slack.token,
            "SLACK_API_URL": fake_slack.api_url,
            "NEWSBOT_ALLOW_PRIVATE_FEEDS": "1",
        }
    )
    app = App(settings)
    files = tmp_path / "incoming"
    files.mkdir()
    for n in range(FILES):
        draft = gpu_story(200 + n)
        (files / f"gen_{n:03d}.txt").write_text(f"{draft.title}\n{draft.body}\n", encoding="utf-8")

    errors: list[str] = []
    stop = threading.Event()
    nine = next_nine()

    def worker(name: str, rounds: Callable[[int], None]) -> threading.Thread:
        def run() -> None:
            n = 0
            try:
                while not stop.is_set() or n == 0:
                    rounds(n)
                    n += 1
            except Exception as exc:  # every failure is reported, none is swallowed
                errors.append(f"{name}: {exc.__class__.__name__}: {exc}")

        thread = threading.Thread(target=run, name=name, daemon=True)
        thread.start()
        return thread

    subscribed: list[str] = []
    command_errors: list[str] = []

    def commands(k: int) -> Callable[[int], None]:
        cmds = Commands(app)

        def round_(n: int) -> None:
            channel = f"C{k}-{n % CHANNELS}"  # later rounds subscribe the same channels again
            ctx = Context("slack", "T1", channel, "U1", "ko")
            for text in (
                "subscribe gpu_deal at 09:00",
                "search 엔비디아 GPU",
                "digest gpu_deal 7d",
            ):
                reply = cmds.handle(text, ctx)
                if reply.error:
                    command_errors.append(f"{text}: {reply.text}")
            if n < CHANNELS:
                subscribed.append(channel)
            time.sleep(0.2)

        return round_

    at_nine = App(settings, clock=FixedClock(nine))  # the scheduler's process, at 09:00
    planner = Planner(at_nine)
    sender = Sender(at_nine, {"slack": SlackPoster(settings)}, holder="test-scheduler")

    def digests(n: int) -> None:
        planner.plan(nine)
        while asyncio.run(sender.deliver()):
            pass
        time.sleep(0.2)

    with FeedServer() as server:
        items = [story(n) for n in range(FEED_ITEMS)]
        url = server.route("/big.xml", canned(rss(items)))
        app.store.add_feed(url, "큰 피드", 900)
        watcher = Poller(app.store, settings)
        before = app.store.count_articles()

        stop_file = tmp_path / "stop"
        writer = spawn(["-c", WRITER, db_url, str(stop_file)], db_url, tmp_path / "writer.log")
        ingest = spawn(["-m", "bot", "ingest", str(files)], db_url, tmp_path / "ingest.log")
        threads = [worker(f"commands-{k}", commands(k)) for k in range(3)]
        threads.append(worker("digests", digests))
        # the poll starts when `newsbot ingest` has stored its files and is analysing them
        wait_for(lambda: app.store.count_articles() > before, 90, "newsbot ingest to write")
        overlapped = ingest.poll() is None and writer.poll() is None
        report = asyncio.run(watcher.poll(everything=True, now=datetime.now(UTC)))
        app.pipeline.process_pending()  # poll, then process, as the scheduler does
        wait_for(lambda: ingest.poll() is not None, 90, "newsbot ingest to finish")
        stop_file.touch()
        wait_for(lambda: writer.poll() is not None, 30, "the writer to finish")
        stop.set()
        for thread in threads:
            thread.join(60)
        digests(-1)  # the last subscriptions' digests

    outputs = {p.name: p.read_text() for p in tmp_path.glob("*.log")}
    assert ingest.returncode == 0 and writer.returncode == 0, outputs
    assert errors == [] and command_errors == []
    assert report.failed == [] and report.items_ingested == FEED_ITEMS
    everything_logged = "\n".join([*(r.getMessage() for r in caplog.records), *outputs.values()])
    for bad in ("database is locked", "OperationalError", "failed:"):
        assert bad not in everything_logged, bad

    # the poll began while both other processes were still at work
    assert overlapped

    # everything that was written is there
    store = app.store
    assert store.count_articles() == before + FEED_ITEMS + FILES
    assert t("cli.ingested", "ko", new=FILES, read=FILES, extra="") in outputs["ingest.log"]
    assert store.count_pending(app.topics.digest) == 0
    have = {s.destination.place.channel for s in store.subscriptions()}
    assert set(subscribed) <= have and {f"W{n}" for n in range(PLACES)} <= have
    wrote = int(outputs["writer.log"].split("writer wrote ")[1].split()[0])
    assert wrote > 100, "the writer kept writing all along"
    assert all(store.get_meta(f"writer.{n}") == str(n) for n in range(wrote))
    gpu_ids = set(store.matched_ids(Window(topics=["gpu_deal"], seen_until=nine)))
    assert len(gpu_ids) >= FILES
    rows = store.deliveries()
    assert rows and {r.status for r in rows} == {"sent"}
    for channel in subscribed:
        assert len(fake_slack.posts(channel)) == 1, channel
    app.close()
    at_nine.close()
