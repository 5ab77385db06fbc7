"""VJP and JVP rules of the reduction and scan primitives.

A reduction's gradient is broadcast back to the input's shape (`_expand`);
max/min split it among tied entries as TF does.
"""

import numpy as np

from .. import ops
from ..core.registry import defjvp, defvjp, shape_only
from ..prims import reduce as prims
from .helpers import conj


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


defvjp(prims.sum_p, lambda g, ans, x, axis, keepdims: _expand(g, x, axis))
defjvp(prims.sum_p, lambda t, ans, x, axis, keepdims: ops.reduce_sum(t, axis, keepdims))
shape_only(prims.sum_p, inputs=True, output=True)

# Dividing before broadcasting divides the (small) reduced gradient, not x-sized.
defvjp(prims.mean_p, lambda g, ans, x, axis, keepdims: _expand(g / float(_count(x, ans)), x, axis))
defjvp(prims.mean_p, lambda t, ans, x, axis, keepdims: ops.reduce_mean(t, axis, keepdims))
shape_only(prims.mean_p, inputs=True, output=True)


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


defvjp(prims.max_p, extremum_vjp)
defjvp(prims.max_p, extremum_jvp)

defvjp(prims.min_p, extremum_vjp)
defjvp(prims.min_p, extremum_jvp)


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


defvjp(prims.prod_p, lambda g, ans, x, axis, keepdims: _expand(g, x, axis) * _prod_others(x, axis))
defjvp(
    prims.prod_p,
    lambda t, ans, x, axis, keepdims: ops.reduce_sum(t * _prod_others(x, axis), axis, keepdims),
)


defvjp(
    prims.cumsum_p,
    lambda g, ans, x, axis, exclusive, reverse: ops.cumsum(
        g, axis, exclusive=exclusive, reverse=not reverse
    ),
)
defjvp(
    prims.cumsum_p,
    lambda t, ans, x, axis, exclusive, reverse: ops.cumsum(
        t, axis, exclusive=exclusive, reverse=reverse
    ),
)


def cumprod_vjp(g, ans, x, axis, exclusive, reverse):
    summed = ops.cumsum(ans * g, axis, exclusive=exclusive, reverse=not reverse)
    return ops.divide_no_nan(summed, x)


def cumprod_jvp(t, ans, x, axis, exclusive, reverse):
    # The JVP is the transpose of the VJP's linear map; for x without zeros:
    return ans * ops.cumsum(ops.divide_no_nan(t, x), axis, exclusive=exclusive, reverse=reverse)


defvjp(prims.cumprod_p, cumprod_vjp)
defjvp(prims.cumprod_p, cumprod_jvp)
