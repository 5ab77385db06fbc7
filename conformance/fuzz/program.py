"""A fuzz program as data: inputs, recorders, ops and queries, rendered to Python.

A `Program` is a small frozen structure, so generation, shrinking and
deduplication work on structure, not text; `render` turns it into the
source of a case program (``tf`` is the engine, ``context`` the execution
context's decorator). Every program defines a function ``run`` wrapped in
``context`` and assigns what it returns to ``r0``, ``r1``, … at module
level, so the eager and the tf.function contexts run the same text.

Recorders are nested outer → inner; the ops run inside the innermost one
and the queries of recorder ``i`` run right after it exits (inside the
recorders outside it), so an outer tape records an inner tape's gradient
(higher order) and an accumulator around a tape sees its gradient
(forward-over-reverse), and the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

Shape = tuple[int, ...]
Struct = Any  # a name, or a tuple ("list" | "tuple" | "dict", items) of Structs


@dataclass(frozen=True)
class Input:
    """A constant or variable the program starts from (created outside ``run``)."""

    name: str
    kind: str  # "constant" | "variable" | "frozen" (tf.Variable(trainable=False))
    dtype: str
    shape: Shape
    data: tuple  # flat values, row-major


@dataclass(frozen=True)
class Op:
    """``out = <fn>(args…, params…)``; `dtype`/`shape` are the output's."""

    out: str
    fn: str
    args: tuple[str, ...]
    params: tuple = ()  # (key, value) pairs, see ops.OPS[fn].render
    dtype: str = "float32"
    shape: Shape = ()

    def param(self, key: str, default: Any = None) -> Any:
        return dict(self.params).get(key, default)


@dataclass(frozen=True)
class Query:
    """``out = <recorder>.<kind>(target, sources, options…)``."""

    out: str
    kind: str  # gradient | jacobian | batch_jacobian | watched_variables | jvp
    target: Struct = None
    sources: Struct = None
    options: tuple = ()  # (key, value): unconnected, output_gradients, pfor


@dataclass(frozen=True)
class Recorder:
    """A GradientTape (``tape``) or ForwardAccumulator (``acc``) and its queries."""

    name: str
    kind: str  # "tape" | "acc"
    persistent: bool = False
    watch_accessed: bool = True
    watches: tuple[str, ...] = ()  # tape.watch(...) calls (tape); primals (acc)
    tangents: tuple = ()  # per primal: flat data (acc)
    queries: tuple[Query, ...] = ()


@dataclass(frozen=True)
class Program:
    """A whole fuzz program; `render` gives its source."""

    inputs: tuple[Input, ...]
    recorders: tuple[Recorder, ...]
    ops: tuple[Op, ...]
    context: str = "eager"
    meta: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def outputs(self) -> tuple[str, ...]:
        """The names the program assigns at module level, in order."""
        return tuple(q.out for r in self.recorders for q in r.queries)

    def value_types(self) -> dict[str, tuple[str, Shape]]:
        """name → (dtype, shape) of every input and op output."""
        found = {i.name: (i.dtype, i.shape) for i in self.inputs}
        found.update({op.out: (op.dtype, op.shape) for op in self.ops})
        return found

    def size(self) -> int:
        """A rough measure for "smaller": elements, ops, queries, options, nesting."""
        queries = [q for r in self.recorders for q in r.queries]
        return (
            sum(len(i.data) + 1 for i in self.inputs)
            + 3 * len(self.ops)
            + sum(
                2 + len(q.options) + _struct_size(q.target) + _struct_size(q.sources)
                for q in queries
            )
            + sum(
                2 + r.persistent + (not r.watch_accessed) + len(r.watches) for r in self.recorders
            )
            + (self.context != "eager")
        )

    def with_recorder(self, index: int, **changes: Any) -> Program:
        recorders = list(self.recorders)
        recorders[index] = replace(recorders[index], **changes)
        return replace(self, recorders=tuple(recorders))


def _struct_size(struct: Struct) -> int:
    if struct is None or isinstance(struct, str):
        return 1 if struct else 0
    return 1 + sum(_struct_size(item) for item in _items(struct))


def _items(struct: Struct) -> list:
    kind, items = struct
    return [value for _, value in items] if kind == "dict" else list(items)


def struct_names(struct: Struct) -> list[str]:
    """Every name a structure mentions, in order."""
    if struct is None:
        return []
    if isinstance(struct, str):
        return [struct]
    return [name for item in _items(struct) for name in struct_names(item)]
