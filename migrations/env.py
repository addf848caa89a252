"""Alembic environment: SQLite in batch mode (so it can alter tables), PostgreSQL as is."""

from __future__ import annotations

from typing import Any

from alembic import context

from bot.store.models import Base

config = context.config


def _engine() -> Any:
    engine = config.attributes.get("engine")
    if engine is not None:
        return engine
    from bot.config.settings import Settings
    from bot.store.engine import make_engine

    url = config.get_main_option("sqlalchemy.url") or Settings.from_env().database_url
    return make_engine(url)


def run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=Base.metadata,
        render_as_batch=True,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    engine = _engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
