"""Unary elementwise ops: a domain per op, generated typical / empty samples, edge values.

Each row is ``(api, (low, high), dtypes, edges)``; an edge is ``(name, values,
convention)`` where ``convention`` (None for an ordinary point) says why the
finite differences are not an oracle there (a kink, a pole, a flat step).
"""

from __future__ import annotations

from ..table import (
    ALL_DTYPES,
    CHECKS,
    COMPLEX,
    FORWARD_TRANSPOSE,
    HALF,
    REAL,
    OpEntry,
    Sample,
    arr,
    uniform,
)

NO_COMPLEX = HALF + REAL
KINK0 = "kink at 0"
STEP = "piecewise constant: TF's gradient is None (zero) everywhere"
POLE0 = "pole at 0"

ROWS = [
    ("tf.math.abs", (-2, 2), ALL_DTYPES, [("zero", [0.0, -1.5, 1.5], KINK0)]),
    ("tf.math.negative", (-2, 2), ALL_DTYPES, []),
    ("tf.math.sign", (-2, 2), ALL_DTYPES, [("zero", [0.0, -1.0, 2.0], "jump at 0")]),
    ("tf.math.square", (-2, 2), ALL_DTYPES, [("large", [1e10, -3e10], None)]),
    (
        "tf.math.sqrt",
        (0.2, 3),
        ALL_DTYPES,
        [("zero", [0.0, 1.0], "pole of the derivative at 0"), ("tiny", [1e-8, 1e-6], None)],
    ),
    ("tf.math.rsqrt", (0.3, 3), ALL_DTYPES, [("zero", [0.0, 2.0], POLE0)]),
    ("tf.math.exp", (-2, 2), ALL_DTYPES, [("large", [80.0, -80.0], None)]),
    ("tf.math.expm1", (-2, 2), ALL_DTYPES, [("tiny", [1e-9, -1e-9], None)]),
    (
        "tf.math.log",
        (0.3, 3),
        ALL_DTYPES,
        [("zero", [0.0, 1.0], POLE0), ("tiny", [1e-30, 1e-8], None)],
    ),
    ("tf.math.log1p", (-0.5, 2), ALL_DTYPES, [("tiny", [1e-10, -1e-10], None)]),
    ("tf.math.sin", (-3, 3), ALL_DTYPES, []),
    ("tf.math.cos", (-3, 3), ALL_DTYPES, []),
    ("tf.math.tan", (-1.2, 1.2), ALL_DTYPES, []),
    (
        "tf.math.asin",
        (-0.9, 0.9),
        ALL_DTYPES,
        [("one", [1.0, -1.0], "pole of the derivative at ±1")],
    ),
    ("tf.math.acos", (-0.9, 0.9), ALL_DTYPES, []),
    ("tf.math.atan", (-3, 3), ALL_DTYPES, []),
    ("tf.math.sinh", (-2, 2), ALL_DTYPES, []),
    ("tf.math.cosh", (-2, 2), ALL_DTYPES, []),
    ("tf.math.tanh", (-2, 2), ALL_DTYPES, [("large", [30.0, -30.0], None)]),
    ("tf.math.asinh", (-3, 3), ALL_DTYPES, []),
    ("tf.math.acosh", (1.2, 3), ALL_DTYPES, []),
    ("tf.math.atanh", (-0.9, 0.9), ALL_DTYPES, []),
    ("tf.math.sigmoid", (-4, 4), ALL_DTYPES, [("large", [50.0, -50.0], None)]),
    ("tf.math.log_sigmoid", (-4, 4), NO_COMPLEX, [("large", [50.0, -50.0], None)]),
    ("tf.math.softplus", (-4, 4), NO_COMPLEX, [("large", [50.0, -50.0], None)]),
    ("tf.math.softsign", (-3, 3), NO_COMPLEX, []),
    ("tf.math.erf", (-2, 2), NO_COMPLEX, []),
    ("tf.math.erfc", (-2, 2), NO_COMPLEX, []),
    ("tf.math.erfinv", (-0.9, 0.9), NO_COMPLEX, []),
    ("tf.math.erfcinv", (0.2, 1.8), NO_COMPLEX, []),
    ("tf.math.ndtri", (0.1, 0.9), NO_COMPLEX, []),
    ("tf.math.lgamma", (0.5, 4), NO_COMPLEX, []),
    ("tf.math.digamma", (0.5, 4), NO_COMPLEX, []),
    ("tf.math.reciprocal", (0.3, 3), ALL_DTYPES, [("zero", [0.0, 1.0], POLE0)]),
    ("tf.math.reciprocal_no_nan", (0.3, 3), ALL_DTYPES, [("zero", [0.0, 2.0], "0 by convention")]),
    ("tf.math.ceil", (-3, 3), NO_COMPLEX, []),
    ("tf.math.floor", (-3, 3), NO_COMPLEX, []),
    ("tf.math.round", (-3, 3), NO_COMPLEX, [("half", [0.5, 1.5, -2.5], STEP)]),
    ("tf.math.rint", (-3, 3), NO_COMPLEX, []),
    ("tf.math.bessel_i0", (-2, 2), NO_COMPLEX, []),
    ("tf.math.bessel_i0e", (-2, 2), NO_COMPLEX, []),
    ("tf.math.bessel_i1", (-2, 2), NO_COMPLEX, []),
    ("tf.math.bessel_i1e", (-2, 2), NO_COMPLEX, []),
    ("tf.math.special.bessel_j0", (0.5, 3), REAL, []),
    ("tf.math.special.bessel_j1", (0.5, 3), REAL, []),
    ("tf.math.special.bessel_y0", (0.5, 3), REAL, []),
    ("tf.math.special.bessel_y1", (0.5, 3), REAL, []),
    ("tf.math.special.bessel_k0", (0.5, 3), REAL, []),
    ("tf.math.special.bessel_k0e", (0.5, 3), REAL, []),
    ("tf.math.special.bessel_k1", (0.5, 3), REAL, []),
    ("tf.math.special.bessel_k1e", (0.5, 3), REAL, []),
    ("tf.math.special.dawsn", (-2, 2), REAL, []),
    ("tf.math.special.expint", (0.5, 3), REAL, []),
    ("tf.math.special.fresnel_cos", (-2, 2), REAL, []),
    ("tf.math.special.fresnel_sin", (-2, 2), REAL, []),
    ("tf.math.special.spence", (0.5, 3), REAL, []),
    ("tf.math.real", (-2, 2), ALL_DTYPES, []),
    ("tf.math.imag", (-2, 2), COMPLEX, []),
    ("tf.math.conj", (-2, 2), ALL_DTYPES, []),
    ("tf.math.angle", (-2, 2), COMPLEX, []),
    ("tf.identity", (-2, 2), ALL_DTYPES, []),
    ("tf.stop_gradient", (-2, 2), REAL, []),
    ("tf.nn.relu", (-2, 2), NO_COMPLEX, [("zero", [0.0, -1.0, 1.0], KINK0)]),
    ("tf.nn.relu6", (-2, 8), NO_COMPLEX, [("kinks", [0.0, 6.0, 3.0], "kinks at 0 and 6")]),
    (
        "tf.nn.elu",
        (-2, 2),
        NO_COMPLEX,
        [("zero", [0.0, 1.0], "kink of the second derivative at 0")],
    ),
    ("tf.nn.selu", (-2, 2), NO_COMPLEX, [("zero", [0.0, 1.0], KINK0)]),
    ("tf.nn.gelu", (-3, 3), NO_COMPLEX, []),
    ("tf.nn.leaky_relu", (-2, 2), NO_COMPLEX, [("zero", [0.0, 1.0], KINK0)]),
    ("tf.nn.silu", (-3, 3), NO_COMPLEX, []),
    ("tf.nn.softsign", (-3, 3), NO_COMPLEX, []),
    ("tf.nn.crelu", (-2, 2), NO_COMPLEX, []),
]


def entries() -> list[OpEntry]:
    return [_entry(*row) for row in ROWS]


def _entry(api: str, domain: tuple[float, float], dtypes: tuple[str, ...], edges: list) -> OpEntry:
    low, high = domain
    samples = [
        Sample("typical", (uniform(api, (2, 3), low, high),)),
        Sample("empty", (arr([]).reshape(0, 3),)),
    ]
    samples += [Sample(name, (arr(values),), convention=conv) for name, values, conv in edges]
    return OpEntry(
        api=api,
        family="unary",
        samples=tuple(samples),
        dtypes=dtypes,
        domain=f"[{low}, {high}]",
        convention=BY_DEFINITION.get(api),
        checks=FORWARD_TRANSPOSE if api in GRADIENT_OP_VJP else CHECKS,
    )


# Their VJP is a gradient op (ReluGrad, Relu6Grad, LeakyReluGrad) whose forward rule
# in the cotangent only the "ft" check reaches.
GRADIENT_OP_VJP = {"tf.nn.relu", "tf.nn.relu6", "tf.nn.leaky_relu"}


BY_DEFINITION = {"tf.stop_gradient": "no gradient by definition: TF returns None"}
