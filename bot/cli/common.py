"""Helpers shared by the command-line commands."""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from bot.present.i18n import t
from bot.present.problems import os_reason_text
from bot.present.reply import Reply
from bot.services.errors import UserError

if TYPE_CHECKING:
    from bot.services.context import ServiceContext

out = Console(highlight=False, soft_wrap=True)  # long lines stay whole when piped
err = Console(stderr=True, highlight=False, soft_wrap=True)  # one line per message


# the language of this run's lines (NEWSBOT_LANGUAGE; main() sets it once the settings are read)
_language = ["ko"]


def set_language(lang: str) -> None:
    _language[0] = lang


def language() -> str:
    return _language[0]


def say(key: str, **values: object) -> str:
    """The catalog's message ``key`` (:mod:`bot.present.i18n`) in this run's language."""
    return t(key, _language[0], **values)


def add_format(p: argparse.ArgumentParser, **extra: Any) -> None:
    """The ``--format text|json`` option (text by default) of a command that can print JSON."""
    p.add_argument("--format", choices=("text", "json"), default="text", **extra)


def add_labelled_command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
    name: str,
    *,
    help: str,
    labels: tuple[str, str],
) -> argparse.ArgumentParser:
    """An ``eval``-like command: a labelled set (``labels``: its metavar and help) and
    ``--format``."""
    p = sub.add_parser(name, parents=[common], help=help)
    p.add_argument("labels", metavar=labels[0], help=labels[1])
    add_format(p)
    return p


def add_poll_options(p: argparse.ArgumentParser, name_help: str) -> None:
    """``--name`` and ``--interval`` of a polled source's ``add``."""
    p.add_argument("--name", metavar="N", help=name_help)
    p.add_argument("--interval", metavar="DURATION", help="poll interval, e.g. 15m (default 15m)")


def add_list_remove(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
    noun: str,
    list_help: str,
    funcs: tuple[Callable[..., int], Callable[..., int]],
) -> None:
    """The ``list`` (with ``--format``) and ``remove ID`` actions of a kind of polled source
    (``noun``: feed or source; ``funcs``: list's, then remove's)."""
    a = sub.add_parser("list", parents=[common], help=list_help)
    add_format(a)
    a.set_defaults(func=funcs[0], reads=True)  # a mistyped --db is refused, not created
    a = sub.add_parser("remove", parents=[common], help=f"remove a {noun} (its items are kept)")
    a.add_argument(f"{noun}_id", metavar="ID", help=f"the {noun}'s id, as `{noun}s list` shows it")
    a.set_defaults(func=funcs[1], reads=True)


class UsageError(UserError):
    """A bad argument: a catalog key and its values, printed as one line, exit status 2."""


def os_error(exc: OSError) -> str:
    """An operating-system error in this run's language: the usual ones (no such file, a
    folder, no permission) in their own lines, the rest as the path and the catalog's reason."""
    path = exc.filename or ""
    if isinstance(exc, FileNotFoundError):
        return say("cli.no_path", path=path)
    if isinstance(exc, IsADirectoryError):
        return say("cli.is_directory", path=path)
    if isinstance(exc, PermissionError):
        return say("cli.no_permission", path=path)
    reason = os_reason_text(exc, language())
    return f"{path}: {reason}" if path else reason


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def show(fmt: str, data: Callable[[], Any], reply: Callable[[], Reply]) -> None:
    """``--format json``: the JSON contract ``data()``; text: the reply, as in the console."""
    if fmt == "json":
        print_json(data())
    else:
        from bot.present.terminal import print_reply

        print_reply(out, reply())


def warn(message: str) -> None:
    """One warning line on stderr (whole, even when piped)."""
    err.print(f"warning: {message}", highlight=False, markup=False, soft_wrap=True)


@contextmanager
def progress_bar(label: str, enabled: bool = True) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr when it is a terminal; a no-op callback otherwise."""
    if not enabled or not err.is_terminal:
        yield lambda done, total: None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def write_output(output: str, data: bytes) -> str:
    """Write ``-o FILE`` and return how to name it in a message.

    ``-`` is stdout. A device, a FIFO or a socket (or a link to one) is written through, as
    ``cat > FILE`` would: it is never replaced. A regular file (or a new one) is replaced
    atomically, the whole file or the old one, never half; a link to a regular file replaces
    the file it points to, not the link. A missing folder is a :class:`UsageError`."""
    if output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return "stdout"
    target = Path(output)
    try:
        mode = target.stat().st_mode  # follows links
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        reason = os_reason_text(exc, language())
        raise UsageError("cli.cannot_write", option="-o", path=output, reason=reason) from None
    if mode is not None and not stat.S_ISREG(mode):
        if stat.S_ISDIR(mode):
            raise UsageError("cli.is_directory", option="-o", path=output)
        try:
            with open(target, "wb") as fh:  # a device or FIFO: write through, never replace
                fh.write(data)
        except OSError as exc:
            reason = os_reason_text(exc, language())
            raise UsageError("cli.cannot_write", option="-o", path=output, reason=reason) from None
        return str(target)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    _replace_atomically(target, data)
    return output


def _replace_atomically(target: Path, data: bytes) -> None:
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError("cli.no_directory", option="-o", path=folder)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as open() would make it (mkstemp's is 0600)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def loading_model(app: ServiceContext) -> None:
    """Load the Korean model now, with a spinner on stderr when it is a terminal (it takes a
    few seconds, before any progress bar of the command starts)."""
    if app.loaded("analyser") or not err.is_terminal:
        return
    with err.status(say("cli.loading_model"), spinner="dots"):
        app.analyser  # noqa: B018 (loaded for its side effect)
