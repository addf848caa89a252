"""The benchmarks the README quotes still run (at a small size) and print their figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # real processes: seconds each

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.mark.parametrize(
    ("script", "args", "figures"),
    [
        (
            "bench_ingest.py",
            ["40", "--rounds", "2"],  # two rounds are enough to run every side
            ["median ratio per round", "CPU time per document"],
        ),
        ("bench_search.py", ["600"], ["newsbot search()", "p95", "ratio keyword scan / newsbot"]),
        ("bench_briefs.py", ["40"], ["sentences of a report", "brief of a story", "with briefs"]),
        ("bench_cli.py", ["1"], ["newsbot digest --since all", "why 001", "× topics"]),
    ],
)
def test_benchmark_runs_and_prints_its_figures(
    script: str, args: list[str], figures: list[str]
) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for figure in figures:
        assert figure in done.stdout
