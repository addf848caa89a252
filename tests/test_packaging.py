"""``pip install .`` gives a newsbot that runs on its own: the migrations, topics, lexicon and the
seed corpus are package data, so ``newsbot demo``, ``newsbot ingest`` and ``newsbot db upgrade``
work far from the checkout, and the default database is in the per-user data folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bot.present.i18n import t
from bot.store.engine import head_revision
from tests.helpers import HEADLINES, ROOT

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
    [entry_points] = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    assert "newsbot = bot.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    # the checkout's top-level migrations/ ship as bot/migrations, every revision
    assert "bot/migrations/env.py" in names and "bot/topics.toml" in names
    assert "bot/migrations/script.py.mako" in names
    revisions = sorted(p.name for p in (ROOT / "migrations" / "versions").glob("*.py"))
    assert sorted(n.split("/")[-1] for n in names if n.startswith("bot/migrations/versions/")) == (
        revisions
    )
    assert "bot/analysis/story_df.json" in names and "bot/analysis/story_words.toml" in names
    seeds = sorted(p.name for p in (ROOT / "seeds").iterdir())
    assert sorted(n.split("/")[-1] for n in names if n.startswith("bot/seeds/")) == seeds
    assert "bot/config/outlets.toml" in names  # the outlet table (a migration reads it too)
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        timeout=300,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBOT_")}
    env["PYTHONPATH"] = str(target)  # the installed copy first, ahead of the checkout's
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
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
    empty, head = t("cli.db_empty", "ko"), head_revision()  # NEWSBOT_LANGUAGE=ko
    upgraded = t("cli.db_upgraded", "ko", where="sqlite:///x.db", before=empty, after=head)
    assert done.stdout.strip() == upgraded and (elsewhere / "x.db").exists()
    (elsewhere / "a.txt").write_text(
        "엔비디아, 한국에 GPU 26만장 공급\n\n엔비디아가 한국 정부와 기업에 GPU 26만 장을 공급한다.\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ingest", "a.txt", "--db", "sqlite:///x.db"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr  # the analysis data (stories, lexicon) is there
    assert t("cli.ingested", "ko", new=1, read=1, extra="") in done.stdout  # NEWSBOT_LANGUAGE=ko

    shipped, away = target / "bot" / "seeds", tmp_path / "seeds-away"
    shipped.rename(away)  # a copy without its seeds: the demo fails, and leaves nothing
    failed = subprocess.run(
        [sys.executable, "-m", "bot", "demo"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    away.rename(shipped)
    assert (
        failed.returncode == 2
        and failed.stderr.strip() == f"error: {t('cli.no_path', 'ko', path='seeds')}"
    )
    assert not (elsewhere / "var").exists() and not (tmp_path / "data" / "newsbot").exists()

    demo = subprocess.run(
        [str(target / "bin" / "newsbot"), "demo"],  # the installed console script
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert demo.returncode == 0, demo.stderr
    assert HEADLINES["002"] in demo.stdout  # the digest of the shipped seeds
    assert (tmp_path / "data" / "newsbot" / "demo.db").is_file()
    assert not (elsewhere / "var").exists(), "no stray var/ in the folder it ran from"

    default = subprocess.run(
        [sys.executable, "-m", "bot", "ingest"],  # no path, no --db: the shipped seeds
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert default.returncode == 0, default.stderr
    assert t("cli.ingested", "ko", new=len(seeds), read=len(seeds), extra="") in default.stdout
    assert (tmp_path / "data" / "newsbot" / "newsbot.db").is_file()
    assert sorted(p.name for p in elsewhere.iterdir()) == ["a.txt", "x.db"]
