"""reference_impl's imports run one way: core -> prims -> ops -> rules ->
autodiff -> state -> api -> the `tf` namespace, with no cycle, no star-import
and no module reaching into another's private names."""

from __future__ import annotations

import ast
import functools
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[2] / "reference_impl"
LAYERS = ["core", "prims", "ops", "rules", "autodiff", "state", "api"]


def _modules(root: pathlib.Path) -> dict[str, pathlib.Path]:
    """Dotted module name -> file, for every module of the package."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    base = module.split(".") if is_package else module.split(".")[:-1]
    if node.level:
        base = base[: len(base) - node.level + 1]
        return ".".join(base + ([node.module] if node.module else []))
    return node.module or ""


@functools.cache
def imports(root: pathlib.Path = PACKAGE) -> dict[str, set[tuple[str, str]]]:
    """module -> {(imported module, imported name or "")} inside the package."""
    modules = _modules(root)
    graph: dict[str, set[tuple[str, str]]] = {}
    for name, path in modules.items():
        edges = graph.setdefault(name, set())
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                target = _resolve(name, path.name == "__init__.py", node)
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    if sub in modules:
                        edges.add((sub, ""))
                    elif target in modules:
                        edges.add((target, alias.name))
            elif isinstance(node, ast.Import):
                edges.update((a.name, "") for a in node.names if a.name in modules)
    return graph


def find_cycle(graph: dict[str, set[tuple[str, str]]]) -> list[str] | None:
    """One import cycle as a list of modules, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target, _ in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return stack[stack.index(target) :] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def _layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 else len(LAYERS)


def test_no_import_cycle():
    assert find_cycle(imports()) is None


def test_the_cycle_check_finds_a_planted_cycle(tmp_path):
    pkg = tmp_path / "reference_impl"
    (pkg / "ops").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from . import ops\n")
    (pkg / "ops" / "__init__.py").write_text("from .math import add\n")
    (pkg / "ops" / "math.py").write_text("from ..rules import add_vjp\n")
    (pkg / "rules.py").write_text("from .ops import math\n")
    assert find_cycle(imports(pkg)) == [
        "reference_impl.ops.math",
        "reference_impl.rules",
        "reference_impl.ops.math",
    ]


@pytest.mark.parametrize("module", sorted(imports()))
def test_imports_run_down_the_layers(module):
    upward = [t for t, _ in imports()[module] if _layer(t) > _layer(module)]
    assert upward == [], f"{module} imports a later layer"


def test_no_star_or_private_cross_imports():
    private = {(m, t, n) for m, edges in imports().items() for t, n in edges if n.startswith("_")}
    assert private == set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        stars = [
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom) and any(a.name == "*" for a in n.names)
        ]
        assert stars == [], path


def test_no_module_reads_another_modules_private_state():
    graph = imports()
    for name, path in _modules(PACKAGE).items():
        tree = ast.parse(path.read_text())
        aliases = {
            a.asname or a.name
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom)
            for a in n.names
            if any(t.endswith("." + a.name) for t, _ in graph[name])
        }
        reads = [
            f"{n.value.id}.{n.attr}"
            for n in ast.walk(tree)
            if isinstance(n, ast.Attribute)
            and isinstance(n.value, ast.Name)
            and n.value.id in aliases
            and n.attr.startswith("_")
        ]
        assert reads == [], name
