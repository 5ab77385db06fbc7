"""Finding engines by name: built-ins, entry points, or an import path.

``--engine`` accepts:

* a built-in name: ``tensorflow`` or ``reference``;
* the name of an entry point in the group ``conformance.engines``;
* an import path ``pkg.module`` or ``pkg.module:attr`` naming an `Engine`
  instance, an `Engine` subclass, a factory returning one, or a plain module
  that stands in for ``tf`` (wrapped in `ModuleEngine`);
* the path of a ``.py`` file that stands in for ``tf`` (``./my_tf.py``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

from ..errors import EngineUnavailable, UsageError
from .base import Engine, ModuleEngine
from .catalog import ENTRY_POINT_GROUP, unknown_engine_message
from .reference import ReferenceEngine
from .tensorflow import TensorFlowEngine

BUILTIN: dict[str, Callable[[], Engine]] = {
    "tensorflow": TensorFlowEngine,
    "reference": ReferenceEngine,
}
DEFAULT_ENGINES = ("tensorflow", "reference")


def resolve_engine(spec: str) -> Engine:
    """Build the engine named by `spec` (not yet loaded).

    Raises:
        UsageError: nothing of that name exists.
        EngineUnavailable: the object exists but is not an engine or module.
    """
    if spec in BUILTIN:
        return BUILTIN[spec]()
    plugin = _entry_point(spec)
    if plugin is not None:
        engine = _as_engine(spec, plugin.load())
        engine.name = spec  # an entry point is named as registered
        return engine
    if spec.endswith(".py"):
        if not Path(spec).is_file():
            raise UsageError(f"engine file {spec!r} does not exist")
        return ModuleEngine(spec)  # named by its stem, however the path is spelled
    if not _looks_importable(spec):
        raise UsageError(
            unknown_engine_message(
                spec,
                f"unknown engine {spec!r}: not a built-in or entry-point name nor an "
                "import path like 'pkg.module[:attr]'",
            )
        )
    module_path, _, attr = spec.partition(":")
    if not attr:
        return ModuleEngine(module_path, name=spec)
    module = importlib.import_module(module_path) if _importable(spec, module_path) else None
    return _as_engine(spec, getattr(module, attr, None) if module else None, attr)


def plugin_names() -> set[str]:
    """Names of the engines registered through entry points."""
    return {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}


def _entry_point(name: str) -> Any:
    matches = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == name]
    return matches[0] if matches else None


def _looks_importable(spec: str) -> bool:
    module_path, _, attr = spec.partition(":")
    parts = module_path.split(".") + ([attr] if attr else [])
    return all(p.isidentifier() for p in parts)


def _importable(spec: str, module_path: str) -> bool:
    try:
        importlib.import_module(module_path)
    except Exception as exc:  # report any import failure as the engine's
        raise EngineUnavailable(
            spec, f"cannot import {module_path!r}: {type(exc).__name__}: {exc}"
        ) from None
    return True


def _as_engine(spec: str, obj: Any, attr: str = "") -> Engine:
    if obj is None:
        raise EngineUnavailable(spec, f"no attribute {attr!r} in the module")
    if isinstance(obj, Engine):
        return obj
    if isinstance(obj, ModuleType):
        return ModuleEngine(obj, name=spec)
    if isinstance(obj, type) and issubclass(obj, Engine):
        return obj()
    if callable(obj):
        made = obj()
        if isinstance(made, (Engine, ModuleType)):
            return _as_engine(spec, made)
    raise EngineUnavailable(
        spec, f"{type(obj).__name__} object is neither an Engine nor a module standing in for tf"
    )


__all__ = [
    "BUILTIN",
    "DEFAULT_ENGINES",
    "ENTRY_POINT_GROUP",
    "Engine",
    "ModuleEngine",
    "plugin_names",
    "resolve_engine",
]
