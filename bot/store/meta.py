"""Small key/value facts kept in the ``meta`` table."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.store.base import StoreBase
from bot.store.models import MetaRow


class MetaQueries(StoreBase):
    def get_meta(self, key: str) -> str | None:
        with self.read() as s:
            return s.scalar(select(MetaRow.value).where(MetaRow.key == key))

    def set_meta(self, key: str, value: str) -> None:
        with self.write() as s:
            row = s.get(MetaRow, key)
            if row is None:
                s.add(MetaRow(key=key, value=value))
            else:
                row.value = value

    def add_to_counter(self, key: str, n: int = 1) -> int:
        """Add ``n`` to the integer kept under ``key`` (0 when absent); the new value.  Two
        processes that both find it absent race to insert it: the loser adds to the winner's row."""
        for attempt in range(2):
            try:
                with self.write() as s:
                    row = s.get(MetaRow, key, with_for_update=True)
                    if row is None:
                        s.add(MetaRow(key=key, value=str(n)))
                        return n
                    try:
                        value = int(row.value) + n
                    except ValueError:
                        value = n
                    row.value = str(value)
                    return value
            except IntegrityError:
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def ping(self) -> bool:
        """True when the database answers."""
        try:
            with self.read() as s:
                s.execute(select(1))
            return True
        except Exception:
            return False
