"""Benchmark: one whole ``poll`` of 200 local feeds x 50 items against feedparser alone.

    .venv/bin/python bench/bench_poll.py [--feeds 200] [--items 50] [--sites 10]

The feeds are RSS 2.0 documents with Korean items (titles and bodies of a few hundred characters
mixed from the sentences of seeds/, tests/cases/ and bench/holdout/), served by a separate
process (so the server does not share our GIL) on ``--sites`` ports of 127.0.0.1: each port is
a site for the per-host limit.  In one process and one run it measures:

- feedparser alone: ``feedparser.parse`` over the same 200 byte strings (the baseline);
- newsbot's safe parse alone: :func:`bot.ingest.rss.parse_feed` (DTD scan + expat check +
  feedparser + normalisation) over the same bytes;
- fetch alone: the 200 GETs through one :class:`bot.ingest.fetch.Fetcher`;
- the whole poll: :meth:`bot.ingest.poller.Watcher.poll` into a fresh SQLite file: fetch, parse,
  dedup + store, kiwi analysis, topic matching, entities, clustering, search indexing;
- the second poll: every feed answers 304 (``If-Modified-Since``).

It prints items, seconds and items/s of each and the ratio of the whole poll to feedparser.
Loading the kiwi model is reported but not counted.
"""

from __future__ import annotations

import argparse
import asyncio
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
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# --- the corpus -------------------------------------------------------------------------------


def korean_sentences() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/cases").glob("*.txt"))]
    holdout = ROOT / "bench/holdout/articles.jsonl"
    if holdout.exists():
        for line in holdout.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line).get("text", ""))
    found: set[str] = set()
    for text in texts:
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
            sentence = sentence.strip()
            if 40 <= len(sentence) <= 200 and re.search("[가-힣]", sentence):
                found.add(sentence)
    return sorted(found)


def build_feeds(n_feeds: int, n_items: int, seed: int = 7) -> tuple[list[bytes], float]:
    """``n_feeds`` RSS documents of ``n_items`` items each; and the mean body length."""
    rng = random.Random(seed)
    pool = korean_sentences()
    start = datetime(2025, 10, 27, tzinfo=UTC)
    docs: list[bytes] = []
    lengths: list[int] = []
    for f in range(n_feeds):
        parts = [
            '<?xml version="1.0" encoding="utf-8"?>',
            '<rss version="2.0"><channel>',
            f"<title>벤치 뉴스 {f:03d}</title><link>https://site{f:03d}.example.kr/</link>",
            "<description>bench</description><ttl>15</ttl>",
        ]
        for i in range(n_items):
            body: list[str] = []
            while sum(len(s) + 1 for s in body) < 250:
                body.append(rng.choice(pool))
            text = " ".join(body)
            lengths.append(len(text))
            head = rng.choice(pool)[:48].rstrip(" ,.")
            link = f"https://site{f:03d}.example.kr/news/{i:04d}?utm_source=rss"
            when = format_datetime(start + timedelta(minutes=f * n_items + i))
            parts.append(
                f"<item><title>{escape(head)} ({f}-{i})</title><link>{escape(link)}</link>"
                f"<guid isPermaLink='false'>site{f:03d}-{i:04d}</guid>"
                f"<pubDate>{when}</pubDate><description>{escape(text)}</description></item>"
            )
        parts.append("</channel></rss>")
        docs.append("\n".join(parts).encode("utf-8"))
    return docs, sum(lengths) / max(1, len(lengths))


# --- the server (a child process) -------------------------------------------------------------


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(folder: str, sites: int) -> None:
    """Serve ``folder`` on ``sites`` ports of 127.0.0.1; print the ports; run until stdin ends."""
    handler = partial(_Quiet, directory=folder)
    ports = []
    for _ in range(sites):
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        ports.append(server.server_address[1])
        Thread(target=server.serve_forever, daemon=True).start()
    print(json.dumps(ports), flush=True)
    sys.stdin.read()


# --- the measurements -------------------------------------------------------------------------


def line(label: str, items: int, seconds: float) -> str:
    rate = items / seconds if seconds > 0 else float("inf")
    return f"  {label:<44} {items:>6} items {seconds:>8.2f} s {rate:>9.0f} items/s"


async def fetch_all(urls: list[str], per_host: int) -> int:
    from bot.ingest.fetch import Fetcher

    async with Fetcher(allow_private=True, per_host=per_host) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(u) for u in urls))
    return sum(1 for r in results if r.ok)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--sites", type=int, default=10)
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--serve", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.sites)
        return 0

    import feedparser

    from bot.analysis.korean import get_analyser
    from bot.analysis.pipeline import Pipeline
    from bot.config.settings import Settings
    from bot.config.topics import load_topics
    from bot.ingest.poller import Poller
    from bot.ingest.rss import parse_feed
    from bot.store import open_store

    docs, mean_body = build_feeds(args.feeds, args.items)
    total_items = args.feeds * args.items
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-") as tmp:
        folder = Path(tmp) / "feeds"
        folder.mkdir()
        for n, doc in enumerate(docs):
            (folder / f"feed{n:03d}.xml").write_bytes(doc)
        child = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(folder), "--sites", str(args.sites)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert child.stdout is not None
            ports = json.loads(child.stdout.readline())
            urls = [
                f"http://127.0.0.1:{ports[n % len(ports)]}/feed{n:03d}.xml"
                for n in range(len(docs))
            ]
            print(
                f"newsbot poll benchmark: {args.feeds} feeds x {args.items} items = {total_items} "
                f"items (mean body {mean_body:.0f} characters, {sum(map(len, docs)) / 1e6:.1f} MB "
                f"of RSS), {len(ports)} sites on 127.0.0.1, per-host limit {args.per_host}, "
                f"{os.cpu_count()} CPUs"
            )

            started = time.perf_counter()
            analyser = get_analyser()
            print(f"  kiwi model load (not counted){'':>19} {time.perf_counter() - started:.2f} s")

            started = time.perf_counter()
            fp_items = sum(len(feedparser.parse(doc).entries) for doc in docs)
            fp_s = time.perf_counter() - started

            fetched_at = datetime.now(UTC)
            started = time.perf_counter()
            ours = sum(
                len(parse_feed(doc, url=u, charset=None, fetched_at=fetched_at).entries)
                for doc, u in zip(docs, urls, strict=True)
            )
            parse_s = time.perf_counter() - started

            started = time.perf_counter()
            fetched = asyncio.run(fetch_all(urls, args.per_host))
            fetch_s = time.perf_counter() - started
            assert fetched == len(urls), f"only {fetched} of {len(urls)} feeds fetched"

            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            settings = Settings(database_url=url, allow_private_feeds=True)
            store = open_store(url)
            watcher = Poller(store, settings, per_host=args.per_host)
            pipeline = Pipeline(store, load_topics(), analyser)
            for u in urls:
                store.add_feed(u)
            started = time.perf_counter()
            first = watcher.poll_sync(everything=True)
            pipeline.process_pending()  # poll, then process, as the scheduler's job does
            first_s = time.perf_counter() - started
            second = watcher.poll_sync(everything=True)
            stored = store.count_articles()
            store.close()
        finally:
            if child.stdin:
                child.stdin.close()
            child.wait(timeout=10)

    print(line("feedparser.parse alone (the baseline)", fp_items, fp_s))
    print(line("newsbot parse_feed alone (safe parse)", ours, parse_s))
    print(line(f"fetch alone ({len(urls)} GETs)", total_items, fetch_s))
    print(line("whole poll: fetch+parse+store+analyse+index", first.items_ingested, first_s))
    print(
        f"  second poll: {second.not_modified} of {second.feeds_polled} feeds not modified (304), "
        f"{second.items_ingested} new, {second.duration_s:.2f} s"
    )
    print(
        f"  stored {stored} articles; first poll failures: {first.feed_errors}; "
        f"whole poll / feedparser alone: {(first.items_ingested / first_s) / (fp_items / fp_s):.3f}x "
        f"the items/s (feedparser alone is {first_s / fp_s:.1f}x faster)"
    )
    ok = first.items_ingested == total_items == stored and second.not_modified == args.feeds
    if not ok:
        print("  UNEXPECTED: not every item was stored once, or the second poll was not all 304")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
