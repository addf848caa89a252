"""Benchmark: is anything left waiting while ``newsbot serve`` starts?

    .venv/bin/python bench/bench_startup.py [--runs 3] [--old DIR]

Each run starts ``python -m bot serve`` in Slack HTTP mode (the loopback fake of Slack's Web
API, a real signing secret) on a fresh SQLite file, waits for the port to accept a connection,
and from that moment sends, every 100 ms each, a signed ``/news search 엔비디아 GPU`` and a
``/healthz`` (each request on its own thread, so a slow answer does not delay the next one)
until 3 s after ``/healthz`` says the scheduler leads.  Measured: when the port opened and when
the replica was ready (leader, model loaded) from the process's start; the slowest and the
median answer to the commands and to ``/healthz``; and whether each command's reply reached its
``response_url`` (within 30 s after the last one was sent).  Targets: every answer within 0.3 s, ready within 5 s.

Baselines in the same run: a process that only loads the Korean model (``Kiwi()``), and, with
``--old DIR`` (a checkout of an earlier newsbot, e.g. ``git archive main bot | tar -x -C DIR``),
the same measurement of that code.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ANSWER_TARGET_S = 0.3
READY_TARGET_S = 5.0
EVERY_S = 0.1
AFTER_READY_S = 3.0


@dataclass
class Run:
    port_open_s: float
    ready_s: float
    acks: list[float] = field(default_factory=list)
    health: list[float] = field(default_factory=list)
    failed: int = 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _timed(req: urllib.request.Request) -> tuple[float, int, bytes]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, body = r.status, r.read()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read()
    return time.perf_counter() - started, status, body


def one_run(code_root: Path, timeout: float = 120.0) -> Run:
    from tests.helpers.chat import SECRET, sign, slash_body
    from tests.helpers.fakes.slack_api import FakeSlack

    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as slack:
        port = free_port()
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("NEWSBOT_", "SLACK_", "DISCORD_"))
        } | {
            "NEWSBOT_DATABASE_URL": f"sqlite:///{tmp}/newsbot.db",
            "SLACK_BOT_TOKEN": slack.token,
            "SLACK_API_URL": slack.api_url,
            "SLACK_SIGNING_SECRET": SECRET,
            "PYTHONPATH": str(code_root),
        }
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--port", str(port)],
            cwd=code_root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while True:  # the moment the port accepts a connection
                if proc.poll() is not None or time.perf_counter() - started > timeout:
                    raise RuntimeError("newsbot serve did not open its port")
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.005)
            run = Run(port_open_s=time.perf_counter() - started, ready_s=0.0)
            base = f"http://127.0.0.1:{port}"
            lock = threading.Lock()
            threads: list[threading.Thread] = []
            sent: dict[str, float] = {}
            leader_at: list[float] = []

            def command(i: int) -> None:
                rid = f"s{i}"
                body = slash_body("search 엔비디아 GPU", slack.response_url(rid))
                req = urllib.request.Request(
                    f"{base}/slack/events",
                    data=body,
                    headers={"Content-Type": "application/x-www-form-urlencoded", **sign(body)},
                )
                sent[rid] = time.perf_counter()
                took, status, _ = _timed(req)
                with lock:
                    run.acks.append(took)
                    run.failed += status != 200

            def health() -> None:
                took, status, body = _timed(urllib.request.Request(f"{base}/healthz"))
                with lock:
                    run.health.append(took)
                    if status == 200 and b'"leader"' in body and not leader_at:
                        leader_at.append(time.perf_counter())

            i = 0
            tick = time.perf_counter()
            while not leader_at or time.perf_counter() - leader_at[0] < AFTER_READY_S:
                if time.perf_counter() - started > timeout:
                    raise RuntimeError("newsbot serve did not become leader")
                for target, args in ((command, (i,)), (health, ())):
                    t = threading.Thread(target=target, args=args, daemon=True)
                    t.start()
                    threads.append(t)
                i += 1
                tick += EVERY_S
                time.sleep(max(0.0, tick - time.perf_counter()))
            for t in threads:
                t.join(30)
            run.ready_s = leader_at[0] - started
            deadline = time.perf_counter() + 30
            while time.perf_counter() < deadline and any(not slack.responses(r) for r in sent):
                time.sleep(0.05)
            run.failed += sum(1 for r in sent if not slack.responses(r))
            return run
        finally:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()


def kiwi_load_s() -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from kiwipiepy import Kiwi\nKiwi().tokenize('시작')"], check=True
    )
    return time.perf_counter() - started


def report(label: str, runs: list[Run]) -> None:
    acks = sorted(a for r in runs for a in r.acks)
    health = sorted(h for r in runs for h in r.health)
    print(f"{label}:")
    for n, r in enumerate(runs, 1):
        print(
            f"  run {n}: port open {r.port_open_s:5.2f} s, ready (leader) {r.ready_s:5.2f} s; "
            f"slowest ack {max(r.acks):5.3f} s, slowest /healthz {max(r.health):5.3f} s "
            f"({len(r.acks)} commands, {r.failed} unanswered or failed)"
        )
    worst = max(acks[-1], health[-1])
    ready = statistics.median(r.ready_s for r in runs)
    print(
        f"  acks: p50 {statistics.median(acks) * 1e3:6.1f} ms, max {acks[-1] * 1e3:7.1f} ms; "
        f"/healthz: p50 {statistics.median(health) * 1e3:6.1f} ms, max {health[-1] * 1e3:7.1f} ms"
        f"   target every answer ≤ {ANSWER_TARGET_S:g} s: "
        f"{'met' if worst <= ANSWER_TARGET_S else 'MISSED'}"
    )
    print(
        f"  ready (leader, model loaded) median {ready:5.2f} s from start "
        f"(port open {statistics.median(r.port_open_s for r in runs):5.2f} s)"
        f"   target ≤ {READY_TARGET_S:g} s: {'met' if ready <= READY_TARGET_S else 'MISSED'}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--old", type=Path, help="an earlier checkout, measured the same way")
    args = parser.parse_args()
    kiwi = statistics.median(kiwi_load_s() for _ in range(2))
    print(f"baseline: a process that only loads kiwi's model: {kiwi:5.2f} s (median of 2)")
    sides = [("this code", ROOT)] + ([("old code", args.old)] if args.old else [])
    results: dict[str, list[Run]] = {label: [] for label, _ in sides}
    for _ in range(args.runs):  # alternating, so a busy spell slows both
        for label, root in sides:
            results[label].append(one_run(root))
    for label, runs in results.items():
        report(label, runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
