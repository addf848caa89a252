"""The console adapter: ``newsbot console`` reads ``/news …`` lines and prints the replies.

It is also the simplest harness for the commands core: :func:`run_lines` feeds lines and returns
what a user would have seen.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from bot.chat.commands import Commands, Context
from bot.present.i18n import t
from bot.present.plain import render_plain
from bot.present.reply import Image

PROMPT = "newsbot> "


def console_context(lang: str = "ko", channel: str = "console", user: str = "console") -> Context:
    return Context(platform="console", workspace="", channel=channel, user=user, lang=lang)


def answer(commands: Commands, line: str, ctx: Context, files: Path | None = None) -> str | None:
    """The printed answer to one line, or None for a blank line.  A reply's picture is written
    to a new file in ``files`` (default: ``newsbot`` in the temporary directory), and the
    answer says where."""
    line = line.strip()
    if not line:
        return None
    reply = commands.handle(line, ctx)
    text = render_plain(reply)
    if reply.image is not None:
        path = save_image(reply.image, files or Path(tempfile.gettempdir()) / "newsbot")
        text += "\n" + t("console.image", ctx.lang, path=path, kb=len(reply.image.data) // 1024)
    return text


def save_image(image: Image, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stem, dot, ext = image.filename.rpartition(".")
    with tempfile.NamedTemporaryFile(
        dir=folder, prefix=(stem or "image") + "-", suffix=dot + ext, delete=False
    ) as handle:
        handle.write(image.data)
    return Path(handle.name)


def run_lines(commands: Commands, lines: Iterable[str], ctx: Context, out: TextIO) -> None:
    for line in lines:
        if line.strip().lower() in ("quit", "exit", "/quit"):
            break
        text = answer(commands, line, ctx)
        if text is not None:
            out.write(text + "\n")
            out.flush()


def repl(
    commands: Commands, ctx: Context, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout
) -> None:
    interactive = stdin.isatty()

    def lines() -> Iterable[str]:
        while True:
            if interactive:
                out.write(PROMPT)
                out.flush()
            line = stdin.readline()
            if not line:
                return
            yield line

    run_lines(commands, lines(), ctx, out)
