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
    assert block.group(1).split("\n")[:2] == ["make demo", "make test"]
    assert block.group(1).strip().splitlines() == ["make demo", "make test"]


def test_every_setting_is_in_the_configuration_table() -> None:
    table = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    for spec in SPECS:
        assert f"`{spec.env}`" in table, spec.env


def test_makefile_targets_named_in_readme_exist() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in re.findall(r"^make (\w+)", README, re.M):
        assert re.search(rf"^{target}:", makefile, re.M), target
