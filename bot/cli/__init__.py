"""The ``newsbot`` command.  Every command takes ``--db URL`` and ``--debug``.

``newsbot`` alone prints the help, ``--version`` the version, ``newsbot help COMMAND`` a
command's help; Korean command words (``검색``, ``도움말``) work too, and a typo gets "did you
mean" (:mod:`bot.core.commandwords`).

Every line a command prints is in ``NEWSBOT_LANGUAGE`` (Korean by default), from the message
catalog (:mod:`bot.present.i18n`), as chat's replies are; ``--help``, usage lines and argparse's
own errors are English in either language.  ``--format json`` is the same in both.

Errors are one line on stderr with the cause and a non-zero status (2 for bad arguments or
settings, 1 for anything else); a traceback only with ``--debug`` (or
``NEWSBOT_LOG_LEVEL=DEBUG``).  A command that reads stored data refuses a SQLite file that does
not exist, instead of making an empty one (``ingest``, ``db upgrade`` and the commands that add
things create it).

The top layer.  May import: ``core``, ``config``, ``store``, ``ingest``, ``analysis``,
``services``, ``present``, ``chat``, ``delivery``, ``runtime``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from importlib import import_module
from typing import Any

from bot.cli.common import err, language, loading_model, os_error, say, set_language
from bot.core.commandwords import aliases_for, did_you_mean
from bot.present.errors import cli_error_text

# the commands that must analyse text: they load the Korean model first (a spinner on a
# terminal); every other command reads what ingest stored and never loads it
MODEL_COMMANDS = frozenset(
    {"demo", "ingest", "poll", "search", "eval", "eval-clusters", "eval-briefs", "clusters"}
)
COMMAND_MODULES = (
    "bot.cli.articles",
    "bot.cli.evaluation",
    "bot.cli.admin",
    "bot.cli.feeds",
    "bot.cli.sources",
    "bot.cli.watches",
    "bot.cli.trends",
    "bot.cli.chat",
    "bot.cli.completion",
)

# help shared by the options many commands have (each command may say more)
SHARED_HELP = {
    "format": "output: text (default) or json",
    "topic": "a topic id, label or watch name; a prefix such as gpu works when unambiguous "
    "(repeat for several)",
    "since": "24h, 7d, 2025-10-01 or all",
    "limit": "at most this many items",
}


class Parser(argparse.ArgumentParser):
    """argparse, except that an option given the value ``--`` (``--since=--``) gets that value
    (argparse would drop it and hand the command an empty list), and that a wrong choice gets
    "did you mean" (``serch`` -> ``search``)."""

    def _get_values(self, action: argparse.Action, arg_strings: list[str]) -> Any:
        if arg_strings == ["--"] and action.option_strings and action.nargs is None:
            return self._get_value(action, "--")
        return super()._get_values(action, arg_strings)

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is not None and value not in action.choices:
            guess = did_you_mean(str(value), [str(c) for c in action.choices])
            if guess:
                raise argparse.ArgumentError(
                    action, f"invalid choice: {value!r} (did you mean {guess}?)"
                )
        super()._check_value(action, value)


def build_parser() -> argparse.ArgumentParser:
    common = Parser(add_help=False)
    common.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="database URL (default: NEWSBOT_DATABASE_URL, else newsbot.db in the per-user "
        "data folder; `newsbot config` shows it)",
    )
    common.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the traceback of an unexpected error",
    )
    parser = Parser(
        prog="newsbot",
        parents=[common],
        description="Korean-aware news monitoring for Slack and Discord.",
        epilog="`newsbot help COMMAND` or `newsbot COMMAND --help` for a command's options. "
        "Korean command words work too (검색, 요약, 피드, 도움말 ...).",
    )
    parser.add_argument("--version", action="version", version=f"newsbot {version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # a command group not built yet
            raise
        module.register(sub, common)
    h = sub.add_parser("help", parents=[common], help="the help of newsbot or of a command")
    h.add_argument("topic", nargs="*", metavar="COMMAND", help="a command, e.g. feeds add")
    h.set_defaults(func=None, needs_db=False)
    for word, name in aliases_for(sub.choices).items():  # 검색 = search, shown nowhere
        sub.choices[word] = sub.choices[name]
    _fill_shared_help(parser)
    return parser


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("newsbot")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"


def _fill_shared_help(parser: argparse.ArgumentParser) -> None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in set(action.choices.values()):
                _fill_shared_help(child)
        elif not action.help and action.dest in SHARED_HELP:
            action.help = SHARED_HELP[action.dest]


def _print_help(parser: argparse.ArgumentParser, words: list[str]) -> int:
    """``newsbot help feeds add``: that command's help (exit 2 when there is no such command)."""
    target = parser
    for word in words:
        sub = next((a for a in target._actions if isinstance(a, argparse._SubParsersAction)), None)
        if sub is None or word not in sub.choices:
            choices = list(sub.choices) if sub else []
            guess = did_you_mean(word, choices)
            # an error line: in NEWSBOT_LANGUAGE, as every error line of newsbot's own is
            hint = say("cli.did_you_mean", guess=guess) if guess else ""
            line = say("cli.no_command", word=word, hint=hint)
            err.print(f"error: {line}", highlight=False, markup=False)
            return 2
        target = sub.choices[word]
    target.print_help()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    from bot.config.settings import Settings, SettingsError
    from bot.core.problem import Problem
    from bot.present.problems import problem_text, settings_error_text

    set_language(_language_of_env())
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:  # `newsbot` alone: what it can do, not an error
        parser.print_help()
        return 0
    args, extra = parser.parse_known_args(argv)
    if getattr(args, "func", "") is None:  # `newsbot help [COMMAND...]`
        return _print_help(parser, args.topic)
    if extra:  # `newsbot search 엔비디아 -주가`: a dashed word excludes, it is no option
        if getattr(args, "dashed_words", False) and all(_dashed_word(w) for w in extra):
            args.query = [*args.query, *extra]
        else:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        settings = Settings.from_env()
    except SettingsError as exc:  # in NEWSBOT_LANGUAGE when it is readable, else Korean
        err.print(f"error: {settings_error_text(exc, language())}", highlight=False, markup=False)
        return 2
    set_language(settings.language)
    logging.basicConfig(
        level=settings.log_level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in (
        "httpx",
        "httpcore",
        "alembic",
        "discord",
        "slack_bolt",
        "slack_sdk",
        "apscheduler",
        "aiohttp.access",
        "matplotlib",
    ):
        logging.getLogger(noisy).setLevel(
            max(logging.WARNING, logging.getLevelName(settings.log_level))
        )
    # "skipped: maximum number of running instances reached" is expected while a long delivery
    # runs (the job never overlaps itself); APScheduler's errors still show
    logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
    given = getattr(args, "db", None)  # `--db ""` is a bad argument, not "no --db"
    url = given if given is not None else getattr(args, "default_db", None)
    if url is not None:
        try:
            checked = _check_url(url)
        except Problem as exc:
            line = say("setting.db_option", problem=problem_text(exc, language()))
            err.print(f"error: {line}", highlight=False, markup=False)
            return 2
        if given is not None:  # `newsbot config` says where the database came from
            settings = replace(
                settings,
                database_url=checked,
                sources={**settings.sources, "database_url": "--db"},
            )
        else:  # the demo's own database
            settings = replace(settings, database_url=checked)
    return run(args, settings)


def _language_of_env() -> str:
    """The language before the settings are read (their own errors): NEWSBOT_LANGUAGE when it
    is one, else the default."""
    raw = os.environ.get("NEWSBOT_LANGUAGE", "").strip().lower()
    return raw if raw in ("ko", "en") else "ko"


def _dashed_word(word: str) -> bool:
    return word.startswith("-") and not word.startswith("--") and len(word) > 1


def _check_url(url: str) -> str:
    from bot.config.values import parse_db_url

    return parse_db_url(url)


def run(args: argparse.Namespace, settings: object) -> int:
    from sqlalchemy.exc import OperationalError, SQLAlchemyError

    from bot.config.settings import Settings
    from bot.config.topics import TopicsError
    from bot.ingest.seeds import MissingPathError
    from bot.present.problems import topics_error_text
    from bot.runtime.app import App
    from bot.services.errors import NotFound, UserError

    assert isinstance(settings, Settings)
    debug = (
        getattr(args, "debug", False)
        or settings.log_level == "DEBUG"
        or os.environ.get("NEWSBOT_TRACEBACK")
    )
    missing = missing_sqlite(settings.database_url) if getattr(args, "reads", False) else None
    if missing:
        err.print(f"error: {say('cli.no_database', path=missing)}", highlight=False, markup=False)
        return 2
    app = App(settings)
    try:
        if getattr(args, "command", None) in MODEL_COMMANDS:
            loading_model(app)
        return int(args.func(app, args) or 0)
    except UserError as exc:  # and UsageError, a bad argument
        err.print(f"error: {cli_error_text(exc, language())}", highlight=False, markup=False)
        return 1 if isinstance(exc, NotFound) else 2
    except MissingPathError as exc:
        err.print(f"error: {say('cli.no_path', path=exc)}", highlight=False, markup=False)
        return 2
    except TopicsError as exc:
        reason = topics_error_text(exc, language())
        err.print(f"error: {say('cli.topics_file', reason=reason)}", highlight=False, markup=False)
        return 2
    except KeyboardInterrupt:
        err.print(say("cli.interrupted"), highlight=False)
        return 130
    except OperationalError as exc:
        if debug:
            raise
        cause = _db_cause(exc)
        err.print(f"error: {say('cli.database', cause=cause)}", highlight=False, markup=False)
        return 1
    except SQLAlchemyError as exc:
        if debug:
            raise
        cause = f"{exc.__class__.__name__}: {_db_cause(exc)}"
        err.print(f"error: {say('cli.database', cause=cause)}", highlight=False, markup=False)
        return 1
    except OSError as exc:
        if debug:
            raise
        err.print(f"error: {os_error(exc)}", highlight=False, markup=False)
        return 1
    except Exception as exc:  # anything else: one line with the cause, the traceback on request
        if debug:
            raise
        cause = " ".join(str(exc).split())[:300]
        line = say("cli.unexpected", kind=exc.__class__.__name__, cause=cause)
        err.print(f"error: {line}", highlight=False, markup=False)
        return 1
    finally:
        app.close()


def missing_sqlite(url: str) -> str | None:
    """The path of a SQLite file ``url`` names that does not exist (None: it exists, or it is
    not a SQLite file)."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:
        return None
    path = parsed.database
    if parsed.get_backend_name() != "sqlite" or not path or path == ":memory:":
        return None
    return None if os.path.exists(path) else path


def _db_cause(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__
