"""``pip install .`` gives a newsbot that runs on its own: the migrations, topics and lexicon are
package data, so ``newsbot db upgrade`` works far from the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.slow


def test_the_built_wheel_upgrades_a_database_outside_the_checkout(tmp_path: Path) -> None:
    dist, target, elsewhere = tmp_path / "dist", tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-w", str(dist)],
        check=True,
        cwd=tmp_path,
        timeout=300,
    )
    [wheel] = dist.glob("newsbot-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "bot/store/migrations/env.py" in names and "bot/topics.toml" in names
    assert any(n.startswith("bot/store/migrations/versions/0001") for n in names)
    assert "bot/analysis/story_df.json" in names and "bot/analysis/story_words.toml" in names
    assert "bot/ingest/outlets.toml" in names  # the outlet table (a migration reads it too)
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        timeout=300,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBOT_")}
    env["PYTHONPATH"] = str(target)  # the installed copy first, ahead of the checkout's
    where = subprocess.run(
        [sys.executable, "-c", "import bot; print(bot.__file__)"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert where.stdout.strip().startswith(str(target))
    done = subprocess.run(
        [sys.executable, "-m", "bot", "db", "upgrade", "--db", "sqlite:///x.db"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "upgraded empty ->" in done.stdout and (elsewhere / "x.db").exists()
    (elsewhere / "a.txt").write_text(
        "엔비디아, 한국에 GPU 26만장 공급\n\n엔비디아가 한국 정부와 기업에 GPU 26만 장을 공급한다.\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ingest", "a.txt", "--db", "sqlite:///x.db"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr  # the analysis data (stories, lexicon) is there
    assert "1 new" in done.stdout
