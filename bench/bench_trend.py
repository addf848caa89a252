"""Trend picture time: counting stories a day and drawing the PNG, against a bare matplotlib PNG
of the same size and lines (no Korean font, labels, legend or annotation) drawn in the same
rounds, so the ratio is what newsbot's picture costs over the least a chart can cost.

The counting runs on 20,000 synthetic rows (3 topics, 90 days, stories of 1–6 reports).

    .venv/bin/python bench/bench_trend.py
"""

from __future__ import annotations

import io
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

ROUNDS = 7
ROWS = 20_000


def main() -> dict[str, float]:
    from bot.present.chart import SIZE, render_trend
    from bot.services.trends import build_trend
    from bot.store.views import TrendRow

    rng = random.Random(7)
    until = datetime(2025, 11, 15, 3, 0, tzinfo=UTC)
    since = until - timedelta(days=90)
    outlets = ["연합뉴스", "뉴시스", "뉴스1", "Reuters", "전자신문", "한국경제", "매일경제"]
    rows, story, article = [], 0, 0
    while len(rows) < ROWS:
        story += 1
        at = since + timedelta(seconds=rng.randrange(90 * 86400))
        topic = rng.choice(["sovereign_ai", "apec", "gpu_deal"])
        for _ in range(rng.randint(1, 6)):
            article += 1
            rows.append(TrendRow(topic, article, story, rng.choice(outlets), at, f"기사 {story}"))
    topics = ["sovereign_ai", "apec", "gpu_deal"]
    labels = {"sovereign_ai": "소버린 AI", "apec": "APEC", "gpu_deal": "GPU·AI 컴퓨팅 거래"}
    trend = build_trend(rows, topics, labels, since, until, "Asia/Seoul")
    render_trend(trend)  # warm up: font registration, matplotlib imports
    _bare(trend, SIZE)
    count_t, ours, bare = [], [], []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        trend = build_trend(rows, topics, labels, since, until, "Asia/Seoul")
        count_t.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        png = render_trend(trend)
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        _bare(trend, SIZE)
        bare.append(time.perf_counter() - t0)
    c50, o50, b50 = (statistics.median(x) for x in (count_t, ours, bare))
    print(f"trend picture: {len(rows):,} rows, {trend.stories:,} stories, 3 topics x 91 days")
    print(f"  counting stories a day : p50 {c50 * 1e3:.1f} ms")
    print(f"  drawing the PNG        : p50 {o50 * 1e3:.1f} ms ({len(png) // 1024} KB)")
    print(f"  bare matplotlib PNG    : p50 {b50 * 1e3:.1f} ms; ours / bare {o50 / b50:.2f}x")
    return {"count_p50": c50, "chart_p50": o50, "bare_p50": b50}


def _bare(trend: object, size: tuple[float, float]) -> bytes:
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=100)
    ax = fig.add_subplot()
    for series in trend.series:  # type: ignore[attr-defined]
        ax.plot(range(len(series.counts)), series.counts)
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


if __name__ == "__main__":
    main()
