"""VJP and JVP rules of the shape, indexing and selection primitives.

`gather`'s VJP returns `IndexedSlices` (TF's sparse gradient); identity-like
ops pass such gradients through untouched, every other op densifies them.
"""

import numpy as np

from .. import ops
from ..core.registry import defjvp, defjvp_argnum, defvjp, defvjp_argnum, shape_only
from ..core.tensor import IndexedSlices
from ..prims import array as prims
from .helpers import broadcast_like, unbroadcast

defvjp(prims.identity_p, lambda g, ans, x: g, passes_slices=True)
defjvp(prims.identity_p, lambda t, ans, x: t)


def cast_vjp(g, ans, x, dtype):
    # Casts between differentiable dtypes pass the gradient back in the
    # source dtype; anything through an integer or bool dtype is cut.
    if not x.dtype.is_differentiable:
        return None
    return ops.cast(g, x.dtype)


defvjp(prims.cast_p, cast_vjp)
defjvp(prims.cast_p, lambda t, ans, x, dtype: ops.cast(t, ans.dtype))

defvjp(prims.reshape_p, lambda g, ans, x, shape: ops.reshape(g, x._value.shape))
defjvp(prims.reshape_p, lambda t, ans, x, shape: ops.reshape(t, shape))
shape_only(prims.reshape_p, inputs=True, output=True)

defvjp(prims.transpose_p, lambda g, ans, x, perm: ops.transpose(g, tuple(np.argsort(perm))))
defjvp(prims.transpose_p, lambda t, ans, x, perm: ops.transpose(t, perm))

defvjp(prims.broadcast_to_p, lambda g, ans, x, shape: unbroadcast(g, x))
defjvp(prims.broadcast_to_p, lambda t, ans, x, shape: ops.broadcast_to(t, shape))
shape_only(prims.broadcast_to_p, inputs=True, output=True)


def tile_vjp(g, ans, x, multiples):
    # Split every axis into (multiple, size) and sum the copies away.
    split = [n for m, s in zip(multiples, x._value.shape) for n in (m, s)]
    summed = ops.reduce_sum(ops.reshape(g, split), tuple(range(0, len(split), 2)))
    return ops.reshape(summed, x._value.shape)


defvjp(prims.tile_p, tile_vjp)
defjvp(prims.tile_p, lambda t, ans, x, multiples: ops.tile(t, multiples))


defvjp(prims.slice_p, lambda g, ans, x, index: ops.unslice(g, x._value.shape, index))
defjvp(prims.slice_p, lambda t, ans, x, index: ops.slice_index(t, index))
defvjp(prims.unslice_p, lambda g, ans, x, shape, index: ops.slice_index(g, index))
defjvp(prims.unslice_p, lambda t, ans, x, shape, index: ops.unslice(t, shape, index))


def _axis_index(axis, i):
    """An index selecting position(s) `i` along `axis`."""
    return (slice(None),) * axis + (i,)


def concat_vjp(argnum, g, ans, *xs, axis):
    start = sum(x._value.shape[axis] for x in xs[:argnum])
    stop = start + xs[argnum]._value.shape[axis]
    return ops.slice_index(g, _axis_index(axis, slice(start, stop)))


def concat_jvp(argnum, t, ans, *xs, axis):
    parts = [t if i == argnum else ops.zeros_like(x) for i, x in enumerate(xs)]
    return ops.concat(parts, axis)


defvjp_argnum(prims.concat_p, concat_vjp)
defjvp_argnum(prims.concat_p, concat_jvp)


def stack_jvp(argnum, t, ans, *xs, axis):
    parts = [t if i == argnum else ops.zeros_like(x) for i, x in enumerate(xs)]
    return ops.stack(parts, axis)


defvjp_argnum(prims.stack_p, lambda i, g, ans, *xs, axis: ops.slice_index(g, _axis_index(axis, i)))
defjvp_argnum(prims.stack_p, stack_jvp)


def gather_vjp(g, ans, params, indices, axis):
    params_shape = params._value.shape
    if axis == 0:
        # NB: in TensorFlow the gradient of gather w.r.t. its params is an
        # IndexedSlices (also for a plain watched tensor); duplicates are kept.
        n = indices._value.size
        values = ops.reshape(g, (n,) + params_shape[1:])
        flat_indices = ops.reshape(indices, (n,))
        return IndexedSlices(values, flat_indices, ops.constant(params_shape, "int32"))
    moved = ops.transpose(g, _move_axis_first(g._value.ndim, axis, indices._value.ndim))
    summed = ops.unsorted_segment_sum(moved, indices, params_shape[axis])
    return ops.transpose(summed, tuple(np.argsort(_move_axis_first(len(params_shape), axis, 1))))


def _move_axis_first(ndim, axis, width):
    """Permutation bringing axes [axis, axis + width) to the front."""
    front = list(range(axis, axis + width))
    return tuple(front + [i for i in range(ndim) if i not in front])


defvjp(prims.gather_p, gather_vjp, None)
defjvp(
    prims.gather_p, lambda t, ans, params, indices, axis: ops.gather(t, indices, axis=axis), None
)


defvjp(prims.segment_sum_p, lambda g, ans, data, ids, num_segments: ops.gather(g, ids), None)
defjvp(
    prims.segment_sum_p,
    lambda t, ans, data, ids, num_segments: ops.unsorted_segment_sum(t, ids, num_segments),
    None,
)


# NB: in TensorFlow where's gradient masks the upstream gradient, so NaN or
# inf in the unselected branch's own derivative still poisons it (0 * inf).
defvjp(
    prims.where_p,
    None,
    lambda g, ans, c, x, y: unbroadcast(ops.where(c, g, ops.zeros_like(g)), x),
    lambda g, ans, c, x, y: unbroadcast(ops.where(c, ops.zeros_like(g), g), y),
)
defjvp(
    prims.where_p,
    None,
    lambda t, ans, c, x, y: broadcast_like(ops.where(c, t, ops.zeros_like(t)), ans),
    lambda t, ans, c, x, y: broadcast_like(ops.where(c, ops.zeros_like(t), t), ans),
)


def _inverse(perm):
    return np.argsort(perm, axis=-1)


defvjp(prims.permute_p, lambda g, ans, x, perm: ops.permute(g, _inverse(perm)))
defjvp(prims.permute_p, lambda t, ans, x, perm: ops.permute(t, perm))


def gather_nd_vjp(g, ans, params, indices):
    """NB: in TensorFlow gather_nd's gradient is dense (ScatterNd), except for
    indices of shape [n, 1] (whole rows), where it is IndexedSlices as gather's."""
    rows = np.asarray(indices._value)
    if rows.ndim == 2 and rows.shape[-1] == 1:
        return IndexedSlices(
            g, ops.constant(rows[:, 0]), ops.constant(params._value.shape, "int32")
        )
    return ops.scatter_nd(indices, g, params._value.shape)


defvjp(prims.gather_nd_p, gather_nd_vjp, None)
defjvp(prims.gather_nd_p, lambda t, ans, params, indices: ops.gather_nd(t, indices), None)
defvjp(prims.scatter_nd_p, lambda g, ans, updates, indices, shape: ops.gather_nd(g, indices), None)
defjvp(
    prims.scatter_nd_p,
    lambda t, ans, updates, indices, shape: ops.scatter_nd(indices, t, shape),
    None,
)
