"""The package list, which pyproject.toml cannot express: every ``bot`` package, plus the
checkout's ``seeds/`` folder shipped inside the wheel as ``bot/seeds`` (so ``newsbot demo`` and
``newsbot ingest`` work after ``pip install``).  ``seeds/`` itself stays where it is, unchanged.
Everything else is in pyproject.toml."""

from setuptools import find_namespace_packages, setup

setup(
    packages=[
        *find_namespace_packages(include=["bot", "bot.*"], exclude=["*.__pycache__"]),
        "bot.seeds",
    ],
    package_dir={"bot.seeds": "seeds"},
)
