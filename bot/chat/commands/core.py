"""The commands core: ``/news <sub-command> …`` to a platform-neutral :class:`Reply`.

No Slack or Discord imports here.  Adapters pass the text after ``/news`` and a
:class:`Context` (who and where), and render the reply; they decide nothing.  Each sub-command
lives in a module of this package by feature and is registered with :func:`command`; it turns
its words into a call of a service (:mod:`bot.services`) and the result into a reply.

A mistake in the arguments gets one line in the user's language (a usage line, or what the
service said was wrong), never a traceback; an unexpected failure is logged as one line with its
cause and answered with a short apology.  Everything here blocks (SQL, kiwi): async adapters call
:meth:`Commands.handle` through ``asyncio.to_thread``.
"""

from __future__ import annotations

import logging
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.commandwords import aliases_for, did_you_mean, resolve
from bot.core.logcause import busy, cause
from bot.present.errors import error_text
from bot.present.i18n import t
from bot.present.reply import Reply, error
from bot.services.errors import UserError
from bot.services.topics import Catalog
from bot.store.views import Place

if TYPE_CHECKING:
    from bot.services.context import ServiceContext

log = logging.getLogger(__name__)


def workspace_of(team: object, user: object) -> str:
    """The workspace of a chat request: its team / guild id; a direct message (no team or
    guild) is its user's own workspace, ``dm:<user id>``, never one shared by every DM."""
    team_id = str(team or "").strip()
    return team_id if team_id else f"dm:{str(user or '').strip()}"


@dataclass(frozen=True, slots=True)
class Context:
    platform: str  # slack | discord | console
    workspace: str  # team / guild id; "dm:<user>" for a direct message; "" on the console
    channel: str
    user: str
    lang: str = "ko"

    @property
    def place(self) -> Place:
        return Place(self.platform, self.workspace, self.channel)

    @property
    def tenant(self) -> str | None:
        """Whose feeds this request reads and owns (:attr:`Place.tenant`)."""
        return self.place.tenant


Handler = Callable[["Commands", list[str], Context], Reply]
Public = bool | Callable[[list[str]], bool]  # or decided by the words after the command
Slow = bool | Callable[[list[str]], bool]  # likewise (`feeds add` fetches the feed: slow)


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    handler: Handler
    slow: Slow  # may take more than a moment: adapters acknowledge first
    public: Public  # the answer is for the channel (Discord defers publicly)


COMMANDS: dict[str, Command] = {}


def command(
    name: str, *, slow: Slow = False, public: Public = False
) -> Callable[[Handler], Handler]:
    """Register a sub-command (in the order ``help`` lists them)."""

    def register(handler: Handler) -> Handler:
        COMMANDS[name] = Command(name, handler, slow, public)
        return handler

    return register


def usage(name: str, lang: str) -> UserError:
    """The error that shows the usage line of ``name``."""
    return UserError("usage", usage=t(f"usage.{name}", lang))


class Commands:
    def __init__(self, app: ServiceContext) -> None:
        self.app = app
        self.now = app.clock.now

    @property
    def handlers(self) -> list[str]:
        return list(COMMANDS)

    def catalog(self, ctx: Context) -> Catalog:
        """The topics this place may name: the built-in topics and its workspace's watches."""
        from bot.services import watches

        return watches.catalog(self.app, watches.Workspace.of(ctx.place))

    @staticmethod
    def is_slow(text: str) -> bool:
        """Whether the command may take more than a moment (adapters acknowledge first)."""
        found = COMMANDS.get(_name(text))
        return found is not None and _decide(found.slow, text)

    @staticmethod
    def is_public(text: str) -> bool:
        """Whether the command's answer is for the channel (adapters defer publicly)."""
        found = COMMANDS.get(_name(text))
        return found is not None and _decide(found.public, text)

    def handle(self, text: str, ctx: Context) -> Reply:
        args = split_words(text)
        if args and args[0].lower() in ("/news", "news"):
            args = args[1:]
        name = resolve(args[0].lower(), COMMANDS) if args else "help"
        found = COMMANDS.get(name)
        if found is None:
            guess = did_you_mean(name, [*COMMANDS, *aliases_for(COMMANDS)])
            if guess:
                return error(t("unknown_command.guess", ctx.lang, name=name[:40], guess=guess))
            return error(t("unknown_command", ctx.lang, name=name[:40]))
        try:
            return found.handler(self, args[1:], ctx)
        except UserError as exc:
            return error(error_text(exc, ctx.lang))
        except Exception as exc:  # one log line for the operator, no traceback for the user
            log.error("command %s failed: %s", name, cause(exc))
            return error(t("database_busy" if busy(exc) else "internal_error", ctx.lang))


def _decide(rule: bool | Callable[[list[str]], bool], text: str) -> bool:
    """A command's ``slow``/``public`` for this line: fixed, or decided by its words."""
    if not callable(rule):
        return rule
    words = split_words(text)
    if words and words[0].lower() in ("/news", "news"):
        words = words[1:]
    return rule(words[1:])


def _name(text: str) -> str:
    words = text.strip().split(maxsplit=2)
    if words and words[0].lower() in ("/news", "news"):
        words = words[1:]
    return resolve(words[0].lower(), COMMANDS) if words else "help"


def split_words(text: str) -> list[str]:
    """Shell-like words (quotes keep a phrase together); unbalanced quotes split on spaces."""
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()
