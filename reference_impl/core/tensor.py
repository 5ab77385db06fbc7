"""`Tensor`, `TensorShape`, `IndexedSlices`, conversion of Python values,
and the two protocols lower layers need of upper ones: `VariableBase`
(what ops know of `tf.Variable`, defined in state/variables.py) and
`CompositeTensor` (what tapes know of SparseTensor / RaggedTensor, defined in
api/composite.py).

A Tensor is an immutable wrapper of a NumPy array plus a unique integer id
(`_id`) by which tapes and accumulators know it. Operator overloads
(`+`, `@`, `[]`, ...) are attached by `api/overloads.py`, like TensorFlow's
`Tensor._override_operator`.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from . import dtypes

# Tensors and variables draw ids from one counter; ids are never reused, so a
# tape can key everything by id without keeping objects alive.
new_id = itertools.count(1).__next__


class TensorShape(tuple):
    """A tuple of ints that also compares equal to lists, like TF's shape."""

    def __eq__(self, other):
        try:
            return tuple(self) == tuple(other)
        except TypeError:
            return False

    def __ne__(self, other):
        return not self == other

    __hash__ = tuple.__hash__

    def __getitem__(self, key):
        item = tuple.__getitem__(self, key)
        return TensorShape(item) if isinstance(key, slice) else item

    def __repr__(self):
        return f"TensorShape({list(self)})"

    def __str__(self):
        return tuple.__repr__(self)

    @property
    def rank(self):
        return len(self)

    ndims = rank

    @property
    def dims(self):
        return list(self)

    def as_list(self):
        return list(self)

    def num_elements(self) -> int:
        return int(np.prod(self, dtype=np.int64))

    def is_fully_defined(self):
        return True

    def concatenate(self, other):
        return TensorShape(tuple(self) + tuple(other))

    def is_compatible_with(self, other):
        return self == other

    def with_rank_at_least(self, rank: int) -> TensorShape:
        if len(self) < rank:
            raise ValueError(f"Shape {self} must have rank at least {rank}")
        return self


class Tensor:
    """An immutable n-dimensional array with a dtype and a shape.

    Instances are `EagerTensor`s, as in TF; `isinstance(x, Tensor)` holds.
    """

    __slots__ = ("__weakref__", "_id", "_value")
    __array_priority__ = 100  # `ndarray * Tensor` defers to Tensor.__rmul__

    def __init__(self, value: np.ndarray) -> None:
        self._value = value
        self._id = new_id()

    @property
    def dtype(self) -> dtypes.DType:
        return dtypes.from_numpy(self._value.dtype)

    @property
    def shape(self) -> TensorShape:
        return TensorShape(np.shape(self._value))

    @property
    def ndim(self):
        return np.ndim(self._value)

    def get_shape(self):
        return self.shape

    def numpy(self) -> Any:
        """Returns the value as a NumPy array (a NumPy scalar for rank 0)."""
        value = self._value
        if type(value) is np.ndarray and value.ndim == 0:
            return value[()]
        return value

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self._value, dtype=dtype)

    def __bool__(self):
        return bool(self._value)

    def __float__(self):
        return float(self._value)

    def __int__(self):
        return int(self._value)

    def __index__(self):
        return int(self._value)

    def __len__(self):
        if not np.ndim(self._value):
            raise TypeError("Scalar tensor has no `len()`")
        return len(self._value)

    def __iter__(self):
        if not np.ndim(self._value):
            raise TypeError("Cannot iterate over a scalar tensor.")
        return (self[i] for i in range(len(self._value)))

    def __hash__(self):
        raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")

    def ref(self):
        return _Ref(self)

    def __repr__(self):
        text = numpy_text(self, is_repr=True)
        return f"<tf.Tensor: shape={self.shape}, dtype={self.dtype.name}, numpy={text}>"

    def __str__(self):
        return f"tf.Tensor({numpy_text(self)}, shape={self.shape}, dtype={self.dtype.name})"


class EagerTensor(Tensor):
    """The concrete class of every tensor the engine creates (TF's name)."""

    __slots__ = ()


class VariableBase:
    """Base class of `tf.Variable`: a mutable value read by `_read()` into a
    Tensor that active recorders see (see state/variables.py)."""

    __slots__ = ()

    def _read(self) -> Tensor:
        raise NotImplementedError


_NOT_SUPPORTED = "Type {} is not supported as a gradient source or gradient target."


class CompositeTensor:
    """Base class of composite tensors: the component protocol tapes rely on."""

    def _watch_components(self) -> list[Tensor]:
        """Every component Tensor, as `tape.watch` sees them."""
        raise NotImplementedError

    def _gradient_components(self) -> list[Tensor]:
        """The components `gradient()` differentiates with respect to."""
        # NB: in TensorFlow a composite without a gradient protocol (such as
        # SparseTensor, although the docstring lists CompositeTensors among
        # valid sources and targets) raises this ValueError.
        raise ValueError(_NOT_SUPPORTED.format(type(self).__name__))

    def _from_gradient_components(self, grads: list) -> Any:
        raise NotImplementedError


class _Ref:
    """A hashable reference to a Tensor or Variable (TF's `x.ref()`)."""

    __slots__ = ("_obj",)

    def __init__(self, obj):
        self._obj = obj

    def deref(self):
        return self._obj

    def __hash__(self):
        return id(self._obj)

    def __eq__(self, other):
        return isinstance(other, _Ref) and other._obj is self._obj


def numpy_text(t: Tensor, is_repr: bool = False) -> str:
    """TF's text for a value: NumPy's repr/str, with 1.x-style scalars."""
    with np.printoptions(legacy="1.25"):
        value = t.numpy()
        text = repr(value) if is_repr else str(value)
    return "\n" + text if "\n" in text else text


class IndexedSlices:
    """A sparse gradient: `values[i]` belongs to row `indices[i]` of a dense
    tensor of shape `dense_shape`. Duplicate indices are summed on densify."""

    __slots__ = ("dense_shape", "indices", "values")

    def __init__(self, values: Tensor, indices: Tensor, dense_shape: Tensor | None = None) -> None:
        self.values = values
        self.indices = indices
        self.dense_shape = dense_shape

    @property
    def dtype(self):
        return self.values.dtype

    @property
    def shape(self):
        return TensorShape(int(d) for d in self.dense_shape.numpy())

    def __repr__(self):
        return (
            f"IndexedSlices(indices={self.indices}, values={self.values}, "
            f"dense_shape={self.dense_shape})"
        )


def _infer_array(value: Any) -> np.ndarray:
    """NumPy array for a Python value, with TF's default dtypes: Python floats
    become float32, ints int32 (int64 if too big), strings bytes."""
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
        if array.dtype.kind == "U":
            array = np.vectorize(str.encode, otypes=[object])(array)
        return array
    array = np.asarray(value) if value is not None else np.asarray(None)
    kind = array.dtype.kind
    if kind == "O":
        raise ValueError(
            f"Attempt to convert a value ({value!r}) with an unsupported type "
            f"({type(value)}) to a Tensor."
        )
    if kind == "f":
        return array.astype(np.float32)
    if kind in "iu":
        info = np.iinfo(np.int32)
        in_range = array.size == 0 or (info.min <= array.min() and array.max() <= info.max)
        return array.astype(np.int32 if in_range else np.int64)
    if kind in "US":
        encode = (lambda s: s.encode()) if kind == "U" else bytes
        return np.vectorize(encode, otypes=[object])(array)
    return array


def array_of(value: Any, dtype: Any = None) -> np.ndarray:
    """NumPy array of a non-tensor Python/NumPy value, optionally cast.

    Args:
      value: a Python scalar, nested list, or NumPy value.
      dtype: the requested DType, or None to infer TF's default.

    Returns:
      A NumPy array (0-d arrays for scalars).
    """
    if dtype is None or value is None:
        return _infer_array(value)
    dtype = dtypes.as_dtype(dtype)
    if dtype.is_integer or dtype.is_bool:
        probe = np.asarray(value)
        floats = probe.dtype.kind in "fc" and probe.size  # [[]] is float64 to NumPy: no data
        if floats and not isinstance(value, (np.ndarray, np.generic)):
            raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.name}")
    if dtype is dtypes.string:
        return _infer_array(value)
    return np.asarray(value, dtype=dtype.np_dtype)
