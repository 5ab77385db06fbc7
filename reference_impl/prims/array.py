"""Shape, indexing and selection primitives with their NumPy forwards."""

import numpy as np

from ..core.registry import primitive

identity_p = primitive("Identity", lambda x: x)


def _cast(x, dtype):
    if np.iscomplexobj(x) and not dtype.is_complex:
        x = np.real(x)  # TF's Cast drops the imaginary part silently
    return x.astype(dtype.np_dtype, copy=False)


cast_p = primitive("Cast", _cast)
reshape_p = primitive("Reshape", lambda x, shape: np.reshape(x, shape))
transpose_p = primitive("Transpose", lambda x, perm: np.transpose(x, perm))
broadcast_to_p = primitive("BroadcastTo", lambda x, shape: np.broadcast_to(x, shape))
tile_p = primitive("Tile", lambda x, multiples: np.tile(x, multiples))


def _unslice(g, shape, index):
    out = np.zeros(shape, dtype=np.asarray(g).dtype)
    out[index] = g
    return out


slice_p = primitive("StridedSlice", lambda x, index: x[index])
unslice_p = primitive("StridedSliceGrad", _unslice)
concat_p = primitive("ConcatV2", lambda *xs, axis: np.concatenate(xs, axis))
stack_p = primitive("Pack", lambda *xs, axis: np.stack(xs, axis))
gather_p = primitive("GatherV2", lambda params, indices, axis: np.take(params, indices, axis))


def _segment_sum(data, ids, num_segments):
    out = np.zeros((num_segments,) + data.shape[ids.ndim :], dtype=data.dtype)
    np.add.at(out, ids, data)
    return out


segment_sum_p = primitive("UnsortedSegmentSum", _segment_sum)
where_p = primitive("SelectV2", np.where)

# Reorders the last axis by a fixed integer permutation; sort is built on it.
permute_p = primitive("Permute", lambda x, perm: np.take_along_axis(x, perm, -1))


def _gather_nd(params, indices):
    return params[tuple(np.moveaxis(indices, -1, 0))]


def _scatter_nd(updates, indices, shape):
    out = np.zeros(shape, updates.dtype)
    np.add.at(out, tuple(np.moveaxis(indices, -1, 0)), updates)
    return out


gather_nd_p = primitive("GatherNd", _gather_nd)
scatter_nd_p = primitive("ScatterNd", _scatter_nd)
