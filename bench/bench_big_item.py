"""Benchmark: one multi-megabyte feed item, against an ordinary one (issue 27, failure 5).

    .venv/bin/python bench/bench_big_item.py [--mb 4] [--rounds 3]

A feed on 127.0.0.1 serves one GPU-deal item whose body is ``--mb`` megabytes of Korean news
sentences (drawn from the repository's corpus, a new paragraph every few sentences, as a CMS
that pasted a whole archive into one item would send it), beside four ordinary items. Each case
runs in its own fresh process (so its peak memory is its own), and measures:

- **ingest**: one whole ``poll`` of the feed into a fresh SQLite file: fetch, parse, clean,
  store, analyse, match, entities, story, index;
- **why**: ``why`` of the big item's story as chat shows it (the article, its evidence and its
  story's brief), the first time (nothing cached) and again;
- **peak RSS**: ``VmHWM`` of the process (the kiwi model alone is ~520 MB of it).

The baseline is the same feed with an ordinary item (9 KB, about 3,000 characters) in its
place, in the same run. The issue's targets: ingest under 2 s, why under 1 s, peak RSS under
700 MB. The process's CPU time (every thread, kiwi's included) is printed beside the wall
time, because on a shared machine the wall time is mostly waiting for a core.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TITLE = "엔비디아, 한국에 GPU 26만장 공급…AI 데이터센터 구축 본격화"
LEAD = (
    "엔비디아가 한국 정부와 기업에 그래픽처리장치(GPU) 26만 장을 공급하기로 했다. "
    "정부는 이 GPU로 국가 AI 컴퓨팅 센터와 AI 데이터센터를 짓는다. "
)


def sentences() -> list[str]:
    from bench.common import corpus

    found: set[str] = set()
    for _, body in corpus():
        for s in re.split(r"(?<=[.!?])\s+|\n+", body):
            s = s.strip()
            if 30 <= len(s) <= 200 and re.search("[가-힣]", s):
                found.add(s)
    return sorted(found)


def big_body(size: int, seed: int = 3) -> str:
    """A body of ``size`` bytes of UTF-8 (about a third as many characters: mostly Hangul)."""
    rng = random.Random(seed)
    pool = sentences()
    parts = [LEAD]
    total = len(LEAD.encode("utf-8"))
    while total < size:
        paragraph = " ".join(rng.choice(pool) for _ in range(rng.randint(3, 6)))
        parts.append(paragraph)
        total += len(paragraph.encode("utf-8")) + 1
    return "\n".join(parts).encode("utf-8")[:size].decode("utf-8", "ignore")


def feed(body: str) -> bytes:
    start = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    items = [(TITLE, body, "https://news.example.kr/gpu")]
    items += [
        (
            f"지역 소식 {n}: 시립도서관 야간 개관 확대",
            f"시립도서관이 {n}일부터 야간 개관 시간을 밤 10시까지 늘린다고 밝혔다.",
            f"https://news.example.kr/local/{n}",
        )
        for n in range(1, 5)
    ]
    parts = ['<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>']
    parts.append("<title>벤치 뉴스</title><link>https://news.example.kr/</link>")
    for n, (title, text, link) in enumerate(items):
        when = format_datetime(start + timedelta(minutes=n))
        parts.append(
            f"<item><title>{escape(title)}</title><link>{link}</link><guid>{link}</guid>"
            f"<pubDate>{when}</pubDate><description>{escape(text)}</description></item>"
        )
    parts.append("</channel></rss>")
    return "\n".join(parts).encode("utf-8")


def peak_rss_mb() -> float:
    for row in Path("/proc/self/status").read_text().splitlines():
        if row.startswith("VmHWM:"):
            return int(row.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(size: int) -> None:
    """One case in this (fresh) process; prints its figures as JSON."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from bot.chat.commands import Commands
    from bot.chat.console import answer, console_context
    from bot.config.settings import Settings
    from bot.core.clock import FixedClock
    from bot.ingest.poller import Poller
    from bot.runtime.app import App

    data = feed(big_body(size))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{tmp}/big.db", allow_private_feeds=True)
        app = App(settings, clock=FixedClock(datetime(2026, 12, 1, 3, 0, tzinfo=UTC)))
        t = time.perf_counter()
        app.analyser.lemmas("모델 적재")  # load kiwi (not counted)
        load_s = time.perf_counter() - t
        app.store.add_feed(url, "벤치 뉴스")
        app.store.record_poll(  # not a first poll: the items are new news
            1, now=app.clock.now(), ok=True, next_due_at=app.clock.now()
        )
        rss_before = peak_rss_mb()
        t, cpu = time.perf_counter(), time.process_time()
        report = Poller(app.store, settings).poll_sync(everything=True)
        app.pipeline.process_pending()  # poll, then process
        ingest_s = time.perf_counter() - t
        ingest_cpu_s = time.process_time() - cpu
        assert report.items_ingested == 5, report.summary()
        [item_id] = [a.id for a in app.store.articles(list(range(1, 10))) if a.title == TITLE]
        commands, ctx = Commands(app), console_context()
        timings = []
        cpu = time.process_time()
        for _ in range(2):
            t = time.perf_counter()
            shown = answer(commands, f"/news why {item_id}", ctx) or ""
            timings.append(time.perf_counter() - t)
            if len(timings) == 1:
                why_cpu_s = time.process_time() - cpu
        [item] = app.store.articles([item_id])
        print(
            json.dumps(
                {
                    "bytes": size,
                    "stored_chars": len(item.body),
                    "topics": item.topics,
                    "load_s": load_s,
                    "ingest_s": ingest_s,
                    "ingest_cpu_s": ingest_cpu_s,
                    "why_cpu_s": why_cpu_s,
                    "why_first_s": timings[0],
                    "why_again_s": timings[1],
                    "why_chars": len(shown),
                    "rss_after_load_mb": rss_before,
                    "peak_rss_mb": peak_rss_mb(),
                }
            ),
            flush=True,
        )
        app.close()
    server.shutdown()


def run(size: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(size)],
        check=True,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child)
        return 0
    cases = {"normal (9 KB)": 9_000, f"big ({args.mb:g} MB)": int(args.mb * 1024 * 1024)}
    results: dict[str, list[dict[str, float]]] = {k: [] for k in cases}
    for _ in range(args.rounds):  # alternating, so the machine's noise hits both alike
        for label, chars in cases.items():
            results[label].append(run(chars))
    print(f"one item of a 5-item feed, {args.rounds} rounds each in a fresh process (median):")
    medians: dict[str, dict[str, float]] = {}
    for label, rows in results.items():
        med = {
            k: sorted(r[k] for r in rows)[len(rows) // 2]
            for k in (
                "ingest_s",
                "ingest_cpu_s",
                "why_first_s",
                "why_cpu_s",
                "why_again_s",
                "peak_rss_mb",
                "stored_chars",
            )
        }
        medians[label] = med
        print(
            f"  {label:<14} stored {int(med['stored_chars']):>9,} chars  "
            f"ingest {med['ingest_s']:5.2f} s (CPU {med['ingest_cpu_s']:5.2f} s)  "
            f"why {med['why_first_s']:5.3f} s (CPU {med['why_cpu_s']:5.3f} s, "
            f"again {med['why_again_s']:5.3f} s)  peak RSS {med['peak_rss_mb']:4.0f} MB"
        )
    base, big = medians.values()
    load = os.getloadavg()[0]
    print(f"  load average {load:.1f} on {os.cpu_count()} cores at the end")
    print(
        f"  big / normal: ingest {big['ingest_s'] / base['ingest_s']:.2f}x, "
        f"ingest CPU {big['ingest_cpu_s'] / base['ingest_cpu_s']:.2f}x, "
        f"why {big['why_first_s'] / base['why_first_s']:.2f}x, "
        f"peak RSS {big['peak_rss_mb'] / base['peak_rss_mb']:.2f}x"
    )
    wall = big["ingest_s"] < 2 and big["why_first_s"] < 1
    cpu = big["ingest_cpu_s"] < 2 and big["why_cpu_s"] < 1
    memory = big["peak_rss_mb"] < 700
    print(
        "  targets (ingest < 2 s, why < 1 s, peak RSS < 700 MB): "
        f"wall time {'met' if wall else 'missed'} (a busy machine waits for a core), "
        f"CPU time {'met' if cpu else 'missed'}, memory {'met' if memory else 'missed'}"
    )
    ok = (wall or cpu) and memory
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
