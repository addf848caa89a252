"""The JSON contracts of ``digest``, ``search``, ``why`` and ``eval`` on the seeds and the three
held-out sets, compared with golden files in ``tests/data/contracts/``.

A refactor must leave them byte-identical.  A change that means to alter them (a better date, a
new field) regenerates the files with ``NEWSBOT_UPDATE_CONTRACTS=1 make test
PYTEST_ARGS=tests/test_contracts.py`` and the diff of the golden files shows, in review, exactly
what a user's script would see change.  Bodies are kept as hashes to keep the files small.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT, SEEDS, run_cli

GOLDEN = Path(__file__).resolve().parent / "data" / "contracts"
HOLDOUTS = [ROOT / "bench" / f"holdout{n}" / "articles.jsonl" for n in ("", "2", "3")]
QUERIES = [
    "엔비디아",
    "소버린 AI",
    "NVIDIA GPU",
    "에이펙 정상회의",
    "데이터센터",
    "HBM",
    "국가대표 AI",
    "경주",
]

pytestmark = pytest.mark.slow


def _hash_bodies(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {
            k: (hashlib.sha256(v.encode()).hexdigest()[:16] if k == "body" else _hash_bodies(v))
            for k, v in obj.items()
        }
    if isinstance(obj, list):
        return [_hash_bodies(v) for v in obj]
    return obj


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds plus every held-out article as a seed file (title line, blank line, text)."""
    root = tmp_path_factory.mktemp("contracts")
    shutil.copytree(SEEDS, root / "seeds")
    for path in HOLDOUTS:
        folder = root / path.parent.name
        folder.mkdir()
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            (folder / f"{row['id']}.txt").write_text(
                f"{row.get('title') or ''}\n\n{row['text']}\n", encoding="utf-8"
            )
    return root


def _outputs(
    corpus: Path, db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    def cli(*args: str) -> Any:
        code, out, err = run_cli([*args, "--db", db], capsys)
        assert code == 0, err
        return json.loads(out)

    monkeypatch.chdir(corpus)  # origins are the relative paths given to `ingest`
    folders = ["seeds", *(f"holdout{n}" for n in ("", "2", "3"))]
    code, _, err = run_cli(["ingest", *folders, "--db", db], capsys)
    assert code == 0, err
    outputs: dict[str, Any] = {
        "digest": cli("digest", "--since", "all", "--format", "json"),
        "digest-gpu": cli("digest", "--since", "all", "--topic", "gpu_deal", "--format", "json"),
    }
    for n, query in enumerate(QUERIES):
        outputs[f"search-{n}"] = cli("search", query, "--limit", "20", "--format", "json")
    outputs["why"] = [cli("why", str(i), "--format", "json") for i in range(1, 40)]
    outputs["eval-cases"] = cli("eval", str(ROOT / "tests" / "cases"), "--format", "json")
    for path in HOLDOUTS:
        outputs[f"eval-{path.parent.name}"] = cli("eval", str(path), "--format", "json")
    return _hash_bodies(outputs)


def test_json_outputs_match_the_golden_files(
    corpus: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = f"sqlite:///{tmp_path / 'contracts.db'}"
    outputs = _outputs(corpus, db, capsys, monkeypatch)
    if os.environ.get("NEWSBOT_UPDATE_CONTRACTS"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for name, value in outputs.items():
            text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
            (GOLDEN / f"{name}.json").write_text(text, encoding="utf-8")
    differing = []
    for name, value in outputs.items():
        golden = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
        if golden != value:
            differing.append(name)
    assert not differing, f"JSON output changed for: {', '.join(differing)}"
    assert len(outputs["digest"]["items"]) >= 20  # the corpus really was ingested
