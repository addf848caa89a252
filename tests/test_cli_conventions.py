"""What a newcomer expects of a command line (gh, git, httpie): ``--version``, help when run
alone, help on every option, a completion script, Korean command words and "did you mean"."""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import build_parser
from tests.helpers import ROOT, run_cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def parsers(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ("newsbot",)
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                if name.isascii():  # a Korean alias is the same parser again
                    yield from parsers(child, (*path, name))


def test_version_and_newsbot_alone(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        run_cli(["--version"], capsys)
    assert done.value.code == 0
    assert re.fullmatch(r"newsbot \d+\.\d+\S*\n", capsys.readouterr().out)

    code, out, err = run_cli([], capsys)  # not "the following arguments are required"
    assert code == 0 and err == ""
    assert out.startswith("usage: newsbot") and "digest" in out and "completion" in out


def test_every_option_and_positional_says_what_it_is() -> None:
    missing = [
        f"{' '.join(path)} {action.option_strings or action.dest}"
        for path, parser in parsers(build_parser())
        for action in parser._actions
        if not isinstance(action, argparse._SubParsersAction | argparse._HelpAction)
        and (not action.help or action.help == argparse.SUPPRESS)
    ]
    assert missing == []
    for path, parser in parsers(build_parser()):
        sub = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        for action in sub:  # each sub-command has a line in its parent's help
            listed = {choice.dest for choice in action._choices_actions}
            assert listed == {n for n in action.choices if n.isascii()}, path


def test_help_names_a_command_and_corrects_a_typo(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run_cli(["help", "feeds", "add"], capsys)
    assert code == 0 and out.startswith("usage: newsbot feeds add") and "--interval" in out
    code, out, _ = run_cli(["도움말", "feeds"], capsys)  # the Korean word for help
    assert code == 0 and out.startswith("usage: newsbot feeds")
    code, _, err = run_cli(["help", "serch"], capsys)  # an error line: NEWSBOT_LANGUAGE's
    assert code == 2 and err.strip() == "error: 'serch' 명령은 없습니다 (혹시 search?)"
    monkeypatch.setenv("NEWSBOT_LANGUAGE", "en")
    code, _, err = run_cli(["help", "serch"], capsys)
    assert code == 2 and err.strip() == "error: no command 'serch' (did you mean search?)"


@pytest.mark.parametrize(
    ("argv", "typo", "guess"),
    [
        (["serch", "x"], "serch", "search"),
        (["feeds", "lsit"], "lsit", "list"),
        (["digst"], "digst", "digest"),
    ],
)
def test_a_typo_gets_did_you_mean(
    argv: list[str], typo: str, guess: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        run_cli(argv, capsys)
    err = capsys.readouterr().err
    assert done.value.code == 2
    assert err.splitlines()[-1].endswith(f"invalid choice: {typo!r} (did you mean {guess}?)")


def test_korean_command_words_run_the_command(
    seeded_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    english = run_cli(["search", "엔비디아", "--db", seeded_url], capsys)
    korean = run_cli(["검색", "엔비디아", "--db", seeded_url], capsys)
    assert english[0] == korean[0] == 0 and korean[1] == english[1] and "엔비디아" in korean[1]
    assert run_cli(["주제"], capsys)[1] == run_cli(["topics"], capsys)[1]


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_bash_completion_offers_commands_and_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, script, _ = run_cli(["completion", "bash"], capsys)
    assert code == 0
    (tmp_path / "newsbot.bash").write_text(script, encoding="utf-8")

    def complete(*words: str) -> list[str]:
        line = " ".join(f"'{w}'" for w in words)
        probe = (
            f"source {tmp_path / 'newsbot.bash'}; COMP_WORDS=(newsbot {line}); "
            f"COMP_CWORD={len(words)}; _newsbot; printf '%s\\n' \"${{COMPREPLY[@]}}\""
        )
        done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True)
        return done.stdout.split()

    assert complete("fee") == ["feeds"]
    assert complete("feeds", "") == [
        "add",
        "list",
        "remove",
        "share",
        "unshare",
        "enable",
        "import",
        "export",
    ]
    assert complete("--db", "x.db", "digest", "--s") == ["--since"]
    assert "--minhash-only" in complete("eval-clusters", "--")
    code, zsh, _ = run_cli(["completion", "zsh"], capsys)
    assert zsh.startswith("#compdef newsbot") and "_newsbot" in zsh


def test_the_readme_command_lines_agree_with_the_help() -> None:
    """Each `newsbot X ...` line of the README's command list names only options X has, and
    `eval` takes what the README says it takes."""
    block = README.split("## Commands", 1)[1].split("```", 2)[1]
    tree = dict(parsers(build_parser()))
    for line in block.strip().splitlines():
        segments = line.split("  ", 1)[0].split(" | ")  # `feeds add URL … | list | remove ID`
        parent: tuple[str, ...] = ("newsbot",)
        for number, segment in enumerate(segments):
            path = parent
            for word in segment.split()[1 if number == 0 else 0 :]:
                first = word.split("|", 1)[0]  # `watch add|edit NAME`
                if (*path, first) not in tree:
                    break
                path = (*path, first)
            if number == 0:
                parent = path[:-1]
            options = {o for a in tree[path]._actions for o in a.option_strings}
            said = set(re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", segment))
            assert path != ("newsbot",), line
            assert said <= options | {"-WORD"}, (line, said - options)
    usage = tree[("newsbot", "eval")].format_usage()
    assert "LABELS.jsonl|FOLDER" in usage and "LABELS.jsonl|FOLDER" in block
