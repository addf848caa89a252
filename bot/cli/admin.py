"""``config`` and ``db upgrade``."""

from __future__ import annotations

import argparse
import sys

from rich.console import Console
from rich.table import Table

from bot.cli.common import add_format, out, print_json, say
from bot.core.redact import redact_url
from bot.services.context import ServiceContext
from bot.store import engine as db

WHOLE = 10_000  # the width a piped table is laid out in: wide enough for any setting's value


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser("config", parents=[common], help="settings, secrets redacted")
    add_format(p, help="text (default) or json")
    p.set_defaults(func=cmd_config, needs_db=False)

    p = sub.add_parser("db", parents=[common], help="database chores")
    dbsub = p.add_subparsers(dest="db_command", required=True, metavar="upgrade")
    up = dbsub.add_parser("upgrade", parents=[common], help="run the migrations up to the latest")
    up.set_defaults(func=cmd_db_upgrade)


def cmd_config(app: ServiceContext, args: argparse.Namespace) -> int:
    if args.format == "json":
        print_json(app.settings.as_json())
        return 0
    rows = app.settings.redacted()
    table = Table(show_lines=False)
    for column in say("cli.config.columns").split("|"):  # whole values, folded when narrow
        table.add_column(column, overflow="fold")
    words = {  # bot.config.shown's fixed words, in this run's language (JSON keeps them)
        "(not set)": say("cli.config.not_set"),
        "(everyone)": say("cli.config.everyone"),
        "<redacted>": say("cli.config.redacted"),
        "0 (off)": say("cli.config.off"),
        "default": say("cli.config.default"),
    }
    for name, value, source in rows:
        table.add_row(name, words.get(value, value), words.get(source, source))
    # a terminal gets its own width (long values folded); a pipe gets every name and value
    # whole, one row a line, so `newsbot config | grep NAME` finds it
    whole = out if out.is_terminal else Console(file=sys.stdout, width=WHOLE, highlight=False)
    whole.print(table)
    return 0


def cmd_db_upgrade(app: ServiceContext, args: argparse.Namespace) -> int:
    engine = db.make_engine(app.settings.database_url)
    try:
        before = db.current_revision(engine)
        db.upgrade(engine)
        after = db.current_revision(engine)
    finally:
        engine.dispose()
    where = redact_url(app.settings.database_url)
    if before == after:
        out.print(say("cli.db_current", where=where, after=after), highlight=False)
    else:
        before = before or say("cli.db_empty")
        out.print(say("cli.db_upgraded", where=where, before=before, after=after), highlight=False)
    return 0
