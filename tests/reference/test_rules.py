"""Every primitive's VJP and JVP rule against central finite differences.

In the spirit of autograd's `check_grads`: in float64, at random points, the
reverse-mode VJP, the forward-mode JVP, and second order (reverse-over-
reverse and forward-over-reverse through nested tapes/accumulators) must
match numerical directional derivatives.
"""

import numpy as np
import pytest

import reference_impl as tf
from reference_impl.core import registry, trace

EPS = 1e-6
RTOL, ATOL = 1e-5, 1e-6

# name -> (function of tensors, input shapes, sampler of positive inputs?)
OPS = {
    "add": (tf.add, [(2, 3), (3,)]),
    "subtract": (tf.subtract, [(2, 1), (1, 3)]),
    "multiply": (tf.multiply, [(2, 3), (2, 3)]),
    "divide": (lambda a, b: a / (b * b + 1.0), [(2, 3), (3,)]),
    "pow": (lambda a, b: tf.pow(a * a + 0.5, b), [(3,), (3,)]),
    "maximum": (tf.maximum, [(4,), (4,)]),
    "minimum": (tf.minimum, [(4,), (4,)]),
    "divide_no_nan": (lambda a, b: tf.math.divide_no_nan(a, b * b + 1.0), [(3,), (3,)]),
    "squared_difference": (tf.math.squared_difference, [(3,), (3,)]),
    "floormod": (lambda a, b: tf.math.floormod(a, b * b + 2.0), [(3,), (3,)]),
    "complex_parts": (
        lambda a, b: (
            tf.math.real(tf.complex(a, b) * tf.complex(b, a))
            + tf.math.imag(tf.math.conj(tf.complex(a, b) * tf.complex(b, a)))
        ),
        [(3,), (3,)],
    ),
    "negative": (tf.negative, [(3,)]),
    "square": (tf.square, [(3,)]),
    "sqrt": (lambda x: tf.sqrt(x * x + 0.5), [(3,)]),
    "rsqrt": (lambda x: tf.math.rsqrt(x * x + 0.5), [(3,)]),
    "exp": (tf.exp, [(3,)]),
    "expm1": (tf.math.expm1, [(3,)]),
    "log": (lambda x: tf.math.log(x * x + 0.5), [(3,)]),
    "log1p": (lambda x: tf.math.log1p(x * x), [(3,)]),
    "reciprocal": (lambda x: tf.math.reciprocal(x * x + 0.5), [(3,)]),
    "sin": (tf.sin, [(3,)]),
    "cos": (tf.cos, [(3,)]),
    "tan": (lambda x: tf.tan(x * 0.3), [(3,)]),
    "tanh": (tf.tanh, [(3,)]),
    "sigmoid": (tf.sigmoid, [(3,)]),
    "sinh": (tf.math.sinh, [(3,)]),
    "cosh": (tf.math.cosh, [(3,)]),
    "asin": (lambda x: tf.math.asin(x * 0.3), [(3,)]),
    "acos": (lambda x: tf.math.acos(x * 0.3), [(3,)]),
    "atan": (tf.math.atan, [(3,)]),
    "asinh": (tf.math.asinh, [(3,)]),
    "acosh": (lambda x: tf.math.acosh(x * x + 1.5), [(3,)]),
    "atanh": (lambda x: tf.math.atanh(x * 0.3), [(3,)]),
    "erf": (tf.math.erf, [(3,)]),
    "atan2": (lambda a, b: tf.math.atan2(a, b * b + 0.5), [(3,), (3,)]),
    "xlogy": (lambda a, b: tf.math.xlogy(a, b * b + 0.5), [(3,), (3,)]),
    "xdivy": (lambda a, b: tf.math.xdivy(a, b * b + 0.5), [(3,), (3,)]),
    "xlog1py": (lambda a, b: tf.math.xlog1py(a, b * b), [(3,), (3,)]),
    "abs": (tf.abs, [(4,)]),
    "sign": (lambda x: tf.sign(x) * x, [(4,)]),
    "relu": (tf.nn.relu, [(4,)]),
    "relu6": (lambda x: tf.nn.relu6(x * 4.0), [(4,)]),
    "leaky_relu": (lambda x: tf.nn.leaky_relu(x, alpha=0.3), [(4,)]),
    "elu": (tf.nn.elu, [(4,)]),
    "softplus": (tf.nn.softplus, [(4,)]),
    "softmax": (tf.nn.softmax, [(2, 3)]),
    "log_softmax": (tf.nn.log_softmax, [(2, 3)]),
    "softmax_axis0": (lambda x: tf.nn.softmax(x, axis=0), [(2, 3)]),
    "reduce_sum": (lambda x: tf.reduce_sum(x, axis=1), [(2, 3)]),
    "reduce_mean": (lambda x: tf.reduce_mean(x, axis=0, keepdims=True), [(2, 3)]),
    "reduce_max": (lambda x: tf.reduce_max(x, axis=1), [(2, 3)]),
    "reduce_min": (tf.reduce_min, [(2, 3)]),
    "reduce_prod": (lambda x: tf.reduce_prod(x, axis=[0, 2]), [(2, 2, 3)]),
    "cumsum": (lambda x: tf.math.cumsum(x, axis=1, reverse=True), [(2, 3)]),
    "cumprod": (lambda x: tf.math.cumprod(x * x + 0.5, exclusive=True), [(4,)]),
    "matmul": (tf.matmul, [(2, 3), (3, 4)]),
    "matmul_transposed": (
        lambda a, b: tf.matmul(a, b, transpose_a=True, transpose_b=True),
        [(3, 2), (4, 3)],
    ),
    "matmul_batched": (tf.matmul, [(2, 2, 3), (3, 2)]),
    "reshape": (lambda x: tf.reshape(x, [3, -1]) * tf.constant([1.0, 2.0], tf.float64), [(2, 3)]),
    "transpose": (lambda x: tf.transpose(x, [2, 0, 1]), [(2, 3, 2)]),
    "squeeze_expand": (lambda x: tf.expand_dims(tf.squeeze(x), 0), [(1, 3)]),
    "broadcast_to": (lambda x: tf.broadcast_to(x, [2, 3]), [(3,)]),
    "tile": (lambda x: tf.tile(x, [2, 3]), [(2, 2)]),
    "slice": (lambda x: x[1:, ::2] * x[0, 1], [(3, 4)]),
    "concat": (lambda a, b: tf.concat([a, b, a], axis=1), [(2, 1), (2, 3)]),
    "stack": (lambda a, b: tf.stack([a, b], axis=1), [(3,), (3,)]),
    "gather": (lambda x: tf.gather(x, [2, 0, 2]), [(3, 2)]),
    "gather_axis1": (lambda x: tf.gather(x, [1, 1], axis=1), [(2, 3)]),
    "gather_nd": (lambda x: tf.gather_nd(x, [[0, 1], [1, 0]]), [(2, 2)]),
    "segment_sum": (
        lambda x: (
            tf.math.unsorted_segment_sum(x, [0, 2, 0], 3)
            if hasattr(tf.math, "unsorted_segment_sum")
            else tf.unsorted_segment_sum(x, [0, 2, 0], 3)
        ),
        [(3, 2)],
    ),
    "where": (lambda a, b: tf.where(a > b, a * b, a - b), [(4,), (4,)]),
    "cast": (lambda x: tf.cast(tf.cast(x, tf.complex128), tf.float64) * x, [(3,)]),
    "identity": (lambda x: tf.identity(x) * x, [(3,)]),
    "sort": (lambda x: tf.sort(x) * tf.constant([1.0, 2.0, 3.0], tf.float64), [(3,)]),
    "diag": (lambda x: tf.linalg.diag(tf.linalg.diag_part(x) * 2.0) * x, [(3, 3)]),
    "clip_by_value": (lambda x: tf.clip_by_value(x, -0.5, 0.5), [(4,)]),
    "clip_by_norm": (lambda x: tf.clip_by_norm(x, 0.5), [(3,)]),
    "norm": (tf.linalg.norm, [(3,)]),
    "einsum_matmul": (lambda a, b: tf.einsum("ij,jk->ik", a, b), [(2, 3), (3, 4)]),
    "einsum_implicit": (lambda a, b: tf.einsum("ij,ij", a, b * a), [(2, 3), (2, 3)]),
    "einsum_diagonal": (lambda x: tf.einsum("bxby->bxy", x), [(2, 3, 2, 2)]),
    "einsum_trace_outer": (lambda a, b: tf.einsum("iij,k->jk", a, b), [(2, 2, 3), (2,)]),
    # In a function body, cond joins both branches with an `If` op.
    "cond_in_function": (
        lambda a, b: tf.function(
            lambda: tf.cond(tf.reduce_sum(a) > 100.0, lambda: a * b, lambda: a - tf.sin(b))
        )(),
        [(3,), (3,)],
    ),
    # ... and a while_loop's outputs with a `While` op.
    "while_loop_in_function": (
        lambda a, b: tf.function(
            lambda: tf.while_loop(lambda i, v: i < 2, lambda i, v: (i + 1, v * b), (0, a))[1]
        )(),
        [(3,), (3,)],
    ),
}


def _inputs(shapes, seed):
    rng = np.random.default_rng(seed)
    return [rng.uniform(-1.5, 1.5, shape) for shape in shapes]


def _fn(name):
    return OPS[name][0]


def _eval(f, arrays):
    return np.asarray(f(*[tf.constant(a) for a in arrays]).numpy(), np.float64)


def _numeric_jvp(f, arrays, directions):
    plus = _eval(f, [a + EPS * v for a, v in zip(arrays, directions)])
    minus = _eval(f, [a - EPS * v for a, v in zip(arrays, directions)])
    return (plus - minus) / (2 * EPS)


def _gradient(f, arrays, cotangent):
    xs = [tf.constant(a) for a in arrays]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        y = f(*xs)
    grads = tape.gradient(y, xs, output_gradients=tf.constant(cotangent))
    return [
        np.zeros_like(a) if g is None else tf.convert_to_tensor(g).numpy()
        for g, a in zip(grads, arrays)
    ]


def _vdot(a, b):
    return float(np.sum(np.asarray(a) * np.asarray(b)))


@pytest.mark.parametrize("name", sorted(OPS))
def test_vjp_matches_finite_differences(name):
    f, arrays = _fn(name), _inputs(OPS[name][1], 0)
    directions = _inputs(OPS[name][1], 1)
    cotangent = np.random.default_rng(2).standard_normal(_eval(f, arrays).shape)
    grads = _gradient(f, arrays, cotangent)
    analytic = sum(_vdot(g, v) for g, v in zip(grads, directions))
    numeric = _vdot(cotangent, _numeric_jvp(f, arrays, directions))
    np.testing.assert_allclose(analytic, numeric, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name", sorted(OPS))
def test_jvp_matches_finite_differences(name):
    f, arrays = _fn(name), _inputs(OPS[name][1], 0)
    directions = _inputs(OPS[name][1], 1)
    xs = [tf.constant(a) for a in arrays]
    with tf.autodiff.ForwardAccumulator(xs, [tf.constant(v) for v in directions]) as acc:
        y = f(*xs)
    jvp = acc.jvp(y, unconnected_gradients="zero").numpy()
    np.testing.assert_allclose(jvp, _numeric_jvp(f, arrays, directions), rtol=RTOL, atol=ATOL)


def _gradient_fn(f, cotangent):
    """x -> the VJP of f at x with `cotangent`, as a function of tensors."""

    def grad_fn(*xs):
        with tf.GradientTape() as tape:
            tape.watch(xs)
            y = f(*xs)
        grads = tape.gradient(y, list(xs), output_gradients=tf.constant(cotangent))
        return tf.concat(
            [
                tf.reshape(tf.convert_to_tensor(g) if g is not None else tf.zeros_like(x), [-1])
                for g, x in zip(grads, xs)
            ],
            0,
        )

    return grad_fn


@pytest.mark.parametrize("name", sorted(OPS))
def test_second_order_matches_finite_differences(name):
    f, arrays = _fn(name), _inputs(OPS[name][1], 0)
    directions = _inputs(OPS[name][1], 1)
    cotangent = np.random.default_rng(2).standard_normal(_eval(f, arrays).shape)
    grad_fn = _gradient_fn(f, cotangent)
    numeric = _numeric_jvp(grad_fn, arrays, directions)
    # reverse over reverse
    w = np.random.default_rng(3).standard_normal(numeric.shape)
    second = _gradient(grad_fn, arrays, w)
    np.testing.assert_allclose(
        sum(_vdot(g, v) for g, v in zip(second, directions)),
        _vdot(w, numeric),
        rtol=1e-4,
        atol=1e-5,
    )
    # forward over reverse
    xs = [tf.constant(a) for a in arrays]
    with tf.autodiff.ForwardAccumulator(xs, [tf.constant(v) for v in directions]) as acc:
        g = grad_fn(*xs)
    np.testing.assert_allclose(
        acc.jvp(g, unconnected_gradients="zero").numpy(), numeric, rtol=1e-4, atol=1e-5
    )


class _PrimitiveLog:
    """A recorder that notes which primitives ran."""

    def __init__(self):
        self.seen = set()

    def on_op(self, prim, inputs, params, out):
        self.seen.add(prim.name)

    def on_read(self, variable, tensor):
        pass

    def on_custom(self, prim, inputs, outputs):
        pass


def test_every_differentiable_primitive_is_checked():
    log = _PrimitiveLog()
    trace.push(log)
    try:
        for name in OPS:
            test_second_order_matches_finite_differences(name)
    finally:
        trace.remove(log)
    differentiable = {
        name for name, p in registry.PRIMITIVES.items() if not p.nondiff and p.vjps is not None
    }
    assert differentiable - log.seen == set()


def test_rule_tables_are_complete():
    for name, prim in registry.PRIMITIVES.items():
        if prim.nondiff or name == "AdjustContrastv2":
            continue
        assert prim.vjps is not None and prim.jvps is not None, name
    assert "AdjustContrastv2" not in registry.NONDIFFERENTIABLE
    assert {"Floor", "Ceil", "Round", "StopGradient"} <= set(registry.NONDIFFERENTIABLE)


def test_variable_reads_match_finite_differences():
    x0 = np.array([0.3, -1.2, 0.8])
    v = tf.Variable(x0)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.sin(v) * v.read_value())
    numeric = [
        (
            np.sum(np.sin(x0 + EPS * e) * (x0 + EPS * e))
            - np.sum(np.sin(x0 - EPS * e) * (x0 - EPS * e))
        )
        / (2 * EPS)
        for e in np.eye(3)
    ]
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), numeric, rtol=RTOL, atol=ATOL)
