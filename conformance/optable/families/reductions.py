"""Reductions, scans, segment ops and normalizations: generated axis / keepdims
samples on a (3, 4) input, empty inputs, and ties for max/min-like ops."""

from __future__ import annotations

from ..table import ALL_DTYPES, HALF, REAL, OpEntry, arr, ints
from ._build import E, S, rand

NO_COMPLEX = HALF + REAL
TIES = "ties: TF splits the gradient evenly between equal maxima"
AXES = [
    ("all", {}),
    ("axis0", {"axis": 0}),
    ("axis1-keepdims", {"axis": 1, "keepdims": True}),
    ("axis-neg", {"axis": -1}),
]

# api, domain, dtypes, extra samples
REDUCE = [
    ("tf.math.reduce_sum", (-2, 2), ALL_DTYPES),
    ("tf.math.reduce_mean", (-2, 2), ALL_DTYPES),
    ("tf.math.reduce_prod", (0.5, 1.5), ALL_DTYPES),
    ("tf.math.reduce_max", (-2, 2), NO_COMPLEX),
    ("tf.math.reduce_min", (-2, 2), NO_COMPLEX),
    ("tf.math.reduce_logsumexp", (-2, 2), REAL),
    ("tf.math.reduce_euclidean_norm", (0.5, 2), REAL),
    ("tf.math.reduce_std", (-2, 2), REAL),
    ("tf.math.reduce_variance", (-2, 2), REAL),
]


def entries() -> list[OpEntry]:
    found = [_reduce(api, dom, dtypes) for api, dom, dtypes in REDUCE]
    return found + _scans() + _segments() + _norms()


def _reduce(api: str, dom: tuple, dtypes: tuple) -> OpEntry:
    x = rand(api, (3, 4), *dom)
    samples = [S(name, x, **kwargs) for name, kwargs in AXES]
    samples.append(S("empty", arr([]).reshape(0, 4), axis=0))
    if api.endswith(("max", "min")):
        samples.append(S("ties", arr([[1.0, 2.0, 2.0], [0.5, 0.5, 0.5]]), axis=1, conv=TIES))
    if api.endswith("prod"):
        samples.append(S("one-zero", arr([[0.0, 2.0, 3.0], [1.0, 2.0, 3.0]]), axis=1))
        samples.append(S("two-zeros", arr([[0.0, 0.0, 3.0]]), axis=1))
    return E(api, "reductions", samples, dtypes=dtypes)


def _scans() -> list[OpEntry]:
    found = []
    for api, dom, dtypes in [
        ("tf.math.cumsum", (-2, 2), ALL_DTYPES),
        ("tf.math.cumprod", (0.5, 1.5), ALL_DTYPES),
        ("tf.math.cumulative_logsumexp", (-2, 2), REAL),
    ]:
        x = rand(api, (3, 4), *dom)
        samples = [
            S("axis0", x, axis=0),
            S("axis1-exclusive", x, axis=1, exclusive=True),
            S("reverse", x, axis=1, reverse=True),
        ]
        if api.endswith("cumprod"):  # a polynomial: smooth at zeros, FD applies
            samples.append(S("zero", arr([[0.0, 2.0, 3.0], [2.0, 0.0, 0.5]]), axis=1))
        found.append(E(api, "reductions", samples, dtypes=dtypes))
    found.append(
        E(
            "tf.math.top_k",
            "reductions",
            [
                S("typical", rand("top_k", (2, 5)), k=2),
                S("ties", arr([[1.0, 3.0, 3.0, 0.0]]), k=2, conv="ties: TF picks the lower index"),
            ],
        )
    )
    found.append(
        E(
            "tf.sort",
            "reductions",
            [
                S("typical", rand("sort", (2, 5))),
                S("descending", rand("sort", (2, 5)), direction="DESCENDING"),
            ],
        )
    )
    return found


SEGMENT_IDS = ints([0, 0, 1, 2, 2])
UNSORTED_IDS = ints([2, 0, 2, 1, 0])


def _segments() -> list[OpEntry]:
    found = []
    for name in ("sum", "mean", "max", "min", "prod"):
        api = f"tf.math.segment_{name}"
        found.append(E(api, "reductions", [S("typical", rand(api, (5, 3), 0.5, 1.5), SEGMENT_IDS)]))
    for name in ("sum", "mean", "max", "min", "prod", "sqrt_n"):
        api = f"tf.math.unsorted_segment_{name}"
        found.append(
            E(
                api,
                "reductions",
                [S("typical", rand(api, (5, 3), 0.5, 1.5), UNSORTED_IDS, num_segments=4)],
            )
        )
    return found


def _norms() -> list[OpEntry]:
    x = rand("norm", (3, 4), -2, 2)
    found = [
        E(
            "tf.norm",
            "reductions",
            [
                S("euclidean", x),
                S("axis1", x, axis=1),
                S("ord1", x, ord=1, axis=1),
                S("inf", x, ord=float("inf"), axis=1),
                S("fro", x, ord="fro", axis=[0, 1]),
                S("zero", arr([0.0, 0.0]), conv="kink at 0: TF's gradient is NaN"),
            ],
        ),
        E("tf.math.l2_normalize", "reductions", [S("typical", x, axis=1), S("all", x)]),
        E(
            "tf.nn.moments",
            "reductions",
            [S("axis0", x, axes=[0]), S("keepdims", x, axes=[1], keepdims=True)],
        ),
        E(
            "tf.nn.normalize_moments",
            "reductions",
            [S("typical", arr(4.0), rand("nm", (3,)), rand("nm", (3,), 0.5, 2, k=1))],
            call=lambda tf, c, m, v: tf.nn.normalize_moments(c, m, v, None),
        ),
        E(
            "tf.nn.weighted_moments",
            "reductions",
            [S("typical", x, rand("wm", (3, 4), 0.5, 1.5), axes=[1])],
            call=lambda tf, x, w, axes: tf.nn.weighted_moments(x, axes, w),
        ),
        E(
            "tf.math.polyval",
            "reductions",
            [S("typical", rand("polyval", (3,)), rand("polyval", (2, 2)))],
            call=lambda tf, c, x: tf.math.polyval(tf.unstack(c), x),
        ),
        E(
            "tf.nn.sufficient_statistics",
            "reductions",
            [S("typical", x, axes=[1])],
            call=lambda tf, x, axes: tf.nn.sufficient_statistics(x, axes)[1:],
        ),
        E(
            "tf.linalg.global_norm",
            "reductions",
            [S("typical", x, rand("gn", (2,)))],
            call=lambda tf, *xs: tf.linalg.global_norm(list(xs)),
        ),
        E(
            "tf.nn.softmax",
            "reductions",
            [S("typical", x), S("axis0", x, axis=0), S("large", arr([[1000.0, 0.0, -1000.0]]))],
            dtypes=NO_COMPLEX,
        ),
        E(
            "tf.nn.log_softmax",
            "reductions",
            [S("typical", x), S("axis0", x, axis=0), S("large", arr([[1000.0, 0.0, -1000.0]]))],
            dtypes=NO_COMPLEX,
        ),
    ]
    return found
