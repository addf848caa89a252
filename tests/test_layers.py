"""The packages of ``bot/`` import one way: a package may import only its own layer and the layers
below it (the order is written in the README's "Development" section and in each package's
``__init__``).  Every ``import`` in every module counts, including the ones inside functions and
under ``if TYPE_CHECKING:``: a type-only import still makes one package know another."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BOT = ROOT / "bot"

# lowest first; a package may import the ones before it, never the ones after it
ORDER = [
    "core",
    "config",
    "store",
    "ingest",
    "analysis",
    "services",
    "present",
    "chat",
    "delivery",
    "runtime",
    "cli",
]
LAYER = {name: rank for rank, name in enumerate(ORDER)}
# ``bot/__init__.py`` (the version) is below everything; ``bot/__main__.py`` is the cli
TOP_MODULES = {"__init__": -1, "__main__": LAYER["cli"]}


def _module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line, imported module) for every import statement in the file, wherever it stands."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path, root)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # ``from bot import store`` names a package in the names, not in the module
            if module == "bot":
                found.extend((node.lineno, f"bot.{alias.name}") for alias in node.names)
    return found


def _layer(module: str) -> tuple[str, int] | None:
    """The package of a ``bot`` module and its rank; None for anything outside ``bot``."""
    parts = module.split(".")
    if parts[0] != "bot":
        return None
    if len(parts) == 1:
        return "__init__", TOP_MODULES["__init__"]
    if parts[1] in LAYER:
        return parts[1], LAYER[parts[1]]
    if parts[1] in TOP_MODULES:
        return parts[1], TOP_MODULES[parts[1]]
    return parts[1], len(ORDER)  # an unknown package: the test below names it


def _modules() -> list[Path]:
    return sorted(p for p in BOT.rglob("*.py") if "__pycache__" not in p.parts)


def upward_imports(paths: list[Path], root: Path = ROOT) -> list[str]:
    problems = []
    for path in paths:
        own = _layer(_module_name(path, root))
        assert own is not None
        for line, module in _imports(path, root):
            target = _layer(module)
            if target is not None and target[1] > own[1]:
                where = f"{path.relative_to(root)}:{line}"
                problems.append(
                    f"{where}: {own[0]} imports {module} ({target[0]} is above {own[0]})"
                )
    return problems


def package_graph(paths: list[Path]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in paths:
        own = _layer(_module_name(path))
        assert own is not None
        for _line, module in _imports(path):
            target = _layer(module)
            if target is not None and target[0] != own[0]:
                graph.setdefault(own[0], set()).add(target[0])
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_every_package_has_a_layer() -> None:
    packages = {p.name for p in BOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages - set(LAYER) == set(), "add the new package to ORDER (and to the README)"
    assert set(LAYER) - packages == set()


def test_no_package_imports_a_higher_layer() -> None:
    problems = upward_imports(_modules())
    assert problems == [], "upward imports:\n" + "\n".join(problems)


def test_no_cycle_between_packages() -> None:
    assert find_cycle(package_graph(_modules())) is None


@pytest.mark.parametrize("name", ORDER)
def test_each_package_says_what_it_may_import(name: str) -> None:
    doc = ast.get_docstring(ast.parse((BOT / name / "__init__.py").read_text(encoding="utf-8")))
    assert doc, f"bot/{name}/__init__.py has no docstring"
    assert "May import:" in doc, f"bot/{name}/__init__.py does not say what it may import"
    allowed = doc.split("May import:", 1)[1].split(".", 1)[0]
    below = ORDER[: LAYER[name]]
    for other in ORDER:
        if other == name:
            continue
        # the docstring names exactly the packages below it
        assert (f"``{other}``" in allowed) == (other in below), (name, other, allowed)


def test_the_checker_sees_imports_inside_functions_and_type_checking(tmp_path: Path) -> None:
    package = tmp_path / "bot" / "store"
    package.mkdir(parents=True)
    module = package / "sneaky.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "from bot.core import clock\n"
        "if TYPE_CHECKING:\n"
        "    from bot.runtime.app import App\n"
        "def f():\n"
        "    import bot.services.errors\n"
        "    from ..chat import base\n",
        encoding="utf-8",
    )
    problems = upward_imports([module], root=tmp_path)
    assert [p.split(": ", 1)[1] for p in problems] == [
        "store imports bot.runtime.app (runtime is above store)",
        "store imports bot.services.errors (services is above store)",
        "store imports bot.chat (chat is above store)",
    ]


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}}) is None


def test_the_readme_states_this_order() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "**" + " < ".join(ORDER) + "**" in readme


def test_the_migrations_stand_on_the_store() -> None:
    """The Alembic scripts (top-level ``migrations/``, shipped as ``bot/migrations``) are the
    store's: they may import it and what is below it; nothing imports them (Alembic loads them
    by path)."""
    scripts = sorted((ROOT / "migrations").rglob("*.py"))
    assert any(p.name.startswith("0001") for p in scripts)
    upward = []
    for path in scripts:
        for line, module in _imports(path):
            target = _layer(module)
            if target is not None and target[1] > LAYER["store"]:
                upward.append(f"{path.relative_to(ROOT)}:{line}: {module}")
    assert upward == []
    for path in _modules():
        for line, module in _imports(path):
            assert module.split(".")[:2] not in (["bot", "migrations"], ["migrations"]), (
                path,
                line,
            )


def test_no_signature_takes_the_composition_root() -> None:
    """Services, commands and the rest take :class:`bot.services.context.ServiceContext`; only
    ``bot.cli.run`` builds an ``App`` (and ``bot/runtime/app.py`` defines it)."""
    takes_app = []
    for path in _modules():
        if path == BOT / "runtime" / "app.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                args = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
                notes = [a.annotation for a in args if a.annotation is not None]
                notes += [node.returns] if node.returns is not None else []
                for note in notes:
                    names = {n.id for n in ast.walk(note) if isinstance(n, ast.Name)}
                    if "App" in names or "App" in ast.unparse(note).replace("'", " ").split():
                        takes_app.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert takes_app == []
