"""Wall time of the reading commands on the demo database, beside ``newsbot topics`` (the
baseline: a command that never needed the model): ``digest --since all``, ``why 001`` and
``stats`` read stored briefs and must not load the Korean model.  Each command runs
``ROUNDS`` times as a fresh process (what a user waits for); the median is reported.

    .venv/bin/python bench/bench_cli.py [ROUNDS]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEWSBOT = [sys.executable, "-m", "bot"]
COMMANDS = {
    "topics": ["topics"],
    "digest --since all": ["digest", "--since", "all"],
    "why 001": ["why", "001"],
    "stats": ["stats"],
}


def main(rounds: int = 5) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = ["--db", f"sqlite:///{Path(tmp) / 'demo.db'}"]
        subprocess.run([*NEWSBOT, "demo", *db], cwd=ROOT, check=True, capture_output=True)
        times: dict[str, list[float]] = {name: [] for name in COMMANDS}
        for _ in range(rounds):  # interleaved, so a busy moment touches every command alike
            for name, args in COMMANDS.items():
                t0 = time.perf_counter()
                subprocess.run([*NEWSBOT, *args, *db], cwd=ROOT, check=True, capture_output=True)
                times[name].append(time.perf_counter() - t0)
    medians = {name: statistics.median(found) for name, found in times.items()}
    base = medians["topics"]
    print(f"{'command':<30} {'median s':>9} {'× topics':>9}")
    for name, secs in medians.items():
        print(f"newsbot {name:<22} {secs:>9.2f} {secs / base:>9.2f}")
    return medians


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
