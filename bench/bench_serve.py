"""Benchmark: how fast ``newsbot serve`` is ready and how much memory it holds idle.

    .venv/bin/python bench/bench_serve.py [--runs 3] [--idle 10]

Each run starts ``python -m bot serve`` with no chat tokens on a fresh SQLite file and a free
port of 127.0.0.1, then measures:

- **ready**: seconds from the start of the process until ``/healthz`` first answers 200;
- **slowest healthz**: the longest a ``/healthz`` request then waited before the scheduler runs
  (while the Korean model loads, the event loop can stall);
- **leader**: seconds until ``/healthz`` says the scheduler is the leader (the Korean model is
  loaded and the scheduler runs);
- **acks** (``--acks N``): p50/p99 of N signed ``/news help`` acknowledgements and ``/healthz``
  answers, first with the database free, then while this benchmark holds SQLite's write lock
  (``BEGIN IMMEDIATE``) the whole time;
- **RSS idle**: resident memory (``VmRSS`` of ``/proc/PID/status``) after ``--idle`` seconds of
  idling once it is leader;

then stops it with SIGTERM (and reports how long that took).  Baselines, measured in the same run
the same way: a bare ``python -c pass`` (start time), and a process that only loads the Korean
model (``from kiwipiepy import Kiwi; Kiwi()``: its time and RSS).  It prints every figure, the
medians, the ratios to the baselines, and the targets (ready within 5 s, RSS under 800 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READY_TARGET_S = 5.0
RSS_TARGET_MB = 800.0


@dataclass
class Run:
    ready_s: float
    stall_s: float
    leader_s: float
    rss_mb: float
    stop_s: float
    exit_code: int | None


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "SLACK_", "DISCORD_"))
    }
    return env | extra


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def healthz(port: int) -> dict[str, object] | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as r:
            return json.loads(r.read()) if r.status == 200 else None
    except (OSError, urllib.error.URLError, ValueError):
        return None


def serve_once(idle: float, timeout: float = 120.0) -> Run:
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        env = clean_env(NEWSBOT_DATABASE_URL=f"sqlite:///{tmp}/newsbot.db")
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            ready = leader = None
            stall = 0.0
            while time.perf_counter() - started < timeout:
                if proc.poll() is not None:
                    raise RuntimeError(f"newsbot serve exited with {proc.returncode}")
                asked = time.perf_counter()
                health = healthz(port)
                now = time.perf_counter() - started
                if ready is not None:
                    stall = max(stall, time.perf_counter() - asked)
                if health is not None and ready is None:
                    ready = now
                if health is not None and health.get("scheduler") == "leader":
                    leader = now
                    break
                time.sleep(0.02)
            if ready is None or leader is None:
                raise RuntimeError("newsbot serve did not become ready")
            time.sleep(idle)
            rss = rss_mb(proc.pid)
            stopping = time.perf_counter()
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(60)
            return Run(ready, stall, leader, rss, time.perf_counter() - stopping, code)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def _get(url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> float:
    """Seconds until ``url`` answered (any status)."""
    req = urllib.request.Request(url, data=body, headers=headers or {})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            r.read()
    except urllib.error.HTTPError as exc:
        exc.read()
    return time.perf_counter() - started


def acks(n: int) -> dict[str, tuple[float, float]]:
    """p50/p99 (ms) of a signed ``/news help`` acknowledgement and of ``/healthz``, with the
    database free and with another process holding its write lock (``BEGIN IMMEDIATE``)."""
    import sqlite3

    sys.path.insert(0, str(ROOT))
    from tests.helpers.chat import SECRET, sign, slash_body
    from tests.helpers.fakes.slack_api import FakeSlack

    out: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as slack:
        port = free_port()
        db = Path(tmp) / "newsbot.db"
        env = clean_env(
            NEWSBOT_DATABASE_URL=f"sqlite:///{db}",
            SLACK_BOT_TOKEN=slack.token,
            SLACK_API_URL=slack.api_url,
            SLACK_SIGNING_SECRET=SECRET,
        )
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.perf_counter() + 120
            while (healthz(port) or {}).get("scheduler") != "leader":
                if time.perf_counter() > deadline or proc.poll() is not None:
                    raise RuntimeError("newsbot serve did not become leader")
                time.sleep(0.1)
            base = f"http://127.0.0.1:{port}"
            kind = {"Content-Type": "application/x-www-form-urlencoded"}
            for held in (False, True):
                lock = sqlite3.connect(db, timeout=30, isolation_level=None) if held else None
                if lock is not None:
                    lock.execute("BEGIN IMMEDIATE")
                ack_times, health_times = [], []
                for i in range(n):
                    body = slash_body("help", slack.response_url(f"b{held}{i}"))
                    ack_times.append(_get(f"{base}/slack/events", body, {**kind, **sign(body)}))
                    health_times.append(_get(f"{base}/healthz"))
                if lock is not None:
                    lock.execute("ROLLBACK")
                    lock.close()
                label = "lock held" if held else "free"
                out[f"ack, {label}"] = percentiles(ack_times)
                out[f"healthz, {label}"] = percentiles(health_times)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
    return out


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p99 * 1000


def baseline(code: str) -> tuple[float, float]:
    """(seconds to run ``code`` in a fresh interpreter, its peak RSS in MB)."""
    wrapped = (
        f"{code}\nimport resource, sys\n"
        "sys.stdout.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))"
    )
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", wrapped], cwd=ROOT, env=clean_env(), capture_output=True, check=True
    )
    return time.perf_counter() - started, int(out.stdout) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--idle", type=float, default=10.0, help="seconds idle before RSS")
    parser.add_argument("--acks", type=int, default=200, help="slash commands timed (0: skip)")
    args = parser.parse_args()

    print(
        f"newsbot serve: {args.runs} runs, no tokens, fresh SQLite, RSS after {args.idle:g} s idle"
    )
    runs = []
    for n in range(args.runs):
        run = serve_once(args.idle)
        runs.append(run)
        print(
            f"  run {n + 1}: ready {run.ready_s:5.2f} s · slowest healthz {run.stall_s:4.2f} s · "
            f"leader {run.leader_s:5.2f} s · "
            f"RSS {run.rss_mb:6.1f} MB · SIGTERM→exit {run.stop_s:4.2f} s (code {run.exit_code})"
        )
    python_s = statistics.median(baseline("pass")[0] for _ in range(3))
    kiwi = [baseline("from kiwipiepy import Kiwi\nKiwi().tokenize('시작')") for _ in range(2)]
    kiwi_s = statistics.median([k[0] for k in kiwi])
    kiwi_mb = statistics.median([k[1] for k in kiwi])

    ready = statistics.median(r.ready_s for r in runs)
    stall = statistics.median(r.stall_s for r in runs)
    leader = statistics.median(r.leader_s for r in runs)
    rss = statistics.median(r.rss_mb for r in runs)
    print("baselines (same machine, same run):")
    print(f"  python -c pass:                   {python_s:5.2f} s")
    print(f"  kiwipiepy Kiwi() + one tokenize:  {kiwi_s:5.2f} s · peak RSS {kiwi_mb:6.1f} MB")
    print("medians:")
    print(
        f"  ready (healthz 200)  {ready:5.2f} s  = {ready / python_s:5.1f}× python start, "
        f"{ready / kiwi_s:4.2f}× kiwi load   target ≤ {READY_TARGET_S:g} s: "
        f"{'met' if ready <= READY_TARGET_S else 'MISSED'}"
    )
    print(
        f"  slowest /healthz answer while the Korean model loads: {stall:4.2f} s "
        "(kiwi holds the GIL while it builds its model)"
    )
    print(
        f"  leader (scheduler)   {leader:5.2f} s  = {leader / python_s:5.1f}× python start, "
        f"{leader / kiwi_s:4.2f}× kiwi load"
    )
    print(
        f"  RSS idle             {rss:6.1f} MB = {rss / kiwi_mb:4.2f}× kiwi alone   "
        f"target < {RSS_TARGET_MB:g} MB: {'met' if rss < RSS_TARGET_MB else 'MISSED'}"
    )
    if args.acks:
        figures = acks(args.acks)
        print(f"acknowledgements ({args.acks} signed /news help, one at a time, Slack HTTP mode):")
        for name, (p50, p99) in figures.items():
            print(f"  {name:<19} p50 {p50:6.1f} ms · p99 {p99:6.1f} ms")
        free, held = figures["ack, free"], figures["ack, lock held"]
        print(
            f"  ack with the write lock held vs free: p50 {held[0] / free[0]:4.2f}×, "
            f"p99 {held[1] / free[1]:4.2f}×; vs /healthz (free): "
            f"p50 {free[0] / figures['healthz, free'][0]:4.2f}×   target p99 < 1000 ms: "
            f"{'met' if held[1] < 1000 else 'MISSED'}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
