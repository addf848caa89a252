"""``make bench``: every benchmark, one after the other (each prints its figures and ratios)."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    "bench_ingest.py",
    "bench_search.py",
    "bench_demo.py",
    "bench_poll.py",
    "bench_serve.py",
    "bench_startup.py",
    "bench_watch.py",
    "bench_briefs.py",
    "bench_trend.py",
    "bench_big_item.py",
]

if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    for name in BENCHMARKS:
        path = HERE / name
        if not path.exists():
            continue
        print(f"\n=== {name} ===", flush=True)
        runpy.run_path(str(path), run_name="__main__")
