"""A watch's preview and re-application over 100,000 stored articles, against a keyword scan.

The store is bench_search's: 100,000 synthetic articles over two years, made of real Korean news
sentences with their lemmas in the index.  Measured: ``preview()`` (the chat answer before a
watch is saved: the count, the top three with evidence, what each ``-term`` leaves out) for the
last 7 days and 30 days, and ``reapply()`` over 30 days (what saving does).  Baseline,
in the same run on the same file: what a keyword filter does for the same question,
``count(*)`` over ``title || body LIKE '%word%'`` for each term, in the same windows.  Slack
wants an acknowledgement within 3 s; ``watch`` is acknowledged first and answered through
``response_url``, so the preview's time is what the user waits for the answer.

    .venv/bin/python bench/bench_watch.py [N]

``ingest`` mode: the same articles ingested into a fresh store holding 0, 500 and 2,000 watches
(50 per workspace, two terms each, drawn from the corpus's own words, so many of them match
something), rounds alternating; the ratio to no watches is what the watches add to ingest.

    .venv/bin/python bench/bench_watch.py ingest [ARTICLES] [--scan]

``--scan`` checks every article against every watch (the index switched off): the baseline.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench_search import build
from common import scaled_corpus

WATCHES = [
    ["HBM", "고대역폭메모리", "-주가"],
    ["엔비디아", "GPU", "-게임"],
    ["소버린 AI", "독자 AI 파운데이션 모델"],
    ["데이터센터", "+전력"],
    ["APEC", "정상회의", "-관광"],
]
ROUNDS = 3


def main(n: int = 100_000) -> dict[str, float]:
    from sqlalchemy import text

    from bot.analysis.korean import get_analyser
    from bot.config.settings import Settings
    from bot.config.topics import load_topics
    from bot.runtime.app import App
    from bot.services import watches

    analyser = get_analyser()
    topics = load_topics()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'watch.db'}"
        build(url, n, analyser, topics)
        app = App(Settings(database_url=url))
        specs = [watches.parse_spec(words) for words in WATCHES]
        for spec in specs:  # warm up the page cache and kiwi
            watches.preview(app, "w", spec)
        figures: dict[str, list[float]] = {"7d": [], "30d": [], "reapply30": []}
        counts: dict[str, list[int]] = {"7d": [], "30d": []}
        for _ in range(ROUNDS):
            for spec in specs:
                for label, days in (("7d", 7), ("30d", 30)):
                    t0 = time.perf_counter()
                    found = watches.preview(app, "w", spec, days=days)
                    figures[label].append(time.perf_counter() - t0)
                    counts[label].append(found.count)
        for n_watch, words in enumerate(WATCHES):
            watch = app.store.save_watch(
                "bench", "", f"w{n_watch}", watches.parse_spec(words).as_dict()
            )
            t0 = time.perf_counter()
            watches.reapply(app, watch, days=30)
            figures["reapply30"].append(time.perf_counter() - t0)
        base: dict[str, list[float]] = {"7d": [], "30d": []}
        now = datetime.now(UTC)
        with app.store.read() as s:
            for _ in range(ROUNDS):
                for words in WATCHES:
                    for label, days in (("7d", 7), ("30d", 30)):
                        since = now - timedelta(days=days)
                        t0 = time.perf_counter()
                        for word in (w.lstrip("+-") for w in words):
                            s.execute(
                                text(
                                    "SELECT count(*) FROM articles WHERE published_at >= :since "
                                    "AND (title || body) LIKE :w"
                                ),
                                {"w": f"%{word}%", "since": since.isoformat()},
                            ).scalar()
                        base[label].append(time.perf_counter() - t0)
        app.close()
    out: dict[str, float] = {}
    print(f"watch preview over {n:,} stored articles, {len(WATCHES)} watches x {ROUNDS} rounds")
    for label in ("7d", "30d"):
        ours = sorted(figures[label])
        p50, worst = statistics.median(ours), ours[-1]
        b50 = statistics.median(base[label])
        print(
            f"  preview {label:>3}: p50 {p50 * 1e3:7.1f} ms, max {worst * 1e3:7.1f} ms "
            f"(median {statistics.median(counts[label]):.0f} matches); keyword scan p50 "
            f"{b50 * 1e3:7.1f} ms; ratio {b50 / p50:.2f}x"
        )
        out[f"preview_{label}_p50"] = p50
        out[f"preview_{label}_max"] = worst
    r = sorted(figures["reapply30"])
    print(
        f"  re-apply over 30 days: p50 {statistics.median(r) * 1e3:.1f} ms, max {r[-1] * 1e3:.1f} ms"
    )
    out["reapply_p50"] = statistics.median(r)
    return out


WATCH_COUNTS = (0, 500, 2000)
PER_WORKSPACE = 50
INGEST_ROUNDS = 3


def ingest(n: int = 240, scan: bool = False) -> dict[str, float]:
    """Seconds to ingest ``n`` articles with 0, 500 and 2,000 watches stored."""
    import random
    from collections import Counter

    from bot.analysis.korean import get_analyser
    from bot.analysis.pipeline import Pipeline
    from bot.config.topics import load_topics
    from bot.store import open_store
    from bot.store.drafts import Draft

    if scan:
        from bot.analysis.watch_index import WatchIndex

        WatchIndex.candidates = lambda self, *fields: self.watches  # type: ignore[method-assign]
    analyser = get_analyser()
    topics = load_topics()
    docs = scaled_corpus(n)
    counts: Counter[str] = Counter()
    for title, body in docs[:200]:
        counts.update(analyser.lemmas(f"{title} {body}"))
    vocab = [w for w, _ in counts.most_common(3000)[30:] if len(w) > 1]  # not the commonest
    rng = random.Random(23)
    terms = [rng.sample(vocab, 2) for _ in range(max(WATCH_COUNTS))]
    times: dict[int, list[float]] = {k: [] for k in WATCH_COUNTS}
    tagged: dict[int, int] = {}
    analyser.kiwi.tokenize(["예열 문장입니다."])
    for _ in range(INGEST_ROUNDS):
        for k in WATCH_COUNTS:
            with tempfile.TemporaryDirectory() as tmp:
                store = open_store(f"sqlite:///{Path(tmp) / 'ingest.db'}")
                for i, pair in enumerate(terms[:k]):
                    store.save_watch("slack", f"T{i // PER_WORKSPACE}", f"w{i}", {"terms": pair})
                pipeline = Pipeline(store, topics, analyser)
                drafts = [
                    Draft(title=t, body=b, origin=f"bench/{i}.txt") for i, (t, b) in enumerate(docs)
                ]
                t0 = time.perf_counter()
                pipeline.ingest(drafts)
                times[k].append(time.perf_counter() - t0)
                with store.read() as s:
                    from sqlalchemy import text

                    tagged[k] = s.execute(
                        text("SELECT count(*) FROM matches WHERE topic LIKE 'watch:%'")
                    ).scalar_one()
                store.close()
    base = statistics.median(times[0])
    how = "every watch checked (no index)" if scan else "the watch index"
    print(f"ingest of {n} articles with watches stored ({PER_WORKSPACE} per workspace), {how}")
    out: dict[str, float] = {}
    for k in WATCH_COUNTS:
        med = statistics.median(times[k])
        print(
            f"  {k:5d} watches: median {med:6.2f} s over {INGEST_ROUNDS} rounds, "
            f"{tagged[k]:6d} watch matches; {med / base:.2f}x no watches"
        )
        out[f"ratio_{k}"] = med / base
    return out


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "ingest":
        args = [a for a in sys.argv[2:] if not a.startswith("--")]
        ingest(int(args[0]) if args else 240, scan="--scan" in sys.argv)
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
