"""The store's sessions.  Write transactions are short and begin IMMEDIATE on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from functools import cache
from typing import Any, TypeVar, cast

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.core.clock import Clock
from bot.store import engine as db


class StoreBase:
    """``clock`` stamps every time the store writes on its own (ingestion, creation, pauses)."""

    def __init__(self, engine: Engine, clock: Clock | None = None) -> None:
        self.engine = engine
        self.clock = clock or Clock()
        self.dialect = engine.dialect.name
        self._writer = sessionmaker(engine, expire_on_commit=False)
        self._reader = sessionmaker(db.reader(engine), expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self._writer.begin() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


@cache
def _field_names(view: Any) -> tuple[str, ...]:
    return tuple(f.name for f in fields(view))


V = TypeVar("V")


def from_row(view: type[V], row: object, **given: Any) -> V:
    """A view dataclass of a row: ``given`` for the fields it names, the row's attribute of the
    same name for each other field the row has (the rest keep their defaults)."""
    values = {
        n: getattr(row, n)
        for n in _field_names(cast(Any, view))
        if n not in given and hasattr(row, n)
    }
    return view(**values, **given)
