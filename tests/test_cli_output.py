"""``-o`` (issue 27, failure 9): ``-`` is stdout, a FIFO or device is written through and kept,
only a regular file is replaced atomically; the same writer for ``trend``, ``feeds export`` and
``watches export``."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from bot.cli import main
from bot.present.i18n import t
from tests.helpers import run_cli

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'out.db'}"
    assert (
        main(
            [
                "feeds",
                "add",
                "https://example.com/rss.xml",
                "--name",
                "예시",
                "--no-check",
                "--db",
                url,
            ]
        )
        == 0
    )
    assert main(["watch", "add", "hbm", "HBM", "고대역폭메모리", "--yes", "--db", url]) == 0
    return url


def read_fifo(path: Path) -> tuple[threading.Thread, list[bytes]]:
    """A reader on the FIFO, as a shell's ``cat FIFO`` would be."""
    got: list[bytes] = []

    def reader() -> None:
        with open(path, "rb") as fh:
            got.append(fh.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    return thread, got


def test_dash_writes_to_stdout_and_makes_no_file(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(["feeds", "export", "-o", "-", "--db", db], capsys)
    assert code == 0, err
    assert "https://example.com/rss.xml" in out and out.lstrip().startswith("<?xml")
    code, out, err = run_cli(["watches", "export", "-o", "-", "--db", db], capsys)
    assert code == 0, err
    assert '[watches."hbm"]' in out
    assert not (tmp_path / "-").exists()


def test_trend_png_to_stdout(
    db: str,
    tmp_path: Path,
    capfdbinary: pytest.CaptureFixture[bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["trend", "-o", "-", "--db", db]) == 0
    captured = capfdbinary.readouterr()
    assert captured.out.startswith(PNG_MAGIC)  # the picture alone: the figures go to stderr
    assert not (tmp_path / "-").exists()
    assert main(["trend", "-o", "-", "--format", "json", "--db", db]) == 2
    assert t("cli.two_stdouts", "ko").encode() in capfdbinary.readouterr().err


@pytest.mark.parametrize(
    "command", [["trend"], ["feeds", "export"], ["watches", "export"]], ids=lambda c: c[0]
)
def test_a_fifo_is_written_through_and_stays_a_fifo(
    command: list[str], db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    thread, got = read_fifo(fifo)
    code, _, err = run_cli([*command, "-o", str(fifo), "--db", db], capsys)
    thread.join(timeout=30)
    assert code == 0, err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # not replaced by a regular file
    [data] = got
    expected = {"trend": PNG_MAGIC, "feeds": b"<?xml", "watches": b'[watches."hbm"]'}[command[0]]
    assert expected in data[:200]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.db", "pipe"]  # no temp file left


def test_a_regular_file_is_replaced_whole_and_a_link_keeps_pointing_at_it(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "real.opml"
    real.write_text("old")
    link = tmp_path / "link.opml"
    link.symlink_to(real)
    code, out, err = run_cli(["feeds", "export", "-o", str(link), "--db", db], capsys)
    assert code == 0, err
    assert link.is_symlink() and "https://example.com/rss.xml" in real.read_text()
    code, _, err = run_cli(["feeds", "export", "-o", str(tmp_path), "--db", db], capsys)
    said = t("cli.is_directory", "ko", path=tmp_path)
    assert code == 2 and err.strip() == f"error: -o: {said}"
