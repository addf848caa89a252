"""``console`` (and, once built, ``serve``)."""

from __future__ import annotations

import argparse
import threading
from pathlib import Path

from bot.services import articles
from bot.services.context import ServiceContext


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "console", parents=[common], help="type the chat commands (/news …) in a terminal"
    )
    p.add_argument(
        "--channel", default="console", help="the channel name subscriptions are kept under"
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="where pictures (/news trend) go: a folder, or one file for every picture "
        "(default: trend.png in the current folder); a line's own -o FILE wins",
    )
    p.set_defaults(func=cmd_console)
    register_serve(sub, common)


def cmd_console(app: ServiceContext, args: argparse.Namespace) -> int:
    from bot.chat.commands import Commands
    from bot.chat.console import console_context, repl

    articles.catch_up(app)
    commands = Commands(app)
    files = Path(args.output) if args.output else None
    repl(commands, console_context(app.settings.language, channel=args.channel), files=files)
    return 0


def register_serve(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "serve", parents=[common], help="the chat adapters whose tokens are set, plus the scheduler"
    )
    p.add_argument("--port", type=int, default=None, help="HTTP port (default NEWSBOT_HTTP_PORT)")
    p.set_defaults(func=cmd_serve)


def cmd_serve(app: ServiceContext, args: argparse.Namespace) -> int:
    if args.port is not None and not 0 < args.port < 65536:
        from bot.cli.common import UsageError

        raise UsageError("cli.bad_port", option="--port")
    # the Korean model starts loading first: half of its load (kiwi's first analysis) lets
    # other threads run, so the imports below and the migrations go on meanwhile (serve waits
    # for it before opening its port: see bot.runtime.serve)
    threading.Thread(target=lambda: app.analyser, name="newsbot-model", daemon=True).start()
    from bot.runtime.serve import run_serve

    return run_serve(app, port=args.port)
