"""``console`` (and, once built, ``serve``)."""

from __future__ import annotations

import argparse

from bot.app import App


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "console", parents=[common], help="type the chat commands (/news …) in a terminal"
    )
    p.add_argument(
        "--channel", default="console", help="the channel name subscriptions are kept under"
    )
    p.set_defaults(func=cmd_console)


def cmd_console(app: App, args: argparse.Namespace) -> int:
    from bot.chat.console_adapter import console_context, repl
    from bot.commands import Commands

    app.pipeline.process_pending()
    commands = Commands(app)
    repl(commands, console_context(app.settings.language, channel=args.channel))
    return 0
