"""Hypothesis strategies for fuzz programs, and the seeded batch generator.

`programs(apis)` draws a whole `Program` over the APIs in `apis` (all of
them when None): inputs of one dtype and broadcast-compatible shapes,
one of five recorder layouts (a tape, an accumulator, tape over tape,
accumulator over tape, tape over accumulator), a DAG of ops with valid
shapes, and queries on every recorder. `generate(seed, start, count)`
gives programs ``start … start+count-1`` of the deterministic sequence for
`seed`, the same whatever else is asked for.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hseed
from hypothesis import strategies as st

from .ops import BINARY, CONTROL, FLOATS, QUERY_APIS, REDUCE, SHAPED, UNARY, OpSpec
from .program import Input, Op, Program, Query, Recorder

DTYPES = ("float32",) * 4 + ("float64", "float16", "complex64", "int32")
POOLS = {
    "f": (-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0),
    "i": (-2, -1, 0, 1, 2, 3),
    "c": tuple(complex(a, b) for a in (-1.0, 0.0, 1.0, 2.0) for b in (-1.0, 0.0, 1.0)),
}
LAYOUTS = ("tape",) * 8 + ("acc", "tape/tape", "acc/tape", "tape/acc")
FAMILY_WEIGHTS = (("unary", 5), ("binary", 5), ("reduce", 2), ("shaped", 4), ("control", 1))
CHUNK = 50  # programs per seeded Hypothesis run (a chunk is the unit of determinism)
Types = dict[str, tuple[str, tuple[int, ...]]]


@functools.cache
def _ints(low: int, high: int) -> st.SearchStrategy:
    return st.integers(low, high)


@functools.lru_cache(maxsize=4096)
def _sampled(options: tuple, types: tuple) -> st.SearchStrategy:
    return st.sampled_from(options)


@functools.cache
def _fixed_lists(options: tuple, size: int) -> st.SearchStrategy:
    return st.lists(st.sampled_from(options), min_size=size, max_size=size)


def _pick(options: Any) -> st.SearchStrategy:
    """A cached `st.sampled_from` (building strategies anew is most of a draw's cost)."""
    options = tuple(options)
    try:  # keyed with the types: (None, 0, 1) == (None, False, True) as tuples
        return _sampled(options, tuple(type(o) for o in options))
    except TypeError:  # unhashable options (lists)
        return st.sampled_from(options)


BOOLEANS = st.booleans()


def pool(dtype: str) -> tuple:
    return POOLS["f" if dtype in FLOATS else ("i" if dtype == "int32" else "c")]


def data_for(draw: Callable, dtype: str, shape: tuple[int, ...]) -> tuple:
    size = int(np.prod(shape, dtype=int))
    return tuple(draw(_fixed_lists(pool(dtype), size)))


def _usable(spec: OpSpec, apis: frozenset | None) -> bool:
    return apis is None or all(api in apis for api in spec.apis)


@st.composite
def shapes(draw: Callable, base: tuple[int, ...]) -> tuple[int, ...]:
    """`base` or a shape that broadcasts against it (fewer leading dims, some 1s)."""
    if draw(_ints(0, 2)) == 0:
        return base
    drop = draw(_ints(0, len(base)))
    return tuple(1 if draw(_ints(0, 3)) == 0 else d for d in base[drop:])


@st.composite
def inputs(draw: Callable, dtype: str) -> tuple[Input, ...]:
    base = tuple(draw(st.lists(_ints(1, 3), max_size=3)))
    found = []
    for index in range(draw(_ints(1, 3))):
        shape = draw(shapes(base))
        kind = draw(_pick(("constant",) * 5 + ("variable",) * 4 + ("frozen",)))
        found.append(Input(f"x{index}", kind, dtype, shape, data_for(draw, dtype, shape)))
    return tuple(found)


def broadcast(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...] | None:
    try:
        return tuple(np.broadcast_shapes(a, b))
    except ValueError:
        return None


class OpBuilder:
    """Draws one op at a time over the values defined so far."""

    def __init__(self, draw: Callable, apis: frozenset | None, types: Types) -> None:
        self.draw, self.types, self.count = draw, dict(types), 0
        self.specs = {
            family: [s for s in specs if _usable(s, apis)]
            for family, specs in (
                ("unary", UNARY),
                ("binary", BINARY),
                ("reduce", REDUCE),
                ("shaped", SHAPED),
                ("control", CONTROL),
            )
        }

    def pick(self, dtype: str | None = None, rank: int = 0) -> str:
        names = [
            n
            for n, (d, s) in self.types.items()
            if (dtype is None or d == dtype) and len(s) >= rank
        ]
        return self.draw(_pick(sorted(names))) if names else ""

    def op(self) -> Op | None:
        family = self.draw(_pick([f for f, w in FAMILY_WEIGHTS for _ in range(w)]))
        a = self.pick()
        dtype, _ = self.types[a]
        specs = [s for s in self.specs[family] if s.accepts(dtype)]
        if not specs:
            return None
        spec = self.draw(_pick(specs))
        made = getattr(self, f"_{spec.family}", self._shaped)(spec, a)
        if made is not None:
            self.types[made.out] = (made.dtype, made.shape)
            self.count += 1
        return made

    def _new(self, spec: OpSpec, args: tuple, dtype: str, out: tuple, /, **params: Any) -> Op:
        return Op(
            f"v{self.count}", spec.name, args, tuple(sorted(params.items())), dtype, tuple(out)
        )

    def _unary(self, spec: OpSpec, a: str) -> Op:
        dtype, shape = self.types[a]
        if spec.name in ("abs", "real", "imag") and dtype == "complex64":
            dtype = "float32"
        return self._new(spec, (a,), dtype, shape)

    def _binary(self, spec: OpSpec, a: str) -> Op | None:
        dtype, shape = self.types[a]
        partners = [
            n for n, (d, s) in self.types.items() if d == dtype and broadcast(shape, s) is not None
        ]
        b = self.draw(_pick(sorted(partners)))
        return self._new(spec, (a, b), dtype, broadcast(shape, self.types[b][1]))

    def _reduce(self, spec: OpSpec, a: str) -> Op:
        dtype, shape = self.types[a]
        axis = None
        if shape and self.draw(BOOLEANS):
            axis = self.draw(_ints(-len(shape), len(shape) - 1))
        keepdims = self.draw(_pick((None, False, True)))
        if axis is None:
            out = tuple(1 for _ in shape) if keepdims else ()
        else:
            out = tuple(
                1 if i == axis % len(shape) else d
                for i, d in enumerate(shape)
                if keepdims or i != axis % len(shape)
            )
        return self._new(spec, (a,), dtype, out, axis=axis, keepdims=keepdims)

    def _control(self, spec: OpSpec, a: str) -> Op | None:
        dtype, shape = self.types[a]
        keep = [
            s.name
            for s in self.specs["unary"]
            if s.accepts(dtype) and not (dtype == "complex64" and s.name in ("abs", "real", "imag"))
        ]
        f, g = self.draw(_pick(keep)), self.draw(_pick(keep))
        params = {"f": f}
        if spec.name in ("cond", "py_if"):
            params.update(g=g, pred=self.draw(BOOLEANS))
        else:
            params["n"] = self.draw(_ints(0, 3))
        return self._new(spec, (a,), dtype, shape, **params)

    def _shaped(self, spec: OpSpec, a: str) -> Op | None:
        return SHAPED_BUILDERS[spec.name](self, spec, a)


def _matmul(b: OpBuilder, spec: OpSpec, a: str) -> Op | None:
    dtype, shape = b.types[a]
    if len(shape) != 2:
        return None
    plain = [n for n, (d, s) in b.types.items() if d == dtype and len(s) == 2 and s[0] == shape[1]]
    same = [n for n, (d, s) in b.types.items() if d == dtype and s == shape]
    if plain and b.draw(BOOLEANS):
        other = b.draw(_pick(sorted(plain)))
        return b._new(spec, (a, other), dtype, (shape[0], b.types[other][1][1]))
    other = b.draw(_pick(sorted(same)))
    return b._new(spec, (a, other), dtype, (shape[0], shape[0]), transpose_b=True)


def _reshape(b: OpBuilder, spec: OpSpec, a: str) -> Op:
    dtype, shape = b.types[a]
    size = int(np.prod(shape, dtype=int))
    target = b.draw(_pick(([-1], list(reversed(shape)), [1] + list(shape), [size, 1])))
    out = (size,) if target == [-1] else tuple(target)
    return b._new(spec, (a,), dtype, out, shape=tuple(target))


def _transpose(b: OpBuilder, spec: OpSpec, a: str) -> Op | None:
    dtype, shape = b.types[a]
    if len(shape) < 2:
        return None
    perm = b.draw(st.permutations(range(len(shape))))
    return b._new(spec, (a,), dtype, tuple(shape[p] for p in perm), perm=tuple(perm))


def _expand_dims(b: OpBuilder, spec: OpSpec, a: str) -> Op:
    dtype, shape = b.types[a]
    axis = b.draw(_ints(-len(shape) - 1, len(shape)))
    out = list(shape)
    out.insert(axis % (len(shape) + 1), 1)
    return b._new(spec, (a,), dtype, out, axis=axis)


def _squeeze(b: OpBuilder, spec: OpSpec, a: str) -> Op | None:
    dtype, shape = b.types[a]
    ones = [i for i, d in enumerate(shape) if d == 1]
    if not ones:
        return None
    axis = b.draw(_pick([None] + ones))
    out = [d for i, d in enumerate(shape) if (d != 1 if axis is None else i != axis)]
    return b._new(spec, (a,), dtype, out, axis=axis)


def _concat_or_stack(b: OpBuilder, spec: OpSpec, a: str) -> Op | None:
    dtype, shape = b.types[a]
    if not shape and spec.name == "concat":
        return None
    other = b.draw(_pick(sorted(n for n, t in b.types.items() if t == (dtype, shape))))
    if spec.name == "stack":
        axis = b.draw(_ints(0, len(shape)))
        return b._new(spec, (a, other), dtype, shape[:axis] + (2,) + shape[axis:], axis=axis)
    axis = b.draw(_ints(-len(shape), len(shape) - 1))
    out = list(shape)
    out[axis] *= 2
    return b._new(spec, (a, other), dtype, out, axis=axis)


def _unstack(b: OpBuilder, spec: OpSpec, a: str) -> Op | None:
    dtype, shape = b.types[a]
    if not shape or 0 in shape:
        return None
    axis = b.draw(_ints(0, len(shape) - 1))
    i = b.draw(_ints(0, shape[axis] - 1))
    return b._new(spec, (a,), dtype, shape[:axis] + shape[axis + 1 :], axis=axis, i=i)


def _gather(b: OpBuilder, spec: OpSpec, a: str) -> Op | None:
    dtype, shape = b.types[a]
    if not shape or 0 in shape:
        return None
    axis = b.draw(_pick([None] + ([1] if len(shape) > 1 else [])))
    dim = shape[axis or 0]
    indices = tuple(b.draw(st.lists(_ints(0, dim - 1), min_size=1, max_size=4)))
    at = axis or 0
    return b._new(
        spec,
        (a,),
        dtype,
        shape[:at] + (len(indices),) + shape[at + 1 :],
        axis=axis,
        indices=indices,
    )


def _gather_nd(b: OpBuilder, spec: OpSpec, a: str) -> Op | None:
    dtype, shape = b.types[a]
    if not shape or 0 in shape:
        return None
    depth = b.draw(_ints(1, min(2, len(shape))))
    point = st.tuples(*[_ints(0, d - 1) for d in shape[:depth]])
    indices = tuple(b.draw(st.lists(point, min_size=1, max_size=3)))
    return b._new(spec, (a,), dtype, (len(indices),) + shape[depth:], indices=indices)


@st.composite
def slice_specs(draw: Callable, shape: tuple[int, ...]) -> str:
    """A ``[]`` index over `shape`: ints, slices with steps and negatives, ``...``, None."""
    parts = []
    for dim in shape[: draw(_ints(1, len(shape)))]:
        choice = draw(_ints(0, 4))
        if choice == 0:
            parts.append(str(draw(_ints(-dim, dim - 1))))
        elif choice == 1:
            parts.append(":")
        else:
            start = draw(_pick(("", "0", "1", "-1", f"-{dim}")))
            stop = draw(_pick(("", "-1", str(dim), "1")))
            step = draw(_pick(("", ":2", ":-1", ":1")))
            parts.append(f"{start}:{stop}{step}")
    if draw(_ints(0, 3)) == 0:
        parts.insert(draw(_ints(0, len(parts))), "None")
    if draw(_ints(0, 3)) == 0 and "..." not in parts:
        parts.insert(draw(_ints(0, len(parts))), "...")
    return ", ".join(parts)


def _slice(b: OpBuilder, spec: OpSpec, a: str) -> Op | None:
    dtype, shape = b.types[a]
    if not shape or 0 in shape:
        return None
    index = b.draw(slice_specs(shape))
    out = eval(f"np.empty({shape!r})[{index}]", {"np": np}).shape
    return b._new(spec, (a,), dtype, out, spec=index)


def _softmax(b: OpBuilder, spec: OpSpec, a: str) -> Op | None:
    dtype, shape = b.types[a]
    return b._new(spec, (a,), dtype, shape) if shape else None


def _cast(b: OpBuilder, spec: OpSpec, a: str) -> Op:
    dtype, shape = b.types[a]
    target = b.draw(_pick([d for d in FLOATS + ("int32", "complex64") if d != dtype]))
    return b._new(spec, (a,), target, shape)


def _clip(b: OpBuilder, spec: OpSpec, a: str) -> Op:
    dtype, shape = b.types[a]
    lo, hi = (-1, 1) if dtype == "int32" else (-1.0, 1.0)
    return b._new(spec, (a,), dtype, shape, lo=lo, hi=hi)


SHAPED_BUILDERS = {
    "matmul": _matmul,
    "reshape": _reshape,
    "transpose": _transpose,
    "expand_dims": _expand_dims,
    "squeeze": _squeeze,
    "concat": _concat_or_stack,
    "stack": _concat_or_stack,
    "unstack": _unstack,
    "gather": _gather,
    "gather_nd": _gather_nd,
    "slice": _slice,
    "softmax": _softmax,
    "cast": _cast,
    "clip": _clip,
}


def _query_kinds(apis: frozenset | None, recorder: str) -> list[str]:
    kinds = (
        ["gradient"] * 12 + ["jacobian"] * 2 + ["batch_jacobian"] * 2 + ["watched_variables"]
        if recorder == "tape"
        else ["jvp"]
    )
    return [k for k in kinds if apis is None or all(a in apis for a in QUERY_APIS[k])]


@st.composite
def structures(draw: Callable, names: list[str], single: bool = False) -> Any:
    """A name, or a list / tuple / dict / nested list of names (duplicates allowed)."""
    pick = _pick(sorted(names))
    shape = 0 if single else draw(_pick((0, 0, 0, 1, 1, 2, 3)))
    if shape == 0:
        return draw(pick)
    items = tuple(draw(st.lists(pick, min_size=1, max_size=3)))
    if shape == 1:
        return (draw(_pick(("list", "tuple"))), items)
    if shape == 2:
        return ("dict", tuple((f"k{i}", name) for i, name in enumerate(items)))
    return ("list", (items[0], ("list", items[1:] or items[:1])))


class QueryBuilder:
    """Draws the queries of one recorder."""

    def __init__(
        self,
        draw: Callable,
        apis: frozenset | None,
        types: Types,
        inputs: tuple[Input, ...],
        start: int,
    ) -> None:
        self.draw, self.apis, self.types, self.inputs = draw, apis, types, inputs
        self.count = start
        self.results: Types = {}  # query outputs whose type is known

    def queries(self, recorder: str, targets: list[str]) -> tuple[Query, ...]:
        kinds = _query_kinds(self.apis, recorder)
        if not kinds:
            return ()
        n = self.draw(_pick((1, 1, 1, 2)))
        return tuple(self._query(self.draw(_pick(kinds)), targets) for _ in range(n))

    def _query(self, kind: str, targets: list[str]) -> Query:
        out = f"r{self.count}"
        self.count += 1
        if kind == "watched_variables":
            return Query(out, kind)
        single = kind == "batch_jacobian"
        target = self._target(targets, single or kind == "jvp")
        sources = None if kind == "jvp" else self._sources(single)
        options = self._options(kind, target)
        if isinstance(sources, str) and kind == "gradient" and sources in self.types:
            self.results[out] = self.types[sources]
        if kind == "jvp" and isinstance(target, str) and target in self.types:
            self.results[out] = self.types[target]
        return Query(out, kind, target, sources, options)

    def _target(self, targets: list[str], single: bool) -> Any:
        if self.draw(_ints(0, 2)):
            return targets[-1]
        return self.draw(structures(targets, single=single))

    def _sources(self, single: bool) -> Any:
        names = [i.name for i in self.inputs]
        extra = [n for n in self.types if n.startswith("v")]
        if extra and self.draw(_ints(0, 5)) == 0:
            names.append(self.draw(_pick(sorted(extra))))
        return self.draw(structures(names, single=single))

    def _options(self, kind: str, target: Any) -> tuple:
        options = []
        unconnected = self.apis is None or "UnconnectedGradients" in self.apis
        if unconnected and self.draw(_ints(0, 4)) == 0:
            options.append(("unconnected", self.draw(_pick(("ZERO", "NONE")))))
        if (
            kind == "gradient"
            and isinstance(target, str)
            and target in self.types
            and self.draw(_ints(0, 5)) == 0
        ):
            dtype, shape = self.types[target]
            options.append(("output_gradients", (dtype, shape, data_for(self.draw, dtype, shape))))
        if kind in ("jacobian", "batch_jacobian") and self.draw(BOOLEANS):
            options.append(("pfor", self.draw(BOOLEANS)))
        return tuple(options)


@st.composite
def recorder_for(draw: Callable, kind: str, name: str, inputs: tuple[Input, ...]) -> Recorder:
    if kind == "acc":
        primals = [i for i in inputs if i.dtype != "int32"] or list(inputs[:1])
        chosen = draw(
            st.lists(_pick(primals), min_size=1, max_size=len(primals), unique_by=lambda i: i.name)
        )
        tangents = tuple(data_for(draw, i.dtype, i.shape) for i in chosen)
        return Recorder(name, "acc", watches=tuple(i.name for i in chosen), tangents=tangents)
    constants = [i.name for i in inputs if i.kind == "constant"]
    everything = [i.name for i in inputs]
    watches = (
        draw(st.lists(_pick(everything), max_size=3))
        if draw(_ints(0, 3)) == 0
        else [n for n in constants if draw(_ints(0, 4))]
    )
    return Recorder(
        name,
        "tape",
        persistent=draw(_ints(0, 2)) == 0,
        watch_accessed=draw(_ints(0, 6)) != 0,
        watches=tuple(watches),
    )


@st.composite
def programs(draw: Callable, apis: frozenset | None = None) -> Program:
    """One random program over `apis` (None: every API the fuzzer knows)."""
    dtype = draw(_pick(DTYPES))
    values = draw(inputs(dtype))
    layout = draw(_pick(LAYOUTS)).split("/")
    recorders = [
        draw(recorder_for(kind, f"{'t' if kind == 'tape' else 'a'}{i}", values))
        for i, kind in enumerate(layout)
    ]
    builder = OpBuilder(draw, apis, {i.name: (i.dtype, i.shape) for i in values})
    ops = [op for op in (builder.op() for _ in range(draw(_ints(1, 6)))) if op]
    targets = [op.out for op in ops] or [values[0].name]
    queries = QueryBuilder(draw, apis, builder.types, values, 0)
    for level in reversed(range(len(recorders))):
        found = queries.queries(recorders[level].kind, targets)
        recorders[level] = Recorder(**{**recorders[level].__dict__, "queries": found})
        targets = [q.out for q in found if q.out in queries.results] or targets
        queries.types = {**queries.types, **queries.results}
    context = draw(_pick(("eager",) * 7 + ("function",)))
    return Program(tuple(values), tuple(recorders), tuple(ops), context)


def generate(seed: int, start: int, count: int, apis: frozenset | None = None) -> list[Program]:
    """Programs ``start … start+count-1`` of the sequence for `seed`.

    The sequence is made of chunks of `CHUNK` programs, each drawn by its own
    seeded Hypothesis run, so program ``i`` is the same whatever `count` is.
    """
    found: list[Program] = []
    first_chunk = start // CHUNK
    for chunk in itertools.count(first_chunk):
        programs_ = chunk_programs(seed, chunk, apis)
        begin = chunk * CHUNK
        found += programs_[max(start - begin, 0) : start + count - begin]
        if len(found) >= count:
            return found[:count]
    return found


def chunk_programs(seed: int, chunk: int, apis: frozenset | None = None) -> list[Program]:
    """Chunk number `chunk` (`CHUNK` programs) of the sequence for `seed`."""
    drawn: list[Program] = []

    @hseed(seed * 100003 + chunk)
    @settings(
        max_examples=CHUNK,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(programs(apis))
    def collect(program: Program) -> None:
        drawn.append(program)

    collect()
    while len(drawn) < CHUNK:  # Hypothesis stops early only if the space were tiny
        drawn.append(drawn[len(drawn) % max(len(drawn), 1)])
    return drawn[:CHUNK]
