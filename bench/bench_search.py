"""Search latency over 100,000 synthetic articles on SQLite, against a keyword scan baseline.

The articles are made from the repository's real texts: every sentence of the seeds, test cases
and held-out sets is analysed once with kiwi, and each synthetic article takes 6–14 random
sentences (their text for the body, their lemmas for the index), a random outlet and topics, and
a date in the last two years that grows with the article id (as in a store that ingests the news
as it is published).  So the index has the vocabulary and term frequencies of real Korean
news without running kiwi 100,000 times.

Measured: newsbot's whole ``search()`` (analyse the query, FTS5 lookup with BM25, load the items,
cut snippets) for a mix of queries, some with topic or date filters.  Baseline, in the same run on
the same file: what a keyword filter does for the same answer (a total and the newest ten):
``count(*)`` and ``LIMIT 10`` over ``body LIKE '%word%'``.  The issue asks
for p95 ≤ 50 ms.

    .venv/bin/python bench/bench_search.py [N]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import corpus, percentiles

QUERIES = [
    "엔비디아",
    "NVIDIA",
    "GPU 공급",
    "소버린 AI",
    "APEC 정상회의",
    "데이터센터 투자",
    "삼성전자 HBM",
    "에이펙",
    "주권형 인공지능",
    "스타게이트",
    "네이버 하이퍼클로바X",
    "경주",
    "그래픽처리장치 확보",
    "독자 AI 파운데이션 모델",
    "SK하이닉스",
    "오픈AI",
    "AWS 울산",
    "국가대표 AI",
    "HBM4 공급 계약",
    "블랙웰",
    "AI 데이터센터",
    "과학기술정보통신부 장관",
    "젠슨 황",
    "정상회의 선언문",
]
FILTERS = [((), None), (("gpu_deal",), None), ((), 90), (("apec", "sovereign_ai"), 365)]
OUTLETS = [
    "연합뉴스",
    "뉴시스",
    "뉴스1",
    "이데일리",
    "전자신문",
    "한국경제",
    "매일경제",
    "조선비즈",
]


def sentence_pool(analyser) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    pool: list[tuple[str, str]] = []
    for title, body in corpus():
        field = analyser.analyse(title, body).body
        by_sent: dict[int, list[str]] = {}
        for tok in field.tokens:
            by_sent.setdefault(tok.sent, []).append(tok.lemma)
        starts: dict[int, int] = {}
        ends: dict[int, int] = {}
        for tok in field.tokens:
            starts.setdefault(tok.sent, tok.start)
            ends[tok.sent] = tok.end
        for sent, lemmas in by_sent.items():
            text = field.text[starts[sent] : ends[sent]].strip()
            if len(lemmas) >= 4:
                pool.append((text, " ".join(lemmas)))
    return pool


def build(url: str, n: int, analyser, topics) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import insert, text

    from bot.store import open_store
    from bot.store.fulltext import index_tags
    from bot.store.models import ArticleRow, MatchRow

    store = open_store(url)
    pool = sentence_pool(analyser)
    rng = random.Random(7)
    now = datetime.now(UTC)
    topic_ids = topics.ids()
    batch = 5000
    with store.write() as s:
        for start in range(0, n, batch):
            arts, matches, fts = [], [], []
            for i in range(start, min(n, start + batch)):
                picked = rng.sample(pool, rng.randint(6, 14))
                # ids grow with time, as in a store that ingests news as it is published
                when = now - timedelta(days=730 * (1 - i / n) + rng.uniform(-2, 2))
                arts.append(
                    {
                        "id": i + 1,
                        "kind": "feed",
                        "origin": f"https://example.com/{i}",
                        "content_hash": f"{i:064x}",
                        "title": picked[0][0][:80],
                        "body": "\n".join(p[0] for p in picked[1:]),
                        "source": rng.choice(OUTLETS),
                        "published_at": when,
                        "seen_at": when,
                        "silent": False,
                        "scores": {},
                        "entities": [],
                        "topics_hash": topics.digest,
                        "cluster_id": i + 1,
                    }
                )
                carried = [t for t in topic_ids if rng.random() < 0.2]
                fts.append(
                    {
                        "id": i + 1,
                        "title": picked[0][1],
                        "body": " ".join(p[1] for p in picked[1:]),
                        "tags": index_tags(carried, when),
                    }
                )
                matches.extend(
                    {"article_id": i + 1, "topic": t, "score": 6.0, "evidence": []} for t in carried
                )
            s.execute(insert(ArticleRow), arts)
            if matches:
                s.execute(insert(MatchRow), matches)
            s.execute(
                text(
                    "INSERT INTO article_fts (rowid, title, body, tags) "
                    "VALUES (:id, :title, :body, :tags)"
                ),
                fts,
            )
    with store.engine.connect() as conn:
        conn.exec_driver_sql("INSERT INTO article_fts(article_fts) VALUES ('optimize')")
        conn.exec_driver_sql("ANALYZE")
    store.close()


def main(n: int = 100_000) -> dict[str, float]:
    from sqlalchemy import text

    from bot.analysis.korean import get_analyser
    from bot.config.settings import Settings
    from bot.config.topics import load_topics
    from bot.runtime.app import App
    from bot.services.search import search

    analyser = get_analyser()
    topics = load_topics()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'search.db'}"
        started = time.perf_counter()
        build(url, n, analyser, topics)
        built = time.perf_counter() - started
        app = App(Settings(database_url=url))
        store = app.store
        rng = random.Random(11)
        ours: list[float] = []
        totals: list[int] = []
        now = datetime.now(UTC)
        for q in QUERIES:  # warm up the page cache and kiwi
            search(app, q)
        for _ in range(8):
            for q in QUERIES:
                wanted, days = rng.choice(FILTERS)
                since = now - timedelta(days=days) if days else None
                t0 = time.perf_counter()
                result = search(app, q, topics=wanted, since=since, limit=10)
                ours.append(time.perf_counter() - t0)
                totals.append(result.total)
        base: list[float] = []
        with store.read() as s:
            for _ in range(2):
                for q in QUERIES:
                    word = q.split()[0]
                    t0 = time.perf_counter()  # the same answer: a total and the newest ten
                    s.execute(
                        text("SELECT count(*) FROM articles WHERE body LIKE :w"), {"w": f"%{word}%"}
                    ).scalar()
                    s.execute(
                        text(
                            "SELECT id FROM articles WHERE body LIKE :w "
                            "ORDER BY published_at DESC LIMIT 10"
                        ),
                        {"w": f"%{word}%"},
                    ).all()
                    base.append(time.perf_counter() - t0)
        app.close()
    p50, p95 = percentiles(ours)
    b50, b95 = percentiles(base)
    print(
        f"search: {n:,} synthetic articles (built in {built:.0f} s), {len(ours)} queries, "
        f"median {sorted(totals)[len(totals) // 2]:,} hits per query"
    )
    print(
        f"  newsbot search()        p50 {p50 * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms  (target p95 <= 50 ms)"
    )
    print(
        f"  keyword LIKE scan       p50 {b50 * 1000:6.1f} ms   p95 {b95 * 1000:6.1f} ms"
        "  (total + newest ten, first word only, no inflection or aliases)"
    )
    print(f"  ratio keyword scan / newsbot: p50 {b50 / p50:.1f}x, p95 {b95 / p95:.1f}x")
    return {"p50_ms": p50 * 1000, "p95_ms": p95 * 1000, "like_p50_ms": b50 * 1000}


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
