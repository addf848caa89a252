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

The baseline is the same feed with an ordinary item (about 3,000 characters) in its place, in
the same run. The issue's targets: ingest under 2 s, why under 1 s, peak RSS under 700 MB.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from email.utils import format_datetime
from datetime import UTC, datetime, timedelta
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


def big_body(chars: int, seed: int = 3) -> str:
    rng = random.Random(seed)
    pool = sentences()
    parts = [LEAD]
    size = len(LEAD)
    while size < chars:
        paragraph = " ".join(rng.choice(pool) for _ in range(rng.randint(3, 6)))
        parts.append(paragraph)
        size += len(paragraph) + 1
    return "\n".join(parts)[:chars]


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


def child(chars: int) -> None:
    """One case in this (fresh) process; prints its figures as JSON."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from bot.chat.commands import Commands
    from bot.chat.console import answer, console_context
    from bot.config.settings import Settings
    from bot.core.clock import FixedClock
    from bot.ingest.poller import Poller
    from bot.runtime.app import App

    data = feed(big_body(chars))

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
        t = time.perf_counter()
        report = Poller(app.store, app.pipeline, settings).poll_sync(everything=True)
        ingest_s = time.perf_counter() - t
        assert report.items_ingested == 5, report.summary()
        [item_id] = [a.id for a in app.store.articles(list(range(1, 10))) if a.title == TITLE]
        commands, ctx = Commands(app), console_context()
        timings = []
        for _ in range(2):
            t = time.perf_counter()
            shown = answer(commands, f"/news why {item_id}", ctx) or ""
            timings.append(time.perf_counter() - t)
        [item] = app.store.articles([item_id])
        print(
            json.dumps(
                {
                    "chars": chars,
                    "stored_chars": len(item.body),
                    "topics": item.topics,
                    "load_s": load_s,
                    "ingest_s": ingest_s,
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


def run(chars: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(chars)],
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
    big_chars = int(args.mb * 1024 * 1024 / 3)  # Hangul is 3 bytes in UTF-8
    cases = {"normal (3,000 chars)": 3_000, f"big ({args.mb:g} MB)": big_chars}
    results: dict[str, list[dict[str, float]]] = {k: [] for k in cases}
    for _ in range(args.rounds):  # alternating, so the machine's noise hits both alike
        for label, chars in cases.items():
            results[label].append(run(chars))
    print(f"one item of a 5-item feed, {args.rounds} rounds each in a fresh process (median):")
    medians: dict[str, dict[str, float]] = {}
    for label, rows in results.items():
        med = {
            k: sorted(r[k] for r in rows)[len(rows) // 2]
            for k in ("ingest_s", "why_first_s", "why_again_s", "peak_rss_mb", "stored_chars")
        }
        medians[label] = med
        print(
            f"  {label:<22} stored {int(med['stored_chars']):>9,} chars  "
            f"ingest {med['ingest_s']:6.2f} s  why {med['why_first_s']:6.3f} s "
            f"(again {med['why_again_s']:6.3f} s)  peak RSS {med['peak_rss_mb']:5.0f} MB  "
            f"topics {rows[0]['topics']}"
        )
    base, big = medians.values()
    print(
        f"  big / normal: ingest {big['ingest_s'] / base['ingest_s']:.2f}x, "
        f"why {big['why_first_s'] / base['why_first_s']:.2f}x, "
        f"peak RSS {big['peak_rss_mb'] / base['peak_rss_mb']:.2f}x"
    )
    ok = big["ingest_s"] < 2 and big["why_first_s"] < 1 and big["peak_rss_mb"] < 700
    print(f"  targets (ingest < 2 s, why < 1 s, peak RSS < 700 MB): {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
