"""Reduction and scan primitives with their NumPy forwards.

Reductions take `axis` (a tuple of non-negative ints, or None for all) and
`keepdims` as static parameters; scans take `axis`, `exclusive`, `reverse`.
"""

import numpy as np

from ..core.registry import primitive


def _int_safe(reducer):
    """NumPy would widen int32 sums to int64; TF keeps the input dtype."""

    def impl(x, axis, keepdims):
        return reducer(x, axis=axis, keepdims=keepdims).astype(x.dtype, copy=False)

    return impl


sum_p = primitive("Sum", _int_safe(np.sum))
mean_p = primitive("Mean", _int_safe(np.mean))


def _extreme(reducer, lowest):
    """NB: TF reduces an empty axis to the identity: -inf for max (the lowest
    int for integers) and +inf for min; NumPy raises instead."""

    def impl(x, axis, keepdims):
        if x.size:
            return reducer(x, axis=axis, keepdims=keepdims)
        if x.dtype.kind in "iu":
            info = np.iinfo(x.dtype)
            edge = info.min if lowest else info.max
        else:  # float, complex and ml_dtypes' bfloat16 (kind "V")
            edge = -np.inf if lowest else np.inf
        shape = np.sum(np.zeros(x.shape), axis=axis, keepdims=keepdims).shape
        return np.full(shape, edge, x.dtype)

    return impl


max_p = primitive("Max", _extreme(np.max, lowest=True))
min_p = primitive("Min", _extreme(np.min, lowest=False))
prod_p = primitive("Prod", _int_safe(np.prod))


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


cumsum_p = primitive("Cumsum", _scan(np.cumsum, 0))
cumprod_p = primitive("Cumprod", _scan(np.cumprod, 1))
