"""Helpers shared by the tests: paths, running the CLI in-process, waiting on a condition.

Test modules import from here, never from each other."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SEEDS = ROOT / "seeds"
LABELS = ROOT / "tests" / "data" / "seeds-labels.jsonl"


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``newsbot`` in this process (the kiwi model stays loaded) and capture its output."""
    from bot.cli import main

    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err
