"""What every mutant engine is made of.

A mutant is a module that stands in for ``tf`` (the minimal engine form of
docs/engines.md): it defines the few names whose behavior it breaks and
forwards every other name to its *base* namespace, real TensorFlow or the
reference engine. Nothing of the base is patched: broken behavior lives in
subclasses (`GradientTape`, `ForwardAccumulator`), in replacement functions,
and in `Overlay` sub-namespaces such as a ``tf.nn`` whose ``relu`` differs.

`install` turns a mutant's module globals into such a stand-in; the helpers
below it build one broken behavior each without touching anything else.
"""

from __future__ import annotations

import contextlib
import logging
import types
from collections.abc import Callable, Iterator
from typing import Any

from ..engines.base import Engine
from ..engines.reference import ReferenceEngine
from ..engines.tensorflow import TensorFlowEngine

BASES: dict[str, Callable[[], Engine]] = {
    "tensorflow": TensorFlowEngine,
    "reference": ReferenceEngine,
}
_loaded: dict[str, Engine] = {}


def base_engine(name: str = "tensorflow") -> Engine:
    """The loaded base engine `name` (loaded once per process)."""
    if name not in _loaded:
        engine = BASES[name]()
        engine.load()
        _loaded[name] = engine
    return _loaded[name]


def install(module_globals: dict, base: str = "tensorflow") -> Any:
    """Make the module owning `module_globals` stand in for the base's ``tf``.

    Adds a module ``__getattr__`` forwarding unknown names to the base
    namespace, ``TF_VERSION`` (the base's), ``__version__`` and the
    ``_reset_state`` hook the engine calls before every case.

    Returns:
        The base namespace.
    """
    engine = base_engine(base)
    namespace = engine.namespace

    def __getattr__(name: str) -> Any:
        return getattr(namespace, name)

    def __dir__() -> list[str]:
        return sorted(set(module_globals) | set(dir(namespace)))

    module_globals.update(
        __getattr__=__getattr__,
        __dir__=__dir__,
        _reset_state=engine.reset,
        BASE=base,
        TF_VERSION=engine.tf_version,
        __version__=f"{engine.version}+mutant",
    )
    return namespace


class Overlay(types.ModuleType):
    """A sub-namespace of the base (``tf.nn``, ``tf.math``…) with some names replaced."""

    def __init__(self, base: types.ModuleType, **replacements: Any) -> None:
        super().__init__(base.__name__, base.__doc__)
        self.__dict__.update(replacements)
        self.__dict__["_overlaid"] = base

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["_overlaid"], name)


def extra_derivative(tf: Any, value: Any, extra: Any) -> Any:
    """`value`, with the derivative of `extra` added to its own.

    ``extra - stop_gradient(extra)`` is zero in value but has the derivative
    of `extra`, so a mutant can move gradient around at a kink without
    changing any forward value.
    """
    extra = tf.cast(extra, value.dtype)
    return value + (extra - tf.stop_gradient(extra))


def map_leaves(tf: Any, fn: Callable[[Any], Any], structure: Any) -> Any:
    """Apply `fn` to every leaf (tensor, IndexedSlices or None) of a gradient result."""
    return tf.nest.map_structure(fn, structure, expand_composites=False)


@contextlib.contextmanager
def dropped_logs(pattern: str, logger: str = "tensorflow") -> Iterator[None]:
    """Drop the records of `logger` whose message contains `pattern`."""
    target = logging.getLogger(logger)

    def keep(record: logging.LogRecord) -> bool:
        return pattern not in record.getMessage()

    target.addFilter(keep)
    try:
        yield
    finally:
        target.removeFilter(keep)
