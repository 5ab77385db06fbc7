"""Shape, indexing and selection primitives, with their VJP and JVP rules.

`gather`'s VJP returns `IndexedSlices` (TF's sparse gradient); identity-like
ops pass such gradients through untouched, every other op densifies them.
"""
import numpy as np

from . import ops
from .primitives import (primitive, nondifferentiable, defvjp, defjvp,
                         defvjp_argnum, defjvp_argnum, unbroadcast, broadcast_like,
                         shape_only)
from .tensor import IndexedSlices

identity_p = primitive('Identity', lambda x: x)
defvjp(identity_p, lambda g, ans, x: g, passes_slices=True)
defjvp(identity_p, lambda t, ans, x: t)

# NB: in TensorFlow StopGradient is registered non-differentiable, so a path
# through it contributes None in reverse mode and no tangent in forward mode.
stop_gradient_p = nondifferentiable('StopGradient', lambda x: x)


def _cast(x, dtype):
    if np.iscomplexobj(x) and not dtype.is_complex:
        x = np.real(x)  # TF's Cast drops the imaginary part silently
    return x.astype(dtype.np_dtype, copy=False)


def cast_vjp(g, ans, x, dtype):
    # Casts between differentiable dtypes pass the gradient back in the
    # source dtype; anything through an integer or bool dtype is cut.
    if not x.dtype.is_differentiable:
        return None
    return ops.cast(g, x.dtype)


cast_p = primitive('Cast', _cast)
defvjp(cast_p, cast_vjp)
defjvp(cast_p, lambda t, ans, x, dtype: ops.cast(t, ans.dtype))

reshape_p = primitive('Reshape', lambda x, shape: np.reshape(x, shape))
defvjp(reshape_p, lambda g, ans, x, shape: ops.reshape(g, x._value.shape))
defjvp(reshape_p, lambda t, ans, x, shape: ops.reshape(t, shape))
shape_only(reshape_p, inputs=True, output=True)

transpose_p = primitive('Transpose', lambda x, perm: np.transpose(x, perm))
defvjp(transpose_p, lambda g, ans, x, perm: ops.transpose(g, tuple(np.argsort(perm))))
defjvp(transpose_p, lambda t, ans, x, perm: ops.transpose(t, perm))

broadcast_to_p = primitive('BroadcastTo', lambda x, shape: np.broadcast_to(x, shape))
defvjp(broadcast_to_p, lambda g, ans, x, shape: unbroadcast(g, x))
defjvp(broadcast_to_p, lambda t, ans, x, shape: ops.broadcast_to(t, shape))
shape_only(broadcast_to_p, inputs=True, output=True)


def tile_vjp(g, ans, x, multiples):
    # Split every axis into (multiple, size) and sum the copies away.
    split = [n for m, s in zip(multiples, x._value.shape) for n in (m, s)]
    summed = ops.reduce_sum(ops.reshape(g, split), tuple(range(0, len(split), 2)))
    return ops.reshape(summed, x._value.shape)


tile_p = primitive('Tile', lambda x, multiples: np.tile(x, multiples))
defvjp(tile_p, tile_vjp)
defjvp(tile_p, lambda t, ans, x, multiples: ops.tile(t, multiples))


def _unslice(g, shape, index):
    out = np.zeros(shape, dtype=np.asarray(g).dtype)
    out[index] = g
    return out


slice_p = primitive('StridedSlice', lambda x, index: x[index])
unslice_p = primitive('StridedSliceGrad', _unslice)
defvjp(slice_p, lambda g, ans, x, index: ops.unslice(g, x._value.shape, index))
defjvp(slice_p, lambda t, ans, x, index: ops.slice_index(t, index))
defvjp(unslice_p, lambda g, ans, x, shape, index: ops.slice_index(g, index))
defjvp(unslice_p, lambda t, ans, x, shape, index: ops.unslice(t, shape, index))


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


concat_p = primitive('ConcatV2', lambda *xs, axis: np.concatenate(xs, axis))
defvjp_argnum(concat_p, concat_vjp)
defjvp_argnum(concat_p, concat_jvp)


def stack_jvp(argnum, t, ans, *xs, axis):
    parts = [t if i == argnum else ops.zeros_like(x) for i, x in enumerate(xs)]
    return ops.stack(parts, axis)


stack_p = primitive('Pack', lambda *xs, axis: np.stack(xs, axis))
defvjp_argnum(stack_p, lambda i, g, ans, *xs, axis: ops.slice_index(g, _axis_index(axis, i)))
defjvp_argnum(stack_p, stack_jvp)


def gather_vjp(g, ans, params, indices, axis):
    params_shape = params._value.shape
    if axis == 0:
        # NB: in TensorFlow the gradient of gather w.r.t. its params is an
        # IndexedSlices (also for a plain watched tensor); duplicates are kept.
        n = indices._value.size
        values = ops.reshape(g, (n,) + params_shape[1:])
        flat_indices = ops.reshape(indices, (n,))
        return IndexedSlices(values, flat_indices, ops.constant(params_shape, 'int32'))
    moved = ops.transpose(g, _move_axis_first(g._value.ndim, axis, indices._value.ndim))
    summed = ops.unsorted_segment_sum(moved, indices, params_shape[axis])
    return ops.transpose(summed, tuple(np.argsort(_move_axis_first(len(params_shape), axis, 1))))


def _move_axis_first(ndim, axis, width):
    """Permutation bringing axes [axis, axis + width) to the front."""
    front = list(range(axis, axis + width))
    return tuple(front + [i for i in range(ndim) if i not in front])


gather_p = primitive('GatherV2', lambda params, indices, axis: np.take(params, indices, axis))
defvjp(gather_p, gather_vjp, None)
defjvp(gather_p, lambda t, ans, params, indices, axis: ops.gather(t, indices, axis=axis), None)


def _segment_sum(data, ids, num_segments):
    out = np.zeros((num_segments,) + data.shape[ids.ndim:], dtype=data.dtype)
    np.add.at(out, ids, data)
    return out


segment_sum_p = primitive('UnsortedSegmentSum', _segment_sum)
defvjp(segment_sum_p, lambda g, ans, data, ids, num_segments: ops.gather(g, ids), None)
defjvp(segment_sum_p, lambda t, ans, data, ids, num_segments:
       ops.unsorted_segment_sum(t, ids, num_segments), None)


# NB: in TensorFlow where's gradient masks the upstream gradient, so NaN or
# inf in the unselected branch's own derivative still poisons it (0 * inf).
where_p = primitive('SelectV2', np.where)
defvjp(where_p, None,
       lambda g, ans, c, x, y: unbroadcast(ops.where(c, g, ops.zeros_like(g)), x),
       lambda g, ans, c, x, y: unbroadcast(ops.where(c, ops.zeros_like(g), g), y))
defjvp(where_p, None,
       lambda t, ans, c, x, y: broadcast_like(ops.where(c, t, ops.zeros_like(t)), ans),
       lambda t, ans, c, x, y: broadcast_like(ops.where(c, ops.zeros_like(t), t), ans))

# ---------------------- integer-valued, no gradient ----------------------

argmax_p = nondifferentiable('ArgMax', lambda x, axis, dtype: np.argmax(x, axis).astype(dtype))
argmin_p = nondifferentiable('ArgMin', lambda x, axis, dtype: np.argmin(x, axis).astype(dtype))
one_hot_p = nondifferentiable('OneHot', lambda i, depth, on, off, dtype: np.where(
    np.arange(depth) == np.asarray(i)[..., None], on, off).astype(dtype))
string_length_p = nondifferentiable('StringLength', np.vectorize(len, otypes=[np.int32]))
