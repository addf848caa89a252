"""Peak resident memory of ``newsbot demo`` (the issue's limit: 800 MB), against a process that
only loads kiwi's model, in the same run.

    .venv/bin/python bench/bench_demo.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


WRAPPER = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
    "capture_output=True); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def peak_rss_mb(args: list[str], cwd: Path) -> tuple[float, float]:
    """(peak RSS in MB, seconds) of one command, measured in a wrapper process of its own."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", WRAPPER, *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("NEWSBOT_")},
    )
    return int(out.stdout.strip()) / 1024, time.perf_counter() - start


def main() -> dict[str, float]:
    python = sys.executable
    newsbot = str(Path(python).with_name("newsbot"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "seeds").symlink_to(ROOT / "seeds")
        kiwi_mb, kiwi_s = peak_rss_mb(
            [python, "-c", "from kiwipiepy import Kiwi; Kiwi().tokenize('예열')"], work
        )
        demo_mb, demo_s = peak_rss_mb([newsbot, "demo"], work)
    print("peak resident memory (maxrss of each command, in its own wrapper process)")
    print(f"  kiwi model alone : {kiwi_mb:6.0f} MB  {kiwi_s:5.1f} s")
    print(f"  newsbot demo     : {demo_mb:6.0f} MB  {demo_s:5.1f} s  (limit 800 MB)")
    print(f"  ratio demo / kiwi: {demo_mb / kiwi_mb:.2f}x")
    return {"demo_mb": demo_mb, "kiwi_mb": kiwi_mb}


if __name__ == "__main__":
    main()
