"""Benchmark: polling 200 keyword sources (Google News + Naver) against the loopback fakes.

    .venv/bin/python bench/bench_sources.py [--sources 200] [--items 20] [--overlap 0.5]

Half the sources are Google News queries, half Naver queries; each query answers ``--items``
invented articles, and ``--overlap`` of them are the same articles through both services (so the
store's one-item-per-article rule is exercised).  The fakes (``tests/helpers/fakes/
news_search.py``) run in a child process, so the server does not share our GIL.  In one process
and one run it measures:

- fetch alone (the baseline): one GET of each source's first request through one
  :class:`bot.ingest.fetch.Fetcher`, with the Naver keys;
- the first poll (everything due): fetch, parse, dedup + store, kiwi analysis, matching, stories,
  index, into a fresh SQLite file;
- the second poll (nothing new): requests, time, new items (0 expected).

It prints seconds, requests per poll, items stored against items listed, the ratio of each
poll to fetch alone, and the Naver quota a day at the default interval (``NEWSBOT_FEED_INTERVAL``,
15 minutes): Naver sources × polls a day × calls per poll (measured), against 25,000.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SUBJECTS = ["소버린 AI", "GPU 공급", "APEC 정상회의", "AI 데이터센터", "국가대표 AI"]
VERBS = ["발표", "추진", "협약 체결", "예산 확대", "공모 시작", "평가 결과 공개"]
ACTORS = ["과기정통부", "산업부", "네이버클라우드", "KT", "SK텔레콤", "LG AI연구원", "카카오"]
OUTLETS = [("연합뉴스", "https://www.yna.co.kr"), ("한국경제", "https://www.hankyung.com"),
           ("전자신문", "https://www.etnews.com"), ("매일경제", "https://www.mk.co.kr")]  # fmt: skip


def stories(query_no: int, items: int, kind: str, overlap: float) -> list[object]:
    """Invented articles for one query; the first ``overlap`` share is common to both kinds."""
    from tests.helpers.fakes.news_search import Story

    shared = int(items * overlap)
    out = []
    base = datetime(2025, 10, 31, tzinfo=UTC)
    for i in range(items):
        own = i >= shared
        tag = f"{kind[0]}{i}" if own else f"s{i}"
        outlet, home = OUTLETS[(query_no + i) % len(OUTLETS)]
        actor, verb = (
            ACTORS[(query_no * 7 + i) % len(ACTORS)],
            VERBS[(query_no + i * 3) % len(VERBS)],
        )
        subject = SUBJECTS[query_no % len(SUBJECTS)]
        title = f"{actor}, {subject} {verb} ({query_no}-{tag})"
        out.append(
            Story(
                title=title,
                url=f"{home}/article/{query_no:03d}{tag}",
                outlet=outlet,
                home=home,
                published=base - timedelta(minutes=query_no * items + i),
                description=f"{actor}가 {subject} 관련 계획을 {verb}했다. 세부 내용은 이달 중 나온다.",
                naver_oid=f"{(query_no + i) % 900:03d}",
                naver_aid=f"{query_no:04d}{i:06d}",
            )
        )
    return out


def serve(n_sources: int, items: int, overlap: float) -> None:
    """The fakes, with every query's articles; print the base URL; run until stdin ends."""
    from tests.helpers.fakes.news_search import NewsSearchFake

    fake = NewsSearchFake()
    half = n_sources // 2
    for q in range(half):
        fake.google[f"bench query {q}"] = stories(q, items, "google", overlap)  # type: ignore[assignment]
        fake.naver[f"bench query {q}"] = stories(q, items, "naver", overlap)  # type: ignore[assignment]
    with fake:
        print(json.dumps({"url": fake.url}), flush=True)
        sys.stdin.read()
        print(json.dumps({"hits": dict(fake.hits)}), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--overlap", type=float, default=0.5)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.sources, args.items, args.overlap)
        return 0

    from bot.analysis.korean import get_analyser
    from bot.ingest import naver
    from bot.ingest.fetch import Fetcher
    from bot.ingest.keyword_poll import quota_used
    from bot.runtime.app import App
    from tests.helpers.fakes.news_search import CLIENT_ID, CLIENT_SECRET

    child = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--sources", str(args.sources),
         "--items", str(args.items), "--overlap", str(args.overlap)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert child.stdout is not None and child.stdin is not None
    base = json.loads(child.stdout.readline())["url"]
    env = {
        "NEWSBOT_ALLOW_PRIVATE_FEEDS": "1",
        "NEWSBOT_GOOGLE_NEWS_URL": base,
        "NEWSBOT_NAVER_API_URL": base,
        "NAVER_CLIENT_ID": CLIENT_ID,
        "NAVER_CLIENT_SECRET": CLIENT_SECRET,
    }
    os.environ.update(env)
    from bot.config.settings import Settings
    from bot.ingest.poller import Poller
    from bot.services import sources

    try:
        with tempfile.TemporaryDirectory(prefix="newsbot-bench-") as tmp:
            settings = Settings.from_env(database_url=f"sqlite:///{Path(tmp) / 'bench.db'}")
            app = App(settings)
            half = args.sources // 2
            for q in range(half):
                sources.add_source(app, "google", f"bench query {q}")
                sources.add_source(app, "naver", f"bench query {q}")
            listed = [f for f in app.store.list_feeds() if f.is_source]
            print(
                f"newsbot keyword-source benchmark: {len(listed)} sources ({half} Google News, "
                f"{half} Naver) x {args.items} items each, {args.overlap:.0%} of each query's "
                f"articles through both services; fakes on 127.0.0.1; {os.cpu_count()} CPUs"
            )
            started = time.perf_counter()
            get_analyser()
            print(
                f"  kiwi model load (not counted)            {time.perf_counter() - started:6.2f} s"
            )

            keys = naver.headers(CLIENT_ID, CLIENT_SECRET)

            async def fetch_alone() -> float:
                async with Fetcher(allow_private=True) as fetcher:
                    t0 = time.perf_counter()
                    await asyncio.gather(
                        *(
                            fetcher.fetch(naver.page_url(f.url, 1), headers=keys)
                            if f.kind == "naver"
                            else fetcher.fetch(f.url)
                            for f in listed
                        )
                    )
                    return time.perf_counter() - t0

            fetch_s = asyncio.run(fetch_alone())
            poller = Poller(app.store, app.settings, log_failures=False)
            used0 = quota_used(app.store, app.clock.now())
            first = poller.poll_sync(everything=True)
            used1 = quota_used(app.store, app.clock.now())
            second = poller.poll_sync(everything=True)
            used2 = quota_used(app.store, app.clock.now())
            app.close()
    finally:
        child.stdin.close()
        hits = json.loads(child.stdout.readline() or "{}").get("hits", {})
        child.wait(timeout=30)

    listed_items = args.sources * args.items
    distinct = half * (2 * args.items - int(args.items * args.overlap))
    print(f"  fetch alone (baseline): {len(listed)} requests          {fetch_s:6.2f} s")
    for name, report, calls in (
        ("first poll ", first, used1 - used0),
        ("second poll", second, used2 - used1),
    ):
        requests = half + calls
        print(
            f"  {name}: {requests} requests ({half} Google, {calls} Naver) {report.duration_s:6.2f} s"
            f"  {report.items_ingested} new items of {listed_items} listed"
            f"  ({report.duration_s / fetch_s:.1f}x fetch alone), {report.feed_errors} failed"
        )
    print(f"  distinct articles: {distinct}; stored once each: {first.items_ingested == distinct}")
    interval = 900
    per_poll = (used2 - used1) / max(1, half)
    per_day = half * (86400 / interval) * per_poll
    print(
        f"  Naver quota a day at the default interval ({interval // 60} min): {half} sources x "
        f"{86400 // interval} polls x {per_poll:.2f} calls = {per_day:,.0f} of 25,000 "
        f"({per_day / 25000:.0%}); the most Naver sources inside the quota: "
        f"{int(25000 / ((86400 / interval) * max(per_poll, 1e-9)))}"
    )
    print(f"  requests the fakes served: {sum(hits.values())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
