"""Imports run one way: the module graph of each package has no cycle.

The graph is read from the source with `ast` (nothing is imported), counting
every import statement, also those inside functions (a lazy import is still
a dependency). An edge joins two modules of the same package; a circle of
any length is reported with its modules in order.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def module_names(package_dir: Path) -> dict[str, Path]:
    """Dotted name → file, for every module of the package rooted at `package_dir`."""
    names = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _imported(node: ast.AST, module: str, is_package: bool, modules: set[str]) -> set[str]:
    """The modules an import statement in `module` refers to (``from p import m``
    names the submodule ``p.m`` when there is one, else ``p``)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    if not isinstance(node, ast.ImportFrom):
        return set()
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    return {f"{target}.{a.name}" if f"{target}.{a.name}" in modules else target for a in node.names}


def import_graph(package_dir: Path) -> dict[str, set[str]]:
    """Module → the modules of the same package it imports."""
    modules = module_names(package_dir)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            for target in _imported(node, name, is_package, set(modules)):
                if target in modules and target != name:
                    graph[name].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of `graph` as ``[a, b, …, a]``, or None when there is none."""
    state: dict[str, str] = {}  # "open" while on the DFS stack, "done" after
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


@pytest.mark.parametrize("package", ["conformance", "reference_impl"])
def test_the_package_has_no_import_cycle(package):
    graph = import_graph(ROOT / package)
    assert len(graph) > 5 and any(graph.values())  # the graph was really read
    assert find_cycle(graph) is None, " → ".join(find_cycle(graph) or [])


def test_the_conformance_layers_point_one_way():
    graph = import_graph(ROOT / "conformance")
    isolation = {m for m in graph if m.startswith("conformance.isolation")}
    assert not any("conformance.runner" in graph[m] for m in isolation)
    assert "conformance.isolation" not in graph["conformance.result"]
    assert {"conformance.result", "conformance.trial"} <= graph["conformance.isolation.worker"]
    assert not any(m.startswith("conformance.report") for m in graph["conformance.compare"])


def write_package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def test_a_deliberate_cycle_is_found_with_its_modules(tmp_path):
    pkg = write_package(
        tmp_path / "pkg",
        {
            "__init__.py": "",
            "a.py": "from .b import helper\n",
            "b.py": "def helper():\n    from . import c\n",
            "sub/__init__.py": "",
            "c.py": "from pkg.sub import d\n",
            "sub/d.py": "from ..a import thing\n",
        },
    )
    graph = import_graph(pkg)
    assert graph["pkg.b"] == {"pkg.c"} and graph["pkg.sub.d"] == {"pkg.a"}
    assert find_cycle(graph) == ["pkg.a", "pkg.b", "pkg.c", "pkg.sub.d", "pkg.a"]


def test_a_one_way_package_has_no_cycle(tmp_path):
    pkg = write_package(
        tmp_path / "pkg",
        {
            "__init__.py": "from .a import x\n",
            "a.py": "import pkg.b\nfrom . import b\n",
            "b.py": "import os\n",
        },
    )
    assert import_graph(pkg) == {"pkg": {"pkg.a"}, "pkg.a": {"pkg.b"}, "pkg.b": set()}
    assert find_cycle(import_graph(pkg)) is None
