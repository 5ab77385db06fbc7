"""Public reductions and scans (`tf.reduce_sum`, `tf.reduce_any`,
`tf.math.cumsum`, `tf.math.count_nonzero`, ...)."""

from ..core import dtypes
from ..core.tensor import Tensor, VariableBase
from ..core.trace import bind
from ..prims import nograd
from ..prims import reduce as prims
from .array import cast
from .convert import as_tensor, zeros_like
from .math import not_equal


def axes(x, axis):
    """Normalizes a reduction axis argument to a tuple of non-negative ints."""
    if axis is None:
        return None
    if isinstance(axis, (Tensor, VariableBase)):
        axis = axis.numpy().tolist()
    ndim = max(x._value.ndim, 1)
    axis_list = axis if isinstance(axis, (list, tuple)) else [axis]
    return tuple(sorted({int(a) % ndim for a in axis_list}))


def _reduction(prim, name):
    def op(input_tensor, axis=None, keepdims=False, name=None):
        x = as_tensor(input_tensor)
        return bind(prim, (x,), {"axis": axes(x, axis), "keepdims": bool(keepdims)})

    op.__name__ = name
    return op


reduce_sum = _reduction(prims.sum_p, "reduce_sum")
reduce_mean = _reduction(prims.mean_p, "reduce_mean")
reduce_max = _reduction(prims.max_p, "reduce_max")
reduce_min = _reduction(prims.min_p, "reduce_min")
reduce_prod = _reduction(prims.prod_p, "reduce_prod")
reduce_any = _reduction(nograd.any_p, "reduce_any")
reduce_all = _reduction(nograd.all_p, "reduce_all")


def _scan(prim, x, axis, exclusive, reverse):
    x = as_tensor(x)
    params = {
        "axis": int(axis) % max(x._value.ndim, 1),
        "exclusive": bool(exclusive),
        "reverse": bool(reverse),
    }
    return bind(prim, (x,), params)


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    return _scan(prims.cumsum_p, x, axis, exclusive, reverse)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    return _scan(prims.cumprod_p, x, axis, exclusive, reverse)


def count_nonzero(input, axis=None, keepdims=False, dtype=dtypes.int64, name=None):
    nonzero = cast(not_equal(input, zeros_like(input)), dtype)
    return reduce_sum(nonzero, axis, keepdims)
