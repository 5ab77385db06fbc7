"""Public shape, indexing, selection and creation ops, and a few composites
(`clip_by_value`, `norm`, `add_n`) built from primitives exactly as TF
builds them, so their gradients at edge points match TF's.
"""
import builtins

import numpy as np

from . import dtypes, errors
from .core import bind
from .tensor import Tensor, EagerTensor
from . import array_rules as A
from .ops import (convert_to_tensor, _tensor, _pair, _dtype_error, maximum,
                  minimum, reduce_sum, sqrt, conj, multiply)

__all__ = ['cast', 'identity', 'stop_gradient', 'reshape', 'transpose',
           'squeeze', 'expand_dims', 'broadcast_to', 'tile', 'concat', 'stack',
           'unstack', 'gather', 'unsorted_segment_sum', 'where', 'slice_index',
           'unslice', 'getitem', 'zeros', 'ones', 'zeros_like', 'ones_like',
           'fill', 'range', 'linspace', 'eye', 'shape', 'size', 'rank',
           'one_hot', 'argmax', 'argmin', 'string_length', 'clip_by_value',
           'norm', 'add_n']


def _static(value):
    """A Python int / tuple of ints from an int, list or Tensor argument."""
    if isinstance(value, Tensor):
        value = value.numpy().tolist()
    if isinstance(value, (list, tuple)):
        return tuple(int(v) for v in value)
    return int(value)


def cast(x, dtype, name=None):
    """Converts to `dtype`; gradients flow only between float/complex dtypes."""
    x, dtype = _tensor(x), dtypes.as_dtype(dtype)
    if x.dtype is dtype:
        return x
    return bind(A.cast_p, (x,), {'dtype': dtype})


def identity(x, name=None):
    return bind(A.identity_p, (_tensor(x),))


def stop_gradient(x, name=None):
    """Returns `x` as a Tensor that no tape or accumulator connects."""
    return bind(A.stop_gradient_p, (_tensor(x),))


def reshape(x, shape, name=None):
    x, shape = _tensor(x), _static(shape)
    try:
        return bind(A.reshape_p, (x,), {'shape': shape})
    except ValueError:
        raise errors.InvalidArgumentError(None, None, (
            'Input to reshape is a tensor with %d values, but the requested shape has %d '
            '[Op:Reshape]' % (x._value.size, abs(int(np.prod(shape)))))) from None


def transpose(x, perm=None, name=None):
    x = _tensor(x)
    perm = tuple(reversed(builtins.range(x._value.ndim))) if perm is None else _static(perm)
    return bind(A.transpose_p, (x,), {'perm': perm})


def squeeze(x, axis=None, name=None):
    x = _tensor(x)
    return reshape(x, np.squeeze(np.empty(x._value.shape, np.bool_), axis).shape)


def expand_dims(x, axis, name=None):
    x = _tensor(x)
    return reshape(x, np.expand_dims(np.empty(x._value.shape, np.bool_), int(axis)).shape)


def broadcast_to(x, shape, name=None):
    return bind(A.broadcast_to_p, (_tensor(x),), {'shape': _static(shape)})


def tile(x, multiples, name=None):
    return bind(A.tile_p, (_tensor(x),), {'multiples': _static(multiples)})


def _same_dtype(op_name, tensors):
    for i, t in enumerate(tensors[1:], 1):
        if t._value.dtype != tensors[0]._value.dtype:
            raise _dtype_error(op_name, tensors[0].dtype, t.dtype, i)
    return tuple(tensors)


def concat(values, axis, name=None):
    values = _same_dtype('ConcatV2', [_tensor(v) for v in values])
    axis = int(axis) % builtins.max(values[0]._value.ndim, 1)
    return bind(A.concat_p, values, {'axis': axis})


def stack(values, axis=0, name=None):
    values = _same_dtype('Pack', [_tensor(v) for v in values])
    axis = int(axis) % (values[0]._value.ndim + 1)
    return bind(A.stack_p, values, {'axis': axis})


def unstack(value, num=None, axis=0, name=None):
    value = _tensor(value)
    axis = int(axis) % value._value.ndim
    return [slice_index(value, (slice(None),) * axis + (i,))
            for i in builtins.range(value._value.shape[axis])]


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """Rows `indices` of `params` along `axis`; its gradient is IndexedSlices."""
    params, indices = _tensor(params), convert_to_tensor(indices, dtype_hint=dtypes.int32)
    axis = 0 if axis is None else int(axis) % params._value.ndim
    return bind(A.gather_p, (params, indices), {'axis': axis})


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    data, ids = _tensor(data), convert_to_tensor(segment_ids)
    return bind(A.segment_sum_p, (data, ids), {'num_segments': int(num_segments)})


def where(condition, x=None, y=None, name=None):
    """Element-wise `x if condition else y` (broadcasting)."""
    condition = convert_to_tensor(condition)
    if x is None and y is None:
        return EagerTensor(np.argwhere(condition._value).astype(np.int64))
    x, y = _pair(x, y)
    if x._value.dtype != y._value.dtype:
        raise _dtype_error('SelectV2', x.dtype, y.dtype, 2)
    return bind(A.where_p, (condition, x, y))


def slice_index(x, index):
    return bind(A.slice_p, (x,), {'index': index})


def unslice(g, shape, index):
    return bind(A.unslice_p, (g,), {'shape': shape, 'index': index})


def getitem(x, key):
    """`x[key]` for ints, slices, None, Ellipsis and scalar tensors."""
    x = _tensor(x)
    key = key if isinstance(key, tuple) else (key,)
    index = tuple(_index_part(k) for k in key)
    for axis, k in enumerate(i for i in index if i is not None and i is not Ellipsis):
        if isinstance(k, int) and not -x._value.shape[axis] <= k < x._value.shape[axis]:
            raise errors.invalid_argument('StridedSlice', (
                'slice index %d of dimension %d out of bounds.' % (k, axis))) 
    return slice_index(x, index)


def _index_part(k):
    if isinstance(k, slice):
        return slice(*(None if v is None else int(v) for v in (k.start, k.stop, k.step)))
    if k is None or k is Ellipsis:
        return k
    if isinstance(k, (list, np.ndarray)) or isinstance(k, Tensor) and k.ndim:
        raise TypeError('Only integers, slices (`:`), ellipsis (`...`), '
                        'tf.newaxis (`None`) and scalar tf.int32/tf.int64 tensors '
                        'are valid indices, got %r' % (k,))
    return int(k)


def zeros(shape, dtype=dtypes.float32, name=None):
    return EagerTensor(np.zeros(_static(shape), dtypes.as_dtype(dtype).np_dtype))


def ones(shape, dtype=dtypes.float32, name=None):
    return EagerTensor(np.ones(_static(shape), dtypes.as_dtype(dtype).np_dtype))


def zeros_like(x, dtype=None, name=None):
    """Zeros shaped like `x`; never connected (TF: ZerosLike has no gradient)."""
    x = _tensor(x)
    np_dtype = x._value.dtype if dtype is None else dtypes.as_dtype(dtype).np_dtype
    return EagerTensor(np.zeros(x._value.shape, np_dtype))


def ones_like(x, dtype=None, name=None):
    x = _tensor(x)
    np_dtype = x._value.dtype if dtype is None else dtypes.as_dtype(dtype).np_dtype
    return EagerTensor(np.ones(x._value.shape, np_dtype))


def fill(dims, value, name=None):
    value = _tensor(value)
    return EagerTensor(np.full(_static(dims), value._value))


def range(start, limit=None, delta=1, dtype=None, name=None):  # noqa: A001
    """Like Python's range; float32 if any bound is a float, else int32."""
    if limit is None:
        start, limit = 0, start
    bounds = [np.asarray(v.numpy() if isinstance(v, Tensor) else v) for v in (start, limit, delta)]
    is_float = builtins.any(b.dtype.kind == 'f' for b in bounds)
    dtype = dtypes.as_dtype(dtype or (dtypes.float32 if is_float else dtypes.int32))
    return EagerTensor(np.arange(*[b.item() for b in bounds]).astype(dtype.np_dtype))


def linspace(start, stop, num, name=None, axis=0):
    start = _tensor(start)
    return EagerTensor(np.linspace(start._value, _tensor(stop)._value, int(num)).astype(start._value.dtype))


def eye(num_rows, num_columns=None, dtype=dtypes.float32, name=None):
    return EagerTensor(np.eye(int(num_rows), num_columns, dtype=dtypes.as_dtype(dtype).np_dtype))


def shape(x, out_type=dtypes.int32, name=None):
    return EagerTensor(np.array(_tensor(x)._value.shape, dtypes.as_dtype(out_type).np_dtype))


def size(x, out_type=dtypes.int32, name=None):
    return EagerTensor(np.array(_tensor(x)._value.size, dtypes.as_dtype(out_type).np_dtype))


def rank(x, name=None):
    return EagerTensor(np.array(_tensor(x)._value.ndim, np.int32))


def one_hot(indices, depth, on_value=1.0, off_value=0.0, axis=None, dtype=None, name=None):
    dtype = dtypes.as_dtype(dtype or dtypes.float32)
    params = {'depth': int(depth), 'on': on_value, 'off': off_value, 'dtype': dtype.np_dtype}
    return bind(A.one_hot_p, (convert_to_tensor(indices),), params)


def argmax(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002
    x = _tensor(input)
    params = {'axis': 0 if axis is None else int(axis), 'dtype': dtypes.as_dtype(output_type).np_dtype}
    return bind(A.argmax_p, (x,), params)


def argmin(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002
    x = _tensor(input)
    params = {'axis': 0 if axis is None else int(axis), 'dtype': dtypes.as_dtype(output_type).np_dtype}
    return bind(A.argmin_p, (x,), params)


def string_length(input, name=None, unit='BYTE'):  # noqa: A002
    return bind(A.string_length_p, (convert_to_tensor(input),))


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """min(max(t, lo), hi) as TF composes it: gradient 1 at both bounds."""
    # NB: in TensorFlow this is minimum(t, hi) then maximum(., lo); ties go
    # to the first argument, so the gradient at a bound is 1, not 0.
    return maximum(minimum(t, clip_value_max), clip_value_min)


def norm(tensor, ord='euclidean', axis=None, keepdims=None, name=None):  # noqa: A002
    """Euclidean norm sqrt(sum(x * conj(x))): its gradient at 0 is NaN, as in TF."""
    tensor = _tensor(tensor)
    result = sqrt(reduce_sum(multiply(tensor, conj(tensor)), axis, keepdims=True))
    if not keepdims:
        result = squeeze(result, axis)
    return result


def add_n(inputs, name=None):
    total = inputs[0]
    for x in inputs[1:]:
        total = total + x
    return _tensor(total)
