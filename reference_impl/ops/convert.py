"""Tensors from non-tensor values: `convert_to_tensor`, `constant`, creation
ops (`zeros`, `ones_like`, `range`, `eye`, ...), and the argument conversion
every op module shares (`as_tensor`, `tensor_pair`, `dtype_error`). Nothing
made here is connected to any tape.
"""

import builtins

import numpy as np

from ..core import dtypes, errors
from ..core.tensor import EagerTensor, IndexedSlices, Tensor, VariableBase, array_of
from ..core.trace import bind
from ..prims import array as array_prims

# TF's DataTypeString names, used in dtype-mismatch messages.
_TF_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    """Converts a Tensor, Variable, IndexedSlices or Python/NumPy value.

    Args:
      value: the value; lists holding tensors are stacked (differentiably).
      dtype: required DType (a Tensor of another dtype raises ValueError).
      dtype_hint: preferred DType for Python values when `dtype` is None.

    Returns:
      A Tensor.
    """
    if type(value) is EagerTensor:
        tensor = value
    elif isinstance(value, VariableBase):
        tensor = value._read()
    elif isinstance(value, IndexedSlices):
        tensor = densify(value)
    elif isinstance(value, (list, tuple)) and _holds_tensor(value):
        parts = same_dtype("Pack", [as_tensor(convert_to_tensor(v, dtype)) for v in value])
        tensor = bind(array_prims.stack_p, parts, {"axis": 0})
    elif hasattr(value, "__tf_tensor__"):  # TF's conversion protocol (Keras variables)
        tensor = value.__tf_tensor__(dtype, name)
    else:
        return _from_python(value, dtype, dtype_hint)
    return _check_dtype(tensor, dtype)


def _check_dtype(tensor, dtype):
    if dtype is not None and tensor.dtype != dtypes.as_dtype(dtype):
        raise ValueError(
            f"Tensor conversion requested dtype {dtypes.as_dtype(dtype).name} "
            f"for Tensor with dtype {tensor.dtype.name}: {tensor!r}"
        )
    return tensor


def _from_python(value, dtype, dtype_hint):
    if dtype is None and dtype_hint is not None:
        try:
            return EagerTensor(array_of(value, dtype_hint))
        except (TypeError, ValueError):
            pass
    return EagerTensor(array_of(value, dtype))


def _holds_tensor(values):
    return any(
        isinstance(v, (Tensor, VariableBase)) or (isinstance(v, (list, tuple)) and _holds_tensor(v))
        for v in values
    )


def constant(value, dtype=None, shape=None, name=None):
    """A Tensor holding `value` (never connected to any tape)."""
    if isinstance(value, (Tensor, VariableBase)):
        value = value.numpy()
    array = np.asarray(array_of(value, dtype))
    if shape is not None:
        array = np.broadcast_to(array, tuple(shape)) if array.size == 1 else array.reshape(shape)
    return EagerTensor(np.array(array))


def densify(slices):
    """The dense Tensor of an IndexedSlices (duplicate indices summed)."""
    n = int(slices.dense_shape.numpy()[0])
    parts = (as_tensor(slices.values), convert_to_tensor(slices.indices))
    return bind(array_prims.segment_sum_p, parts, {"num_segments": n})


def as_tensor(x):
    """`x` as a Tensor: itself if it is one, else converted."""
    return x if type(x) is EagerTensor else convert_to_tensor(x)


def tensor_pair(x, y):
    """Converts binary-op arguments: a Python value takes the dtype of the
    tensor operand (so `float_tensor * 3` works, `int_tensor * 2.5` raises)."""
    if type(x) is EagerTensor and type(y) is EagerTensor:
        return x, y
    if isinstance(x, (Tensor, VariableBase)):
        x = as_tensor(x)
        is_tensor = isinstance(y, (Tensor, VariableBase))
        return x, (as_tensor(y) if is_tensor else convert_to_tensor(y, x.dtype))
    if isinstance(y, (Tensor, VariableBase)):
        y = as_tensor(y)
        return convert_to_tensor(x, y.dtype), y
    return convert_to_tensor(x), convert_to_tensor(y)


def dtype_error(op_name, expected, got, index):
    """TF's InvalidArgumentError for an input of the wrong dtype."""

    def name(d):
        return _TF_TYPE_NAMES.get(d.name, d.name)

    return errors.invalid_argument(
        op_name,
        (
            f"cannot compute {op_name} as input #{index}(zero-based) was expected to be a "
            f"{name(expected)} tensor but is a {name(got)} tensor"
        ),
    )


def same_dtype(op_name, tensors):
    """`tensors` as a tuple, after checking they all have the first's dtype."""
    for i, t in enumerate(tensors[1:], 1):
        if t._value.dtype != tensors[0]._value.dtype:
            raise dtype_error(op_name, tensors[0].dtype, t.dtype, i)
    return tuple(tensors)


def static(value):
    """A Python int / tuple of ints from an int, list or Tensor argument."""
    if isinstance(value, Tensor):
        value = value.numpy().tolist()
    if isinstance(value, (list, tuple)):
        return tuple(int(v) for v in value)
    return int(value)


# ------------------------------ creation ------------------------------


def zeros(shape, dtype=dtypes.float32, name=None):
    return EagerTensor(np.zeros(static(shape), dtypes.as_dtype(dtype).np_dtype))


def ones(shape, dtype=dtypes.float32, name=None):
    return EagerTensor(np.ones(static(shape), dtypes.as_dtype(dtype).np_dtype))


def zeros_like(x, dtype=None, name=None):
    """Zeros shaped like `x`; never connected (TF: ZerosLike has no gradient)."""
    x = as_tensor(x)
    np_dtype = x._value.dtype if dtype is None else dtypes.as_dtype(dtype).np_dtype
    return EagerTensor(np.zeros(x._value.shape, np_dtype))


def ones_like(x, dtype=None, name=None):
    x = as_tensor(x)
    np_dtype = x._value.dtype if dtype is None else dtypes.as_dtype(dtype).np_dtype
    return EagerTensor(np.ones(x._value.shape, np_dtype))


def fill(dims, value, name=None):
    """`value` broadcast to `dims`; differentiable in `value` (TF's Fill gradient sums)."""
    value = as_tensor(value)
    shape = tuple(int(d) for d in np.ravel(static(dims)))
    return bind(array_prims.broadcast_to_p, (value,), {"shape": shape})


def range(start, limit=None, delta=1, dtype=None, name=None):
    """Like Python's range; float32 if any bound is a float, else int32."""
    if limit is None:
        start, limit = 0, start
    bounds = [np.asarray(v.numpy() if isinstance(v, Tensor) else v) for v in (start, limit, delta)]
    is_float = builtins.any(b.dtype.kind == "f" for b in bounds)
    dtype = dtypes.as_dtype(dtype or (dtypes.float32 if is_float else dtypes.int32))
    return EagerTensor(np.arange(*[b.item() for b in bounds]).astype(dtype.np_dtype))


def linspace(start, stop, num, name=None, axis=0):
    start = as_tensor(start)
    values = np.linspace(start._value, as_tensor(stop)._value, int(num))
    return EagerTensor(values.astype(start._value.dtype))


def eye(num_rows, num_columns=None, dtype=dtypes.float32, name=None):
    return EagerTensor(np.eye(int(num_rows), num_columns, dtype=dtypes.as_dtype(dtype).np_dtype))


def shape(x, out_type=dtypes.int32, name=None):
    return EagerTensor(np.array(as_tensor(x)._value.shape, dtypes.as_dtype(out_type).np_dtype))


def size(x, out_type=dtypes.int32, name=None):
    return EagerTensor(np.array(as_tensor(x)._value.size, dtypes.as_dtype(out_type).np_dtype))


def rank(x, name=None):
    return EagerTensor(np.array(as_tensor(x)._value.ndim, np.int32))
