"""The package list, which pyproject.toml cannot express: every ``bot`` package, plus the
checkout's ``seeds/`` folder shipped inside the wheel as ``bot/seeds`` (so ``newsbot demo`` and
``newsbot ingest`` work after ``pip install``) and its top-level ``migrations/`` (the Alembic
scripts) as ``bot/migrations`` (so ``newsbot db upgrade`` works far from the checkout).  Both
folders stay where they are, unchanged.  Everything else is in pyproject.toml."""

from setuptools import find_namespace_packages, setup

setup(
    packages=[
        *find_namespace_packages(include=["bot", "bot.*"], exclude=["*.__pycache__"]),
        "bot.seeds",
        "bot.migrations",
        "bot.migrations.versions",
    ],
    package_dir={"bot.seeds": "seeds", "bot.migrations": "migrations"},
)
