"""`Program` → Python source of a case program (``tf``, ``np`` and ``context`` bound).

Inputs are created at module level (a tf.function may not create
variables on every trace); ``run`` holds the recorders, ops and queries and
returns every query's result, which module level unpacks into ``r0``, ….
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .ops import render_op
from .program import Input, Program, Query, Recorder, Struct

INDENT = "    "


def render(program: Program) -> str:
    """The program's source."""
    lines = [_input_line(i) for i in program.inputs]
    lines += ["", "@context", "def run():"]
    lines += [INDENT + line for line in _recorder_lines(program, 0)]
    outputs = program.outputs
    lines.append(f"{INDENT}return ({''.join(o + ', ' for o in outputs)})")
    lines += ["", f"({''.join(o + ', ' for o in outputs)}) = run()"]
    return "\n".join(lines) + "\n"


def literal(data: tuple, shape: tuple[int, ...]) -> str:
    """Flat `data` as a nested Python list literal of `shape` (a scalar when ())."""
    array = np.empty(len(data), dtype=object)
    array[:] = list(data)
    return repr(array.reshape(shape).tolist()) if shape else repr(data[0])


def tensor_expr(dtype: str, shape: tuple[int, ...], data: tuple) -> str:
    return f"tf.constant({literal(data, shape)}, dtype=tf.{dtype})"


def _input_line(value: Input) -> str:
    lit = literal(value.data, value.shape)
    if value.kind == "constant":
        return f"{value.name} = tf.constant({lit}, dtype=tf.{value.dtype})"
    frozen = ", trainable=False" if value.kind == "frozen" else ""
    return f"{value.name} = tf.Variable({lit}, dtype=tf.{value.dtype}{frozen})"


def _recorder_lines(program: Program, level: int) -> list[str]:
    if level == len(program.recorders):
        return [line for op in program.ops for line in render_op(op)] or ["pass"]
    recorder = program.recorders[level]
    body = _watch_lines(recorder) + _recorder_lines(program, level + 1)
    lines = [f"with {_opener(program, recorder)} as {recorder.name}:"]
    lines += [INDENT + line for line in body]
    types = program.value_types()
    return lines + [_query_line(recorder, q, types) for q in recorder.queries]


def _opener(program: Program, recorder: Recorder) -> str:
    if recorder.kind == "acc":
        types = program.value_types()
        tangents = [
            tensor_expr(*types[name], data)
            for name, data in zip(recorder.watches, recorder.tangents)
        ]
        if len(tangents) == 1:
            return f"tf.autodiff.ForwardAccumulator({recorder.watches[0]}, {tangents[0]})"
        return (
            f"tf.autodiff.ForwardAccumulator([{', '.join(recorder.watches)}], "
            f"[{', '.join(tangents)}])"
        )
    args = []
    if recorder.persistent:
        args.append("persistent=True")
    if not recorder.watch_accessed:
        args.append("watch_accessed_variables=False")
    return f"tf.GradientTape({', '.join(args)})"


def _watch_lines(recorder: Recorder) -> list[str]:
    if recorder.kind != "tape" or not recorder.watches:
        return []
    names = recorder.watches
    watched = names[0] if len(names) == 1 else f"[{', '.join(names)}]"
    return [f"{recorder.name}.watch({watched})"]


def render_struct(struct: Struct) -> str:
    if isinstance(struct, str):
        return struct
    kind, items = struct
    if kind == "dict":
        return "{" + ", ".join(f"{k!r}: {render_struct(v)}" for k, v in items) + "}"
    inner = ", ".join(render_struct(item) for item in items)
    return f"[{inner}]" if kind == "list" else f"({inner}{',' if len(items) == 1 else ''})"


def _query_line(recorder: Recorder, query: Query, types: dict) -> str:
    if query.kind == "watched_variables":
        return f"{query.out} = {recorder.name}.watched_variables()"
    args = [render_struct(query.target)]
    if query.kind != "jvp":
        args.append(render_struct(query.sources))
    args += [_option(key, value, types) for key, value in query.options]
    return f"{query.out} = {recorder.name}.{query.kind}({', '.join(args)})"


def _option(key: str, value: Any, types: dict) -> str:
    if key == "unconnected":
        return f"unconnected_gradients=tf.UnconnectedGradients.{value}"
    if key == "pfor":
        return f"experimental_use_pfor={value!r}"
    if key == "output_gradients":
        dtype, shape, data = value
        return f"output_gradients={tensor_expr(dtype, shape, data)}"
    raise ValueError(f"unknown query option {key!r}")
