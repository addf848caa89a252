"""The console adapter: ``newsbot console`` reads ``/news …`` lines and prints the replies.

It is also the simplest harness for the commands core: :func:`run_lines` feeds lines and returns
what a user would have seen.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from bot.chat.commands import Commands, Context
from bot.present.i18n import t
from bot.present.plain import render_plain
from bot.present.problems import os_reason_text
from bot.present.reply import Image

PROMPT = "newsbot> "


def console_context(lang: str = "ko", channel: str = "console", user: str = "console") -> Context:
    return Context(platform="console", workspace="", channel=channel, user=user, lang=lang)


def answer(commands: Commands, line: str, ctx: Context, files: Path | None = None) -> str | None:
    """The printed answer to one line, or None for a blank line.  A reply's picture is saved
    where the line's ``-o FILE`` says (``/news trend apec -o apec.png``, as ``newsbot trend
    -o``), else in ``files`` (``newsbot console -o``: a folder, or one file for every picture;
    default: the current folder) under its own name (``trend.png``, replaced by the next one),
    and the answer says where."""
    line = line.strip()
    if not line:
        return None
    line, target = take_output(line)
    reply = commands.handle(line, ctx)
    text = render_plain(reply)
    if reply.image is not None:
        where = Path(target) if target else (files or Path("."))
        try:
            path = save_image(reply.image, where)
        except OSError as exc:
            if isinstance(exc, FileNotFoundError) and exc.filename:  # the folder is missing
                reason = t("cli.no_directory", ctx.lang, path=exc.filename)
            else:
                reason = os_reason_text(exc, ctx.lang)
            return text + "\n" + t("console.not_saved", ctx.lang, path=where, reason=reason)
        text += "\n" + t("console.image", ctx.lang, path=path, kb=len(reply.image.data) // 1024)
    return text


def take_output(line: str) -> tuple[str, str | None]:
    """``line`` without its ``-o FILE`` / ``--output FILE`` / ``--output=FILE``, and FILE."""
    words = line.split()
    for n, word in enumerate(words):
        if word in ("-o", "--output") and n + 1 < len(words):
            return " ".join(words[:n] + words[n + 2 :]), words[n + 1]
        if word.startswith("--output="):
            return " ".join(words[:n] + words[n + 1 :]), word.split("=", 1)[1]
    return line, None


def save_image(image: Image, where: Path) -> Path:
    """Write ``image`` to ``where`` (a folder: under the image's own name), whole or not at all;
    a missing folder is an :class:`OSError`."""
    target = where / image.filename if where.is_dir() else where
    if not target.parent.is_dir():
        raise FileNotFoundError(2, "no such directory", str(target.parent))
    partial = target.with_name(f".{target.name}.tmp")
    partial.write_bytes(image.data)
    partial.replace(target)
    return target.absolute()


def run_lines(
    commands: Commands,
    lines: Iterable[str],
    ctx: Context,
    out: TextIO,
    files: Path | None = None,
) -> None:
    for line in lines:
        if line.strip().lower() in ("quit", "exit", "/quit"):
            break
        text = answer(commands, line, ctx, files)
        if text is not None:
            out.write(text + "\n")
            out.flush()


def repl(
    commands: Commands,
    ctx: Context,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
    files: Path | None = None,
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

    run_lines(commands, lines(), ctx, out, files)
