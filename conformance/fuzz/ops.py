"""The fuzzer's op catalog: every op a program may use, its API and its rendering.

Each `OpSpec` names the ``tf`` attribute paths it needs (``apis``, checked
against each engine's namespace by `discover`), the dtype classes it accepts
(``f`` float16/32/64, ``c`` complex64, ``i`` int32) and how an `Op` of it is
rendered. Typing (output dtype and shape) is decided by the generator, which
builds each op with valid shapes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .program import Op

FLOATS = ("float16", "float32", "float64")
CLASS_OF = {"float16": "f", "float32": "f", "float64": "f", "complex64": "c", "int32": "i"}


@dataclass(frozen=True)
class OpSpec:
    """One kind of op: its family, APIs, accepted dtype classes and rendering."""

    name: str
    family: str
    apis: tuple[str, ...]
    classes: str
    template: str = ""  # unary/binary: "tf.sin({a})"; others render themselves

    def accepts(self, dtype: str) -> bool:
        return CLASS_OF[dtype] in self.classes


def _u(name: str, api: str, classes: str, template: str | None = None) -> OpSpec:
    return OpSpec(name, "unary", (api,) if api else (), classes, template or f"tf.{api}({{a}})")


def _b(name: str, api: str, classes: str, template: str | None = None) -> OpSpec:
    return OpSpec(
        name, "binary", (api,) if api else (), classes, template or f"tf.{api}({{a}}, {{b}})"
    )


UNARY = [
    _u("negative", "negative", "fci"),
    _u("abs", "abs", "fci"),
    _u("square", "square", "fci"),
    _u("sqrt", "sqrt", "fc"),
    _u("exp", "exp", "fc"),
    _u("log", "math.log", "fc"),
    _u("sin", "sin", "fc"),
    _u("cos", "cos", "fc"),
    _u("tanh", "tanh", "fc"),
    _u("sigmoid", "sigmoid", "f"),
    _u("reciprocal", "math.reciprocal", "fc"),
    _u("rsqrt", "math.rsqrt", "f"),
    _u("log1p", "math.log1p", "f"),
    _u("expm1", "math.expm1", "f"),
    _u("sign", "sign", "fi"),
    _u("softplus", "math.softplus", "f"),
    _u("relu", "nn.relu", "fi"),
    _u("relu6", "nn.relu6", "f"),
    _u("elu", "nn.elu", "f"),
    _u("leaky_relu", "nn.leaky_relu", "f"),
    _u("identity", "identity", "fci"),
    _u("stop_gradient", "stop_gradient", "fci"),
    _u("neg_op", "", "fci", "(-{a})"),
    _u("pow2_op", "", "fci", "({a} ** 2)"),
    _u("real", "math.real", "c"),
    _u("imag", "math.imag", "c"),
    _u("conj", "math.conj", "c"),
]
BINARY = [
    _b("add", "add", "fci"),
    _b("subtract", "subtract", "fci"),
    _b("multiply", "multiply", "fci"),
    _b("divide", "divide", "fc"),
    _b("maximum", "maximum", "fi"),
    _b("minimum", "minimum", "fi"),
    _b("pow", "pow", "fc"),
    _b("squared_difference", "math.squared_difference", "f"),
    _b("divide_no_nan", "math.divide_no_nan", "fc"),
    _b("add_op", "", "fci", "({a} + {b})"),
    _b("sub_op", "", "fci", "({a} - {b})"),
    _b("mul_op", "", "fci", "({a} * {b})"),
    _b("div_op", "", "fc", "({a} / {b})"),
    _b("where", "where", "fi", "tf.where({a} > 0, {a}, {b})"),
]
REDUCE = [
    OpSpec(n, "reduce", (n,), c)
    for n, c in (
        ("reduce_sum", "fci"),
        ("reduce_mean", "fc"),
        ("reduce_max", "fi"),
        ("reduce_min", "fi"),
        ("reduce_prod", "fc"),
    )
]
SHAPED = [
    OpSpec("matmul", "matmul", ("matmul",), "fc"),
    OpSpec("reshape", "reshape", ("reshape",), "fci"),
    OpSpec("transpose", "transpose", ("transpose",), "fci"),
    OpSpec("expand_dims", "expand_dims", ("expand_dims",), "fci"),
    OpSpec("squeeze", "squeeze", ("squeeze",), "fci"),
    OpSpec("concat", "concat", ("concat",), "fci"),
    OpSpec("stack", "stack", ("stack",), "fci"),
    OpSpec("unstack", "unstack", ("unstack",), "fci"),
    OpSpec("gather", "gather", ("gather",), "fci"),
    OpSpec("gather_nd", "gather_nd", ("gather_nd",), "fci"),
    OpSpec("slice", "slice", (), "fci"),
    OpSpec("softmax", "softmax", ("nn.softmax",), "f"),
    OpSpec("cast", "cast", ("cast",), "fci"),
    OpSpec("clip", "clip", ("clip_by_value",), "fi"),
]
CONTROL = [
    OpSpec("cond", "control", ("cond", "constant"), "fci"),
    OpSpec("while_loop", "control", ("while_loop", "constant"), "fci"),
    OpSpec("py_for", "control", (), "fci"),
    OpSpec("py_if", "control", (), "fci"),
]
OPS: dict[str, OpSpec] = {spec.name: spec for spec in UNARY + BINARY + REDUCE + SHAPED + CONTROL}
# Queries, recorders and value constructors the programs use.
FRAME_APIS = (
    "GradientTape",
    "GradientTape.gradient",
    "GradientTape.watch",
    "constant",
    "Variable",
    "function",
)
QUERY_APIS = {
    "gradient": ("GradientTape.gradient",),
    "jacobian": ("GradientTape.jacobian",),
    "batch_jacobian": ("GradientTape.batch_jacobian",),
    "watched_variables": ("GradientTape.watched_variables",),
    "jvp": ("autodiff.ForwardAccumulator", "autodiff.ForwardAccumulator.jvp"),
    "unconnected": ("UnconnectedGradients",),
}


def all_apis() -> list[str]:
    """Every API path any program may use (what `discover` checks)."""
    names = set(FRAME_APIS)
    for spec in OPS.values():
        names.update(spec.apis)
    for apis in QUERY_APIS.values():
        names.update(apis)
    return sorted(names)


def render_op(op: Op) -> list[str]:
    """The source line(s) computing `op` (inside ``run``, before indentation)."""
    spec = OPS[op.fn]
    renderer = RENDERERS.get(spec.family) or RENDERERS[spec.name]
    return renderer(op)


def unary_expr(fn: str, arg: str) -> str:
    return OPS[fn].template.format(a=arg)


def _unary(op: Op) -> list[str]:
    return [f"{op.out} = {unary_expr(op.fn, op.args[0])}"]


def _binary(op: Op) -> list[str]:
    return [f"{op.out} = {OPS[op.fn].template.format(a=op.args[0], b=op.args[1])}"]


def _reduce(op: Op) -> list[str]:
    return [f"{op.out} = tf.{op.fn}({op.args[0]}{_kw(op, 'axis')}{_kw(op, 'keepdims')})"]


def _kw(op: Op, key: str) -> str:
    value = op.param(key)
    return "" if value is None else f", {key}={value!r}"


def _matmul(op: Op) -> list[str]:
    return [f"{op.out} = tf.matmul({op.args[0]}, {op.args[1]}{_kw(op, 'transpose_b')})"]


def _call(fn: str, *extra: str) -> Callable[[Op], list[str]]:
    def render(op: Op) -> list[str]:
        kws = "".join(_kw(op, key) for key in extra)
        return [f"{op.out} = tf.{fn}({op.args[0]}{kws})"]

    return render


def _list_call(fn: str) -> Callable[[Op], list[str]]:
    def render(op: Op) -> list[str]:
        return [f"{op.out} = tf.{fn}([{', '.join(op.args)}], axis={op.param('axis')})"]

    return render


def _unstack(op: Op) -> list[str]:
    return [f"{op.out} = tf.unstack({op.args[0]}, axis={op.param('axis')})[{op.param('i')}]"]


def _gather(op: Op) -> list[str]:
    return [f"{op.out} = tf.gather({op.args[0]}, {list(op.param('indices'))}{_kw(op, 'axis')})"]


def _gather_nd(op: Op) -> list[str]:
    indices = [list(i) for i in op.param("indices")]
    return [f"{op.out} = tf.gather_nd({op.args[0]}, {indices})"]


def _slice(op: Op) -> list[str]:
    return [f"{op.out} = {op.args[0]}[{op.param('spec')}]"]


def _cast(op: Op) -> list[str]:
    return [f"{op.out} = tf.cast({op.args[0]}, tf.{op.dtype})"]


def _clip(op: Op) -> list[str]:
    return [f"{op.out} = tf.clip_by_value({op.args[0]}, {op.param('lo')}, {op.param('hi')})"]


def _cond(op: Op) -> list[str]:
    a, f, g = op.args[0], op.param("f"), op.param("g")
    return [
        f"{op.out} = tf.cond(tf.constant({op.param('pred')}), lambda: {unary_expr(f, a)}, "
        f"lambda: {unary_expr(g, a)})"
    ]


def _while(op: Op) -> list[str]:
    body = unary_expr(op.param("f"), "v")
    return [
        f"{op.out} = tf.while_loop(lambda i, v: i < {op.param('n')}, "
        f"lambda i, v: (i + 1, {body}), (tf.constant(0), {op.args[0]}))[1]"
    ]


def _py_for(op: Op) -> list[str]:
    return [
        f"{op.out} = {op.args[0]}",
        f"for _ in range({op.param('n')}):",
        f"    {op.out} = {unary_expr(op.param('f'), op.out)}",
    ]


def _py_if(op: Op) -> list[str]:
    a = op.args[0]
    return [
        f"if {op.param('pred')}:",
        f"    {op.out} = {unary_expr(op.param('f'), a)}",
        "else:",
        f"    {op.out} = {unary_expr(op.param('g'), a)}",
    ]


RENDERERS: dict[str, Callable[[Op], list[str]]] = {
    "unary": _unary,
    "binary": _binary,
    "reduce": _reduce,
    "matmul": _matmul,
    "reshape": _call("reshape", "shape"),
    "transpose": _call("transpose", "perm"),
    "expand_dims": _call("expand_dims", "axis"),
    "squeeze": _call("squeeze", "axis"),
    "concat": _list_call("concat"),
    "stack": _list_call("stack"),
    "unstack": _unstack,
    "gather": _gather,
    "gather_nd": _gather_nd,
    "slice": _slice,
    "softmax": _call("nn.softmax"),
    "cast": _cast,
    "clip": _clip,
    "cond": _cond,
    "while_loop": _while,
    "py_for": _py_for,
    "py_if": _py_if,
}
