"""newsbot as one user meets it, in process (as errbot's ``testbot``): ``bot("/news digest all")``
is what ``newsbot console`` prints for that line.

The ``bot`` fixture answers over a private copy of the seeded database; ``make_bot`` builds one
over any database, clock or settings (``make_bot(db_url, clock=...)``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.chat.commands import Commands, Context
from bot.chat.console import answer, console_context
from bot.config.settings import Settings
from bot.core.clock import Clock
from bot.runtime.app import App
from bot.store import Store


class Bot:
    """Answers ``/news …`` lines as the console does, in one channel as one user."""

    def __init__(self, app: App, ctx: Context | None = None, files: Path | None = None) -> None:
        self.app = app
        self.commands = Commands(app)
        self.ctx = ctx or console_context(app.settings.language)
        self.files = files

    @property
    def store(self) -> Store:
        return self.app.store

    def __call__(self, *lines: str, files: Path | None = None, **ctx: str) -> str:
        """What the console prints for ``lines`` (one answer per line, joined by new lines);
        ``lang``, ``channel``, ``user``, ``platform`` or ``workspace`` change who asks, for
        these lines only."""
        where = dataclasses.replace(self.ctx, **ctx) if ctx else self.ctx
        said = [answer(self.commands, line, where, files or self.files) for line in lines]
        return "\n".join(s for s in said if s is not None)

    def as_(self, **ctx: str) -> Bot:
        """The same bot, asked from another channel, user or language from now on."""
        other = Bot.__new__(Bot)
        other.app, other.commands, other.files = self.app, self.commands, self.files
        other.ctx = dataclasses.replace(self.ctx, **ctx)
        return other


MakeBot = Callable[..., Bot]


@pytest.fixture
def make_bot(tmp_path: Path) -> Iterator[MakeBot]:
    """``make_bot(db_url, clock=None, **settings)``: a :class:`Bot` over that database; each app
    is closed after the test.  Pictures are saved in the test's own folder."""
    apps: list[App] = []

    def make(db_url: str, clock: Clock | None = None, **settings: Any) -> Bot:
        app = App(Settings(database_url=db_url, **settings), clock=clock)
        apps.append(app)
        return Bot(app, files=tmp_path)

    try:
        yield make
    finally:
        for app in apps:
            app.close()


@pytest.fixture
def bot(make_bot: MakeBot, seeded_copy: str) -> Bot:
    """A :class:`Bot` over a private copy of the seeded database (it may write)."""
    return make_bot(seeded_copy)
