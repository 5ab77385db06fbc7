"""Public shape, indexing and selection ops (`tf.reshape`, `tf.gather`,
`tf.where`, `x[key]`, `tf.sort`, ...): argument conversion plus one `bind`."""

import builtins

import numpy as np

from ..core import dtypes, errors, trace
from ..core.tensor import EagerTensor, Tensor, VariableBase
from ..core.trace import bind
from ..prims import array as prims
from ..prims import nograd
from .convert import as_tensor, convert_to_tensor, dtype_error, same_dtype, static, tensor_pair


def cast(x, dtype, name=None):
    """Converts to `dtype`; gradients flow only between float/complex dtypes."""
    x, dtype = as_tensor(x), dtypes.as_dtype(dtype)
    if x.dtype is dtype:
        return x
    return bind(prims.cast_p, (x,), {"dtype": dtype})


def identity(x, name=None):
    return bind(prims.identity_p, (as_tensor(x),))


def stop_gradient(x, name=None):
    """Returns `x` as a Tensor that no tape or accumulator connects."""
    # NB: TF runs StopGradient with recording paused, so stop_gradient of a
    # Variable does not make a tape watch it.
    with trace.paused():
        x = as_tensor(x)
    return bind(nograd.stop_gradient_p, (x,))


def reshape(x, shape, name=None):
    x, shape = as_tensor(x), static(shape)
    try:
        return bind(prims.reshape_p, (x,), {"shape": shape})
    except ValueError:
        requested = builtins.abs(int(np.prod(shape)))
        raise errors.InvalidArgumentError(
            None,
            None,
            (
                f"Input to reshape is a tensor with {x._value.size} values, but the requested "
                f"shape has {requested} [Op:Reshape]"
            ),
        ) from None


def transpose(x, perm=None, name=None):
    x = as_tensor(x)
    perm = tuple(reversed(builtins.range(x._value.ndim))) if perm is None else static(perm)
    return bind(prims.transpose_p, (x,), {"perm": perm})


def squeeze(x, axis=None, name=None):
    x = as_tensor(x)
    return reshape(x, np.squeeze(np.empty(x._value.shape, np.bool_), axis).shape)


def expand_dims(x, axis, name=None):
    x = as_tensor(x)
    return reshape(x, np.expand_dims(np.empty(x._value.shape, np.bool_), int(axis)).shape)


def broadcast_to(x, shape, name=None):
    return bind(prims.broadcast_to_p, (as_tensor(x),), {"shape": static(shape)})


def tile(x, multiples, name=None):
    return bind(prims.tile_p, (as_tensor(x),), {"multiples": static(multiples)})


def concat(values, axis, name=None):
    values = same_dtype("ConcatV2", [as_tensor(v) for v in values])
    axis = int(axis) % builtins.max(values[0]._value.ndim, 1)
    return bind(prims.concat_p, values, {"axis": axis})


def stack(values, axis=0, name=None):
    values = same_dtype("Pack", [as_tensor(v) for v in values])
    axis = int(axis) % (values[0]._value.ndim + 1)
    return bind(prims.stack_p, values, {"axis": axis})


def unstack(value, num=None, axis=0, name=None):
    value = as_tensor(value)
    axis = int(axis) % value._value.ndim
    return [
        slice_index(value, (slice(None),) * axis + (i,))
        for i in builtins.range(value._value.shape[axis])
    ]


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """Rows `indices` of `params` along `axis`; its gradient is IndexedSlices."""
    _check_resource_gather(params)
    params, indices = as_tensor(params), convert_to_tensor(indices, dtype_hint=dtypes.int32)
    axis = 0 if axis is None else int(axis) % params._value.ndim
    return bind(prims.gather_p, (params, indices), {"axis": axis})


def _check_resource_gather(params):
    # NB: in TensorFlow gather and gather_nd of a Variable run ResourceGather(Nd)
    # on its handle; for an integer Variable a forward accumulator watches, that
    # op's JVP fails with this TypeError (a float Variable's works).
    integer = isinstance(params, VariableBase) and not params.dtype.is_differentiable
    if integer and trace.tangent_held(params):
        raise TypeError("Cannot convert the argument `type_value`: None to a TensorFlow DType.")


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    data, ids = as_tensor(data), convert_to_tensor(segment_ids)
    return bind(prims.segment_sum_p, (data, ids), {"num_segments": int(num_segments)})


def where(condition, x=None, y=None, name=None):
    """Element-wise `x if condition else y` (broadcasting)."""
    condition = convert_to_tensor(condition)
    if x is None and y is None:
        return EagerTensor(np.argwhere(condition._value).astype(np.int64))
    x, y = tensor_pair(x, y)
    if x._value.dtype != y._value.dtype:
        raise dtype_error("SelectV2", x.dtype, y.dtype, 2)
    return bind(prims.where_p, (condition, x, y))


def slice_index(x, index):
    return bind(prims.slice_p, (x,), {"index": index})


def unslice(g, shape, index):
    return bind(prims.unslice_p, (g,), {"shape": shape, "index": index})


def getitem(x, key):
    """`x[key]` for ints, slices, None, Ellipsis and scalar tensors."""
    x = as_tensor(x)
    key = key if isinstance(key, tuple) else (key,)
    index = tuple(_index_part(k) for k in key)
    for axis, k in enumerate(i for i in index if i is not None and i is not Ellipsis):
        if isinstance(k, int) and not -x._value.shape[axis] <= k < x._value.shape[axis]:
            raise errors.invalid_argument(
                "StridedSlice", (f"slice index {k} of dimension {axis} out of bounds.")
            )
    return slice_index(x, index)


def _index_part(k):
    if isinstance(k, slice):
        return slice(*(None if v is None else int(v) for v in (k.start, k.stop, k.step)))
    if k is None or k is Ellipsis:
        return k
    if isinstance(k, (list, np.ndarray)) or (isinstance(k, Tensor) and k.ndim):
        raise TypeError(
            "Only integers, slices (`:`), ellipsis (`...`), "
            "tf.newaxis (`None`) and scalar tf.int32/tf.int64 tensors "
            f"are valid indices, got {k!r}"
        )
    return int(k)


def permute(x, perm):
    return bind(prims.permute_p, (as_tensor(x),), {"perm": perm})


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """Sorts along the last axis; the gradient un-permutes (dense)."""
    values = as_tensor(values)
    perm = np.argsort(values._value, axis=-1, kind="stable")
    if direction == "DESCENDING":
        perm = np.flip(perm, -1)
    return permute(values, perm)


def gather_nd(params, indices, batch_dims=0, name=None):
    _check_resource_gather(params)
    indices = convert_to_tensor(indices, dtype_hint=dtypes.int32)
    return bind(prims.gather_nd_p, (as_tensor(params), indices))


def scatter_nd(indices, updates, shape, name=None):
    indices = convert_to_tensor(indices, dtype_hint=dtypes.int32)
    shape = tuple(int(d) for d in np.asarray(shape.numpy() if isinstance(shape, Tensor) else shape))
    return bind(prims.scatter_nd_p, (as_tensor(updates), indices), {"shape": shape})


def one_hot(indices, depth, on_value=1.0, off_value=0.0, axis=None, dtype=None, name=None):
    dtype = dtypes.as_dtype(dtype or dtypes.float32)
    params = {"depth": int(depth), "on": on_value, "off": off_value, "dtype": dtype.np_dtype}
    return bind(nograd.one_hot_p, (convert_to_tensor(indices),), params)


def _arg_extremum(prim, x, axis, output_type):
    x = as_tensor(x)
    params = {
        "axis": 0 if axis is None else int(axis),
        "dtype": dtypes.as_dtype(output_type).np_dtype,
    }
    return bind(prim, (x,), params)


def argmax(input, axis=None, output_type=dtypes.int64, name=None):
    return _arg_extremum(nograd.argmax_p, input, axis, output_type)


def argmin(input, axis=None, output_type=dtypes.int64, name=None):
    return _arg_extremum(nograd.argmin_p, input, axis, output_type)
