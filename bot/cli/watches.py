"""``watches add | edit | list | show | remove | export | import`` (``watch`` works too).

The CLI manages the console's watches unless ``--workspace slack:T123`` (or ``discord:GUILD``)
names a chat workspace.  ``newsbot watch add hbm HBM 고대역폭메모리 -주가``: a dashed word
excludes, it is no option.  The rules are :mod:`bot.services.watches`, the same as chat's.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.common import UsageError, language, out, say, write_output
from bot.present.problems import os_reason_text
from bot.present.terminal import print_reply
from bot.present.watches import (
    confirm_command,
    list_reply,
    proposal_reply,
    saved_reply,
    show_reply,
)
from bot.services import watch_sharing, watches
from bot.services.context import ServiceContext
from bot.services.errors import UserError
from bot.services.watches import CONSOLE, REAPPLY_DAYS, Workspace

USER = "cli"


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument(
        "--workspace",
        metavar="PLATFORM:ID",
        default="console:",
        help="whose watches: console: (default), slack:TEAM or discord:GUILD",
    )
    # ``newsbot watches ACTION`` is the form DESIGN names; ``newsbot watch ACTION`` stays.
    p = sub.add_parser("watch", parents=[common], help="watches: topics you define")
    wsub = p.add_subparsers(dest="watch_command", required=True, metavar="ACTION")
    _add_actions(wsub, common, where)
    p = sub.add_parser(
        "watches", parents=[common], help="watches: topics you define; share them as TOML"
    )
    xsub = p.add_subparsers(dest="watches_command", required=True, metavar="ACTION")
    _add_actions(xsub, common, where)
    _add_sharing(xsub, common, where)


def _add_actions(
    wsub: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
    where: argparse.ArgumentParser,
) -> None:
    """add, edit, list, show and remove: the same handlers under ``watch`` and ``watches``."""
    for action, text in (("add", "add a watch"), ("edit", "change a watch's words")):
        a = wsub.add_parser(action, parents=[common, where], help=text)
        a.add_argument("name", metavar="NAME", help="the watch's name")
        a.add_argument("query", nargs="*", metavar="TERM", help="terms; -word excludes")
        a.add_argument("--yes", action="store_true", help="save (without it: the preview only)")
        a.set_defaults(func=cmd_save, edit=action == "edit", dashed_words=True)
    a = wsub.add_parser("list", parents=[common, where], help="the watches")
    a.set_defaults(func=cmd_list, reads=True)
    a = wsub.add_parser("show", parents=[common, where], help="a watch and its preview")
    a.add_argument("name", metavar="NAME", help="the watch's name")
    a.set_defaults(func=cmd_show, reads=True)
    a = wsub.add_parser("remove", parents=[common, where], help="remove a watch")
    a.add_argument("name", metavar="NAME", help="the watch's name")
    a.set_defaults(func=cmd_remove, reads=True)


def _add_sharing(
    xsub: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
    where: argparse.ArgumentParser,
) -> None:
    a = xsub.add_parser("export", parents=[common, where], help="print the watches as TOML")
    a.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead")
    a.set_defaults(func=cmd_export, reads=True)
    a = xsub.add_parser("import", parents=[common, where], help="add or replace from TOML")
    a.add_argument("file", metavar="FILE", help="a file written by export (- for stdin)")
    a.set_defaults(func=cmd_import)


def _workspace(raw: str) -> Workspace:
    platform, _, ident = raw.partition(":")
    if platform not in ("console", "slack", "discord"):
        raise UsageError("cli.bad_workspace", option="--workspace", value=repr(raw))
    return Workspace(platform, ident) if platform != "console" else CONSOLE


def _user(app: ServiceContext) -> str:
    """The CLI acts as the operator; with NEWSBOT_ADMINS set it acts as the first admin."""
    return app.settings.admins[0] if app.settings.admins else USER


def cmd_save(app: ServiceContext, args: argparse.Namespace) -> int:
    if not args.query:
        raise UsageError("watch.no_terms", option="watch")
    space, tz = _workspace(args.workspace), app.settings.timezone
    change = watches.WatchChange(space, args.name, args.query, _user(app), args.edit)
    try:
        if not args.yes:  # the preview; nothing is saved
            proposal = watches.propose(app, change)
            print_reply(out, proposal_reply(proposal, tz, language(), button=False))
            command = f"newsbot watches {confirm_command(proposal).removeprefix('watch ')}"
            if space != CONSOLE:  # the console's watches are the default
                command += f" --workspace {args.workspace}"
            out.print(say("watch.confirm_cli", command=command), highlight=False, markup=False)
            return 0
        saved = watches.save(app, change)
    except UserError as exc:
        if exc.key == "watch.exists":  # chat's hint names /news; here, the CLI's command
            raise UserError("watch.exists_cli", option=exc.option, **exc.params) from None
        raise
    print_reply(out, saved_reply(saved, tz, language(), REAPPLY_DAYS))
    return 0


def cmd_list(app: ServiceContext, args: argparse.Namespace) -> int:
    listed = watches.list_watches(app, _workspace(args.workspace))
    print_reply(out, list_reply(listed, language(), cli=True))
    return 0


def cmd_show(app: ServiceContext, args: argparse.Namespace) -> int:
    found = watches.get(app, _workspace(args.workspace), args.name)
    preview = watches.preview(app, found.name, watches.spec_of(found), topic=found.topic)
    print_reply(out, show_reply(found, preview, app.settings.timezone, language()))
    return 0


def cmd_remove(app: ServiceContext, args: argparse.Namespace) -> int:
    removed = watches.remove(app, _workspace(args.workspace), args.name, user=_user(app))
    out.print(say("watch.removed", name=removed.name), highlight=False, markup=False)
    return 0


def cmd_export(app: ServiceContext, args: argparse.Namespace) -> int:
    text = watch_sharing.export_toml(app, _workspace(args.workspace))
    if args.output:
        write_output(args.output, text.encode("utf-8"))
    else:
        sys.stdout.write(text)
    return 0


def cmd_import(app: ServiceContext, args: argparse.Namespace) -> int:
    try:
        raw = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError("stories.no_file", option="watches import", path=args.file) from None
    except OSError as exc:
        reason = os_reason_text(exc, language())
        raise UsageError(
            "cli.in_file", option="watches import", path=args.file, reason=reason
        ) from None
    except UnicodeDecodeError:
        raise UsageError("cli.not_utf8", option="watches import", path=args.file) from None
    saved = watch_sharing.import_toml(app, _workspace(args.workspace), raw, user=_user(app))
    for s in saved:
        verb = say("cli.watch_added_verb" if s.created else "cli.watch_replaced_verb")
        line = say("cli.watch_imported", verb=verb, name=s.watch.name, n=s.after, days=REAPPLY_DAYS)
        out.print(line, highlight=False, markup=False)
    return 0
