"""Reductions, scans, matmul and softmax primitives with VJP and JVP rules.

Reductions take `axis` (a tuple of non-negative ints, or None for all) and
`keepdims` as static parameters.
"""
import numpy as np

from . import ops
from .primitives import primitive, defvjp, defjvp, unbroadcast, conj, shape_only


def _kept_shape(x, axis):
    """x's shape with reduced axes set to 1 (the keepdims=True shape)."""
    shape = x._value.shape
    axes = range(len(shape)) if axis is None else axis
    return tuple(1 if i in axes else d for i, d in enumerate(shape))


def _expand(g, x, axis):
    """Broadcasts a reduction's gradient back to the input's shape."""
    return ops.broadcast_to(ops.reshape(g, _kept_shape(x, axis)), x._value.shape)


def _count(x, ans):
    return x._value.size // max(np.size(ans._value), 1)


def _int_safe(reducer):
    """NumPy would widen int32 sums to int64; TF keeps the input dtype."""
    def impl(x, axis, keepdims):
        return reducer(x, axis=axis, keepdims=keepdims).astype(x.dtype, copy=False)
    return impl


sum_p = primitive('Sum', _int_safe(np.sum))
defvjp(sum_p, lambda g, ans, x, axis, keepdims: _expand(g, x, axis))
defjvp(sum_p, lambda t, ans, x, axis, keepdims: ops.reduce_sum(t, axis, keepdims))
shape_only(sum_p, inputs=True, output=True)

mean_p = primitive('Mean', _int_safe(np.mean))
# Dividing before broadcasting divides the (small) reduced gradient, not x-sized.
defvjp(mean_p, lambda g, ans, x, axis, keepdims: _expand(g / float(_count(x, ans)), x, axis))
defjvp(mean_p, lambda t, ans, x, axis, keepdims: ops.reduce_mean(t, axis, keepdims))
shape_only(mean_p, inputs=True, output=True)


def _max_weights(ans, x, axis):
    # NB: in TensorFlow reduce_max/min split a tie's gradient equally among
    # all the maximal entries (weights 1/k), unlike tf.maximum.
    indicators = ops.cast(ops.equal(ops.reshape(ans, _kept_shape(x, axis)), x), x.dtype)
    selected = ops.reduce_sum(indicators, axis, keepdims=True)
    return indicators / selected


def extremum_vjp(g, ans, x, axis, keepdims):
    return _max_weights(ans, x, axis) * ops.reshape(g, _kept_shape(x, axis))


def extremum_jvp(t, ans, x, axis, keepdims):
    return ops.reduce_sum(t * _max_weights(ans, x, axis), axis, keepdims)


max_p = primitive('Max', np.max)
defvjp(max_p, extremum_vjp)
defjvp(max_p, extremum_jvp)

min_p = primitive('Min', np.min)
defvjp(min_p, extremum_vjp)
defjvp(min_p, extremum_jvp)


def _prod_others(x, axis):
    """d prod / d x_i = product of all *other* entries, computed as TF does
    with exclusive cumprods from both sides so zeros in x are handled."""
    shape = x._value.shape
    reduced = tuple(range(len(shape))) if axis is None else tuple(axis)
    other = tuple(i for i in range(len(shape)) if i not in reduced)
    perm = reduced + other
    permuted = ops.transpose(x, perm)
    n_reduced = int(np.prod([shape[i] for i in reduced], dtype=np.int64))
    flat = ops.reshape(permuted, (n_reduced, -1))
    left = ops.cumprod(flat, 0, exclusive=True)
    right = ops.cumprod(flat, 0, exclusive=True, reverse=True)
    y = ops.reshape(conj(left) * conj(right), permuted._value.shape)
    return ops.transpose(y, tuple(np.argsort(perm)))


prod_p = primitive('Prod', _int_safe(np.prod))
defvjp(prod_p, lambda g, ans, x, axis, keepdims: _expand(g, x, axis) * _prod_others(x, axis))
defjvp(prod_p, lambda t, ans, x, axis, keepdims:
       ops.reduce_sum(t * _prod_others(x, axis), axis, keepdims))


def _scan(np_scan, identity):
    def impl(x, axis, exclusive, reverse):
        if reverse:
            x = np.flip(x, axis)
        if exclusive:
            pad = [(0, 0)] * x.ndim
            pad[axis] = (1, 0)
            x = np.pad(x, pad, constant_values=identity)
            x = np.delete(x, -1, axis)
        out = np_scan(x, axis=axis, dtype=x.dtype)
        return np.flip(out, axis) if reverse else out
    return impl


cumsum_p = primitive('Cumsum', _scan(np.cumsum, 0))
defvjp(cumsum_p, lambda g, ans, x, axis, exclusive, reverse:
       ops.cumsum(g, axis, exclusive=exclusive, reverse=not reverse))
defjvp(cumsum_p, lambda t, ans, x, axis, exclusive, reverse:
       ops.cumsum(t, axis, exclusive=exclusive, reverse=reverse))


def cumprod_vjp(g, ans, x, axis, exclusive, reverse):
    summed = ops.cumsum(ans * g, axis, exclusive=exclusive, reverse=not reverse)
    return ops.divide_no_nan(summed, x)


def cumprod_jvp(t, ans, x, axis, exclusive, reverse):
    # The JVP is the transpose of the VJP's linear map; for x without zeros:
    return ans * ops.cumsum(ops.divide_no_nan(t, x), axis, exclusive=exclusive, reverse=reverse)


cumprod_p = primitive('Cumprod', _scan(np.cumprod, 1))
defvjp(cumprod_p, cumprod_vjp)
defjvp(cumprod_p, cumprod_jvp)


def _matmul(a, b, transpose_a, transpose_b):
    if a.ndim < 2 or b.ndim < 2:
        raise ops.matmul_rank_error(a, b)
    try:
        return np.matmul(a.swapaxes(-1, -2) if transpose_a else a,
                         b.swapaxes(-1, -2) if transpose_b else b)
    except ValueError:
        raise ops.matmul_shape_error(a, b) from None


def matmul_vjp_a(g, ans, a, b, transpose_a, transpose_b):
    b = conj(b)
    if transpose_a:
        ga = ops.matmul(b, g, transpose_a=transpose_b, transpose_b=True)
    else:
        ga = ops.matmul(g, b, transpose_b=not transpose_b)
    return unbroadcast(ga, a)


def matmul_vjp_b(g, ans, a, b, transpose_a, transpose_b):
    a = conj(a)
    if transpose_b:
        gb = ops.matmul(g, a, transpose_a=True, transpose_b=transpose_a)
    else:
        gb = ops.matmul(a, g, transpose_a=not transpose_a)
    return unbroadcast(gb, b)


matmul_p = primitive('MatMul', _matmul)
defvjp(matmul_p, matmul_vjp_a, matmul_vjp_b)
defjvp(matmul_p,
       lambda t, ans, a, b, transpose_a, transpose_b: ops.matmul(t, b, transpose_a, transpose_b),
       lambda t, ans, a, b, transpose_a, transpose_b: ops.matmul(a, t, transpose_a, transpose_b))
shape_only(matmul_p, output=True)


def _softmax(x):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


softmax_p = primitive('Softmax', _softmax)
defvjp(softmax_p, lambda g, ans, x: (g - ops.reduce_sum(g * ans, -1, keepdims=True)) * ans)
defjvp(softmax_p, lambda t, ans, x: ans * (t - ops.reduce_sum(t * ans, -1, keepdims=True)))


def _log_softmax(x):
    shifted = x - np.max(x, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


log_softmax_p = primitive('LogSoftmax', _log_softmax)
defvjp(log_softmax_p, lambda g, ans, x: g - ops.exp(ans) * ops.reduce_sum(g, -1, keepdims=True))
defjvp(log_softmax_p, lambda t, ans, x: t - ops.reduce_sum(ops.exp(ans) * t, -1, keepdims=True))
