"""Shrinking a diverging program to a minimal one with the same signature.

Hypothesis does the search. From the found program we list every
*reduction* that could make it smaller (drop a query, an option or a watch,
bypass an op, simplify a target or a sources structure, turn a tape
non-persistent, run eagerly, make an input's values all ones, remove dead
code, …); a strategy draws for each reduction whether to apply it (an
integer, 0 = apply, so Hypothesis's shrinker drives towards applying them
all) and `hypothesis.find` looks for the smallest choice whose program still
diverges with the same signature. Rounds repeat on the result until nothing
changes, since a reduction often enables others.

Hypothesis cannot start shrinking from a given example through its public
API, which is why the search is over reductions *of* the found program
rather than over the generator's own choices.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace

from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

from .program import Input, Op, Program, Query, Recorder, struct_names

Reduction = Callable[[Program], "Program | None"]
ROUNDS = 4


def shrink(
    program: Program, still_fails: Callable[[Program], bool], max_examples: int = 300, seed: int = 0
) -> Program:
    """The smallest program reachable from `program` for which `still_fails` holds."""
    best = program
    for _ in range(ROUNDS):
        found = _round(best, still_fails, max_examples, seed)
        if found is None or found.size() >= best.size():
            return best
        best = found
    return best


def _round(
    program: Program, still_fails: Callable[[Program], bool], max_examples: int, seed: int
) -> Program | None:
    steps = reductions(program)
    if not steps:
        return None

    @st.composite
    def variants(draw: Callable) -> Program:
        current = program
        for step in steps:
            if draw(st.integers(0, 7)) == 0:
                current = step(current) or current
        return current

    try:
        return find(
            variants(),
            still_fails,
            random=random.Random(seed),
            settings=settings(
                max_examples=max_examples,
                database=None,
                deadline=None,
                phases=[Phase.generate, Phase.shrink],
                suppress_health_check=list(HealthCheck),
            ),
        )
    except NoSuchExample:
        return None


def reductions(program: Program) -> list[Reduction]:
    """Every candidate simplification of `program`, each a function (None: not applicable)."""
    steps: list[Reduction] = [_dead_code]
    if program.context != "eager":
        steps.append(lambda p: replace(p, context="eager"))
    for level, recorder in enumerate(program.recorders):
        steps += _recorder_steps(level, recorder)
        for index, query in enumerate(recorder.queries):
            steps += _query_steps(level, index, query)
    steps += [_bypass(op.out) for op in program.ops]
    steps += [_ones(value.name) for value in program.inputs]
    steps += [_as_constant(v.name) for v in program.inputs if v.kind != "constant"]
    steps += [_drop_recorder(level) for level in range(len(program.recorders))]
    return steps + [_dead_code]


def _recorder_steps(level: int, recorder: Recorder) -> list[Reduction]:
    steps: list[Reduction] = []
    if recorder.persistent:
        steps.append(lambda p: p.with_recorder(level, persistent=False))
    if not recorder.watch_accessed:
        steps.append(lambda p: p.with_recorder(level, watch_accessed=True))
    if recorder.kind == "tape":
        for name in recorder.watches:
            steps.append(_drop_watch(level, name))
    return steps


def _drop_watch(level: int, name: str) -> Reduction:
    def step(p: Program) -> Program:
        watches = tuple(w for w in p.recorders[level].watches if w != name)
        return p.with_recorder(level, watches=watches)

    return step


def _query_steps(level: int, index: int, query: Query) -> list[Reduction]:
    steps: list[Reduction] = [_edit_query(level, query.out, None)]
    for key, _ in query.options:
        steps.append(
            _edit_query(
                level,
                query.out,
                lambda q, key=key: replace(q, options=tuple(o for o in q.options if o[0] != key)),
            )
        )
    if not isinstance(query.target, str) and query.target is not None:
        steps.append(
            _edit_query(level, query.out, lambda q: replace(q, target=struct_names(q.target)[0]))
        )
    if not isinstance(query.sources, str) and query.sources is not None:
        steps.append(
            _edit_query(level, query.out, lambda q: replace(q, sources=struct_names(q.sources)[0]))
        )
    return steps


def _edit_query(level: int, out: str, edit: Callable[[Query], Query] | None) -> Reduction:
    """Replace (or with `edit` None, drop) the query named `out`."""

    def step(p: Program) -> Program | None:
        queries = p.recorders[level].queries
        if not any(q.out == out for q in queries):
            return None
        if edit is None:
            if len(p.outputs) == 1 or _referenced(p, out):
                return None
            return p.with_recorder(level, queries=tuple(q for q in queries if q.out != out))
        return p.with_recorder(
            level, queries=tuple(edit(q) if q.out == out else q for q in queries)
        )

    return step


def _referenced(p: Program, name: str) -> bool:
    for recorder in p.recorders:
        for q in recorder.queries:
            if name in struct_names(q.target) + struct_names(q.sources):
                return True
    return any(name in op.args for op in p.ops)


def _bypass(out: str) -> Reduction:
    """Replace `out = f(a, …)` by `a` wherever `out` is used, when `a` has its type."""

    def step(p: Program) -> Program | None:
        op = next((o for o in p.ops if o.out == out), None)
        if op is None:
            return None
        types = p.value_types()
        arg = next((a for a in op.args if types[a] == (op.dtype, op.shape)), None)
        if arg is None:
            return None
        return _rename(replace(p, ops=tuple(o for o in p.ops if o.out != out)), out, arg)

    return step


def _rename(p: Program, old: str, new: str) -> Program:
    ops = tuple(replace(o, args=tuple(new if a == old else a for a in o.args)) for o in p.ops)
    recorders = tuple(
        replace(
            r,
            queries=tuple(
                replace(
                    q,
                    target=_rename_struct(q.target, old, new),
                    sources=_rename_struct(q.sources, old, new),
                )
                for q in r.queries
            ),
        )
        for r in p.recorders
    )
    return replace(p, ops=ops, recorders=recorders)


def _rename_struct(struct, old: str, new: str):
    if struct is None or isinstance(struct, str):
        return new if struct == old else struct
    kind, items = struct
    if kind == "dict":
        return (kind, tuple((k, _rename_struct(v, old, new)) for k, v in items))
    return (kind, tuple(_rename_struct(v, old, new) for v in items))


def _ones(name: str) -> Reduction:
    def step(p: Program) -> Program | None:
        value = next((v for v in p.inputs if v.name == name), None)
        if value is None:
            return None
        one = 1 if value.dtype == "int32" else (1 + 0j if value.dtype == "complex64" else 1.0)
        if all(d == one for d in value.data):
            return None
        return _with_input(p, replace(value, data=(one,) * len(value.data)))

    return step


def _as_constant(name: str) -> Reduction:
    def step(p: Program) -> Program | None:
        value = next((v for v in p.inputs if v.name == name), None)
        return None if value is None else _with_input(p, replace(value, kind="constant"))

    return step


def _with_input(p: Program, value: Input) -> Program:
    return replace(p, inputs=tuple(value if v.name == value.name else v for v in p.inputs))


def _drop_recorder(level: int) -> Reduction:
    """Remove a recorder whose queries nothing else uses."""

    def step(p: Program) -> Program | None:
        if level >= len(p.recorders) or len(p.recorders) == 1:
            return None
        dropped = p.recorders[level]
        if any(_referenced(p, q.out) for q in dropped.queries) or len(dropped.queries) == len(
            p.outputs
        ):
            return None
        return replace(p, recorders=p.recorders[:level] + p.recorders[level + 1 :])

    return step


def _dead_code(p: Program) -> Program | None:
    """Drop ops no query needs and inputs nothing uses."""
    needed: set[str] = set()
    for recorder in p.recorders:
        needed.update(recorder.watches)
        for q in recorder.queries:
            needed.update(struct_names(q.target) + struct_names(q.sources))
    ops: list[Op] = []
    for op in reversed(p.ops):
        if op.out in needed:
            ops.append(op)
            needed.update(op.args)
    inputs = tuple(v for v in p.inputs if v.name in needed)
    if len(ops) == len(p.ops) and len(inputs) == len(p.inputs):
        return None
    return replace(p, ops=tuple(reversed(ops)), inputs=inputs)
