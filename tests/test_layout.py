"""The shape of bot/: no cycles, a core without I/O, small modules, distinct names, one loop."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "bot"
NO_IO_IN_CORE = {"aiohttp", "gidgethub", "github", "requests", "urllib3", "subprocess", "socket"}
FILE_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes"}


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = modules()


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports anywhere: top level, functions, TYPE_CHECKING blocks."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            # "bot.cli.check:run_check": a handler the CLI imports when its command runs.
            module, colon, function = node.value.partition(":")
            if colon and module.startswith("bot.") and function.isidentifier():
                found.add(module)
    return found


def graph() -> dict[str, set[str]]:
    return {
        name: {m for m in imports(path) if m in MODULES} - {name} for name, path in MODULES.items()
    }


def test_there_is_no_import_cycle() -> None:
    edges = graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles: list[list[str]] = []

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(edges[name]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_graph_sees_type_checking_and_lazy_imports() -> None:
    edges = graph()
    assert "bot.core.quarterly.model" in edges["bot.adapters.files"]  # under TYPE_CHECKING
    assert "bot.cli.check" in edges["bot.cli.main"]  # named for a lazy handler


@pytest.mark.parametrize("name", [m for m in MODULES if m.startswith("bot.core")])
def test_the_core_does_no_io(name: str) -> None:
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    assert not {m.split(".")[0] for m in imports(MODULES[name])} & NO_IO_IN_CORE
    calls = {
        node.func.id if isinstance(node.func, ast.Name) else node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute)
    }
    assert not calls & FILE_CALLS


def test_no_module_is_over_400_lines() -> None:
    sizes = {
        name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in MODULES.items()
    }
    assert {name: size for name, size in sizes.items() if size > 400} == {}


def test_no_two_public_functions_or_classes_share_a_name() -> None:
    where: dict[str, list[str]] = defaultdict(list)
    defined = ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
    for name, path in MODULES.items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, defined) and not node.name.startswith("_"):
                where[node.name].append(name)
    assert {found: names for found, names in where.items() if len(names) > 1} == {}


@pytest.mark.parametrize("name", [m for m in MODULES if m.startswith("bot.jobs")])
def test_a_job_asks_every_operation_it_yields(name: str) -> None:
    """``yield from ask(op)`` types what a job receives; a bare ``yield op`` would be Any."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    assert [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Yield)] == []


def test_one_loop_drives_every_generator() -> None:
    """Jobs and the adapters' exchanges alike are sent results and thrown errors in one place:
    ``bot.port.drive``'s loop."""
    driving = {
        name
        for name, path in MODULES.items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"send", "throw"}
    }
    assert driving == {"bot.port.drive"}
