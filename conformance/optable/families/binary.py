"""Binary elementwise ops with broadcasting: same shape, broadcast rows, a scalar
operand, plus edge values (ties, zeros, poles) where TF's gradient is a convention."""

from __future__ import annotations

from ..table import ALL_DTYPES, HALF, REAL, OpEntry, arr
from ._build import E, S, rand

NO_COMPLEX = HALF + REAL
TIE = "tie x == y: TF sends the whole gradient to one side"

# api, x domain, y domain, dtypes, edges [(name, x, y, convention)]
ROWS = [
    ("tf.math.add", (-2, 2), (-2, 2), ALL_DTYPES, []),
    ("tf.math.subtract", (-2, 2), (-2, 2), ALL_DTYPES, []),
    ("tf.math.multiply", (-2, 2), (-2, 2), ALL_DTYPES, [("zeros", [0.0, 1.0], [2.0, 0.0], None)]),
    ("tf.math.divide", (-2, 2), (0.5, 2), ALL_DTYPES, []),
    ("tf.math.truediv", (-2, 2), (0.5, 2), ALL_DTYPES, []),
    ("tf.realdiv", (-2, 2), (0.5, 2), ALL_DTYPES, []),
    (
        "tf.math.divide_no_nan",
        (-2, 2),
        (0.5, 2),
        ALL_DTYPES,
        [("zero-divisor", [1.0, 2.0], [0.0, 1.0], "x / 0 is 0 by convention")],
    ),
    (
        "tf.math.multiply_no_nan",
        (-2, 2),
        (-2, 2),
        ALL_DTYPES,
        [("zero-y", [1.0, 3.0], [0.0, 2.0], None)],
    ),
    (
        "tf.math.pow",
        (0.5, 2),
        (-2, 2),
        ALL_DTYPES,
        [("zero-base", [0.0, 0.0, 2.0], [2.0, 0.5, 3.0], "0**y: TF defines the y-gradient as 0")],
    ),
    (
        "tf.math.maximum",
        (-2, 2),
        (-2, 2),
        NO_COMPLEX,
        [("ties", [1.0, -1.0, 2.0], [1.0, 0.0, 2.0], TIE)],
    ),
    (
        "tf.math.minimum",
        (-2, 2),
        (-2, 2),
        NO_COMPLEX,
        [("ties", [1.0, -1.0, 2.0], [1.0, 0.0, 2.0], TIE)],
    ),
    ("tf.math.squared_difference", (-2, 2), (-2, 2), ALL_DTYPES, []),
    ("tf.math.atan2", (-2, 2), (0.5, 2), REAL, []),
    (
        "tf.math.xlogy",
        (0.5, 2),
        (0.5, 2),
        ALL_DTYPES,
        [("zero-x", [0.0, 1.0], [0.0, 2.0], "0·log 0 is 0 by convention")],
    ),
    (
        "tf.math.xdivy",
        (0.5, 2),
        (0.5, 2),
        ALL_DTYPES,
        [("zero-x", [0.0, 1.0], [0.0, 2.0], "0/0 is 0 by convention")],
    ),
    (
        "tf.math.xlog1py",
        (0.5, 2),
        (0.5, 2),
        ALL_DTYPES,
        [("zero-x", [0.0, 1.0], [-1.0, 2.0], "0·log(1+y) is 0 by convention")],
    ),
    ("tf.math.floordiv", (-3, 3), (0.5, 2), REAL, []),
    ("tf.math.floormod", (0.5, 3), (0.7, 2), REAL, []),
    ("tf.truncatemod", (0.5, 3), (0.7, 2), REAL, []),
    ("tf.math.zeta", (1.5, 4), (0.5, 2), REAL, []),
    ("tf.math.igamma", (0.5, 3), (0.5, 3), REAL, []),
    ("tf.math.igammac", (0.5, 3), (0.5, 3), REAL, []),
]


def entries() -> list[OpEntry]:
    found = [_entry(*row) for row in ROWS]
    found += [
        E("tf.math.scalar_mul", "binary", [S("typical", arr(1.7), rand("scalar_mul", (2, 3)))]),
        E(
            "tf.math.add_n",
            "binary",
            [
                S(
                    "typical",
                    rand("add_n", (2, 3)),
                    rand("add_n", (2, 3), k=1),
                    rand("add_n", (2, 3), k=2),
                )
            ],
            dtypes=ALL_DTYPES,
            call=lambda tf, *xs: tf.math.add_n(list(xs)),
        ),
        E(
            "tf.complex",
            "binary",
            [S("typical", rand("complex", (2, 3)), rand("complex", (2, 3), k=1))],
        ),
        E(
            "tf.math.polygamma",
            "binary",
            [S("typical", arr([[0.0, 1.0, 2.0]]), rand("polygamma", (2, 3), 0.5, 3))],
            note="the order a is not differentiable (TF returns None for it)",
        ),
        E("tf.math.lbeta", "binary", [S("typical", rand("lbeta", (2, 3), 0.5, 3))]),
        E(
            "tf.math.nextafter",
            "binary",
            [S("typical", rand("nextafter", (2, 3)), rand("nextafter", (2, 3), k=1))],
        ),
        E(
            "tf.math.accumulate_n",
            "binary",
            [S("typical", rand("accumulate_n", (2, 3)), rand("accumulate_n", (2, 3), k=1))],
            call=lambda tf, *xs: tf.math.accumulate_n(list(xs)),
        ),
        E(
            "tf.math.betainc",
            "binary",
            [
                S(
                    "typical",
                    rand("betainc", (2, 3), 0.5, 3),
                    rand("betainc", (2, 3), 0.5, 3, k=1),
                    rand("betainc", (2, 3), 0.1, 0.9, k=2),
                )
            ],
            note="TF differentiates x only (a, b: None)",
        ),
    ]
    return found


def _entry(api: str, xdom: tuple, ydom: tuple, dtypes: tuple, edges: list) -> OpEntry:
    x, y = rand(api, (2, 3), *xdom), rand(api, (2, 3), *ydom, k=1)
    samples = [
        S("same-shape", x, y),
        S("broadcast", x, rand(api, (3,), *ydom, k=2)),
        S("scalar", rand(api, (), *xdom, k=3), y),
    ]
    samples += [S(name, arr(a), arr(b), conv=conv) for name, a, b, conv in edges]
    return E(api, "binary", samples, dtypes=dtypes)
