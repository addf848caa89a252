"""The README stays true: the quick start is the two commands, every setting is documented."""

from __future__ import annotations

import re

from bot.config.settings import SPECS
from tests.helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_quick_start_is_two_commands() -> None:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    assert block.group(1).strip().splitlines() == ["make demo", "make test"]
    # and each does what the sentence under the block says: the demo, then the test suite
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target, runs in (("demo", "newsbot demo"), ("test", "-m pytest")):
        recipe = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", makefile, re.M)
        assert recipe is not None and runs in recipe.group(1), target


def test_every_setting_is_in_the_configuration_table() -> None:
    table = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    for spec in SPECS:
        assert f"`{spec.env}`" in table, spec.env


def test_makefile_targets_named_in_readme_exist() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in re.findall(r"^make (\w+)", README, re.M):
        assert re.search(rf"^{target}:", makefile, re.M), target


def test_make_demo_installs_the_runtime_only_and_test_adds_the_dev_tools() -> None:
    """`make demo` prints a digest: it needs no pytest, ruff or mypy (hundreds of MB)."""
    import shutil
    import subprocess
    import tomllib

    if shutil.which("make") is None:
        import pytest

        pytest.skip("no make")

    def dry_run(target: str) -> str:  # as if pyproject.toml had just changed
        return subprocess.run(
            ["make", "-n", "-W", "pyproject.toml", target],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip

    demo = dry_run("demo")
    assert "pip install" in demo and "[dev]" not in demo and "newsbot demo" in demo
    for target in ("test", "check"):
        assert "pip install --quiet -e '.[dev]'" in dry_run(target), target
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"  # SPDX: no setuptools deprecation warning
    assert "setuptools>=77" in project["build-system"]["requires"]


def test_make_test_runs_on_the_workers_the_readme_says() -> None:
    """The README: four pytest-xdist workers, and `make test WORKERS=0` in one process."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^WORKERS \?= 4$", makefile, re.M)
    assert "on four pytest-xdist workers" in README and "`make test WORKERS=0`" in README
    for target in ("test", "test-fast"):
        recipe = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", makefile, re.M)
        assert recipe is not None and "-m pytest" in recipe.group(1), target
        assert "-n $(WORKERS)" in recipe.group(1), target
