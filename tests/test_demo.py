"""The two-command quick start: ``newsbot demo`` and the digest JSON contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.present.i18n import t
from tests.helpers import CHROME, HEADLINES, LABELS, ROOT, run_cli


@pytest.mark.slow
def test_demo_prints_every_seed_headline(tmp_path: Path) -> None:
    """The real console script, in a fresh working directory holding only the seeds."""
    work = tmp_path / "clone"
    work.mkdir()
    (work / "seeds").symlink_to(ROOT / "seeds")
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "SLACK_", "DISCORD_"))
    }
    newsbot = Path(sys.executable).with_name("newsbot")
    proc = subprocess.run(
        [str(newsbot), "demo"], cwd=work, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    for headline in HEADLINES.values():
        assert headline in proc.stdout
    assert (work / "var" / "demo.db").exists() and not (work / "var" / "newsbot.db").exists()
    assert "Traceback" not in proc.stderr


def test_demo_never_deletes_a_database_it_did_not_make(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "seeds").symlink_to(ROOT / "seeds")
    feed = "https://news.example.kr/rss.xml"
    assert (
        run_cli(["feeds", "add", feed, "--no-check"], capsys)[0] == 0
    )  # the default: the data folder
    other = f"sqlite:///{tmp_path / 'prod.db'}"
    assert run_cli(["feeds", "add", feed, "--no-check", "--db", other], capsys)[0] == 0
    monkeypatch.setenv("NEWSBOT_DATABASE_URL", other)

    for _ in range(2):  # a second demo rebuilds its own file
        code, out, err = run_cli(["demo"], capsys)
        assert code == 0, err
        assert HEADLINES["001"] in out
    code, out, err = run_cli(["demo", "--db", other], capsys)  # a database it did not make
    said = t("cli.demo_not_ours", "ko", path=tmp_path / "prod.db")
    assert code == 2 and err.strip() == f"error: demo: {said}"

    monkeypatch.delenv("NEWSBOT_DATABASE_URL")
    for db in ([], ["--db", other]):
        code, out, _ = run_cli(["feeds", "list", "--format", "json", *db], capsys)
        assert [f["url"] for f in json.loads(out)["feeds"]] == [feed]


def test_digest_json_contract(seeded_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        ["digest", "--since", "all", "--format", "json", "--db", seeded_url], capsys
    )
    assert code == 0
    digest = json.loads(out)
    assert set(digest) == {"since", "until", "items"}
    assert digest["since"] is None
    items = digest["items"]
    assert len(items) == 5
    assert len({i["id"] for i in items}) == 5
    for item in items:
        assert {
            "id",
            "title",
            "url",
            "source",
            "origin",
            "published",
            "topics",
            "scores",
            "evidence",
            "entities",
            "cluster",
        } <= set(item)
        assert item["origin"].startswith(str(ROOT / "seeds"))
        for chrome in CHROME:
            assert chrome not in item["body"]
        for ev in item["evidence"]:
            assert set(ev) == {"topic", "term", "surface", "field"}
            assert ev["field"] in ("title", "body")
        for ent in item["entities"]:
            assert set(ent) == {"kind", "text", "value", "unit"}


def test_each_seed_carries_exactly_its_labels(
    seeded_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(
        ["digest", "--since", "all", "--format", "json", "--db", seeded_url], capsys
    )
    by_file = {Path(i["origin"]).stem: sorted(i["topics"]) for i in json.loads(out)["items"]}
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert by_file[row["id"]] == sorted(row["labels"]), row["id"]


def test_digest_since_filters_by_date(seeded_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        ["digest", "--since", "2025-08-01", "--format", "json", "--db", seeded_url], capsys
    )
    stems = {Path(i["origin"]).stem[:3] for i in json.loads(out)["items"]}
    assert "003" not in stems  # published 2025-02-20
    assert "002" in stems  # published 2025-08-04


def test_bad_since_is_a_usage_error(seeded_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["digest", "--since", "yesterday", "--db", seeded_url], capsys)
    assert code == 2 and "--since" in err


@pytest.mark.slow
def test_python_dash_m_bot(tmp_path: Path) -> None:
    env = {**os.environ, "NEWSBOT_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    for command in (["db", "upgrade"], ["topics"]):  # `topics` reads a database that exists
        proc = subprocess.run(
            [sys.executable, "-m", "bot", *command],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        assert proc.returncode == 0, proc.stderr
    assert "sovereign_ai" in proc.stdout and "gpu_deal" in proc.stdout
