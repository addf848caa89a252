"""Topics live in a TOML file: a user adds one without code; a malformed file is refused by line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config.topics import DEFAULT_TOPICS, TopicsError, load_topics
from tests.helpers import SEEDS, run_cli

HBM = """
[topics.hbm]
name = "HBM"
name_en = "High-bandwidth memory"
description = "HBM 공급과 양산"
threshold = 4.0
min_sentences = 1
any = ["core"]

[topics.hbm.groups]
core = { weight = 3.0, terms = ["HBM", "고대역폭메모리", "HBM3E", "HBM4"] }

[topics.hbm.context]
supply = { weight = 1.0, terms = ["공급", "양산", "생산", "supply"] }
"""


def test_custom_topic_without_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    custom = tmp_path / "topics.toml"
    custom.write_text(DEFAULT_TOPICS.read_text(encoding="utf-8") + HBM, encoding="utf-8")
    monkeypatch.setenv("NEWSBOT_TOPICS_FILE", str(custom))
    db = f"sqlite:///{tmp_path / 'hbm.db'}"
    assert run_cli(["ingest", str(SEEDS), "--db", db], capsys)[0] == 0
    code, out, _ = run_cli(["topics", "--format", "json", "--db", db], capsys)
    assert "hbm" in [t["id"] for t in json.loads(out)["topics"]]
    code, out, _ = run_cli(
        ["digest", "--topic", "hbm", "--since", "all", "--format", "json", "--db", db], capsys
    )
    assert code == 0
    items = json.loads(out)["items"]
    assert sorted(Path(i["origin"]).stem[:3] for i in items) == [
        "000",
        "001",
    ]  # HBM production / supply
    assert all("hbm" in i["topics"] for i in items)
    assert any(
        e["topic"] == "hbm" and e["surface"] in ("HBM", "고대역폭메모리")
        for e in items[0]["evidence"]
    )


def test_editing_the_topics_file_rematches_stored_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    assert run_cli(["ingest", str(SEEDS), "--db", db], capsys)[0] == 0
    custom = tmp_path / "topics.toml"
    custom.write_text(DEFAULT_TOPICS.read_text(encoding="utf-8") + HBM, encoding="utf-8")
    monkeypatch.setenv("NEWSBOT_TOPICS_FILE", str(custom))
    code, out, _ = run_cli(
        ["digest", "--topic", "hbm", "--since", "all", "--format", "json", "--db", db], capsys
    )
    assert len(json.loads(out)["items"]) == 2


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        (
            "[topics.x]\nname = 'X'\nthreshold = 'high'\n[topics.x.groups]\na = { terms = ['a'] }\n",
            3,
            "topics.x.threshold",
        ),
        (
            "[topics.x]\nname = 'X'\ncolour = 'red'\n[topics.x.groups]\na = { terms = ['a'] }\n",
            3,
            "topics.x.colour",
        ),
        (
            "[topics.x]\nname = 'X'\nany = ['b']\n[topics.x.groups]\na = { terms = ['a'] }\n",
            3,
            "topics.x.any",
        ),
        (
            "[topics.x]\nname = 'X'\n[topics.x.groups]\na = { weight = 1 }\n",
            4,
            "topics.x.groups.a.terms",
        ),
        ("[topics.x]\nname = 'X'\n[topics.x.groups\n", 3, ""),
    ],
)
def test_malformed_file_names_line_and_key(tmp_path: Path, text: str, line: int, key: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TopicsError) as info:
        load_topics(path)
    message = str(info.value)
    assert str(path) in message and f"line {line}" in message
    assert key in message


def test_cli_refuses_a_malformed_topics_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[topics.x]\nthreshold = -1\n[topics.x.groups]\na = { terms = ['a'] }\n")
    assert run_cli(["db", "upgrade"], capsys)[0] == 0  # `topics` reads a database that exists
    monkeypatch.setenv("NEWSBOT_TOPICS_FILE", str(bad))
    code, _, err = run_cli(["topics"], capsys)
    assert code == 2 and "2번째 줄" in err and "threshold" in err and "Traceback" not in err
    monkeypatch.setenv("NEWSBOT_LANGUAGE", "en")
    code, _, err = run_cli(["topics"], capsys)
    assert code == 2 and "line 2: topics.x.threshold: must be at least 0" in err
