"""The console adapter: ``newsbot console`` reads ``/news …`` lines and prints the replies.

It is also the simplest harness for the commands core: :func:`run_lines` feeds lines and returns
what a user would have seen.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TextIO

from bot.chat.commands import Commands, Context
from bot.present.plain import render_plain

PROMPT = "newsbot> "


def console_context(lang: str = "ko", channel: str = "console", user: str = "console") -> Context:
    return Context(platform="console", workspace="", channel=channel, user=user, lang=lang)


def answer(commands: Commands, line: str, ctx: Context) -> str | None:
    """The printed answer to one line, or None for a blank line."""
    line = line.strip()
    if not line:
        return None
    return render_plain(commands.handle(line, ctx))


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
