"""`tf.Variable`: mutable state whose *reads* are what tapes record.

Reading a variable produces a new Tensor holding the value at that moment;
assignments replace the stored array (never mutate it), so tensors read
earlier keep their values, as in TF ("a variable's value is recorded at the
time it was read").
"""

import numpy as np

from ..core import dtypes, trace
from ..core.tensor import (
    EagerTensor,
    Tensor,
    TensorShape,
    VariableBase,
    array_of,
    new_id,
    numpy_text,
)


class Variable(VariableBase):
    """A named, mutable tensor; trainable variables are auto-watched by tapes.

    Args:
      initial_value: a Tensor or a Python/NumPy value.
      trainable: whether tapes watch it automatically (default True, even for
        integer dtypes, as in TF).
      name: the name; `.name` is `name + ':0'` (default 'Variable:0').
      dtype: optional DType to convert the initial value to.
    """

    __slots__ = ("__weakref__", "_id", "_name", "_trainable", "_value")
    __array_priority__ = 100

    def __new__(cls, *args, **kwargs):
        # Like TF, `Variable(...)` makes a ResourceVariable.
        return object.__new__(ResourceVariable if cls is Variable else cls)

    def __init__(self, initial_value=None, trainable=None, name=None, dtype=None, **unused_kwargs):
        if callable(initial_value):
            initial_value = initial_value()
        self._value = _array(initial_value, dtype)
        self._id = new_id()  # drawn from the tensor id counter: creation order
        self._trainable = True if trainable is None else bool(trainable)
        self._name = (name or "Variable") + ":0"

    name = property(lambda self: self._name)
    trainable = property(lambda self: self._trainable)
    dtype = property(lambda self: dtypes.from_numpy(self._value.dtype))
    shape = property(lambda self: TensorShape(np.shape(self._value)))

    def _read(self):
        """A Tensor of the current value; active tapes record the read."""
        t = EagerTensor(self._value)
        trace.notify_read(self, t)
        return t

    def read_value(self):
        return self._read()

    value = read_value

    def numpy(self):
        return self._read().numpy()

    def assign(self, value, read_value=True, name=None):
        """Replaces the value (not differentiable: tapes record nothing)."""
        if trace.discarding():
            return self
        self._value = _array(value, self.dtype, self._value.shape)
        return self

    def assign_add(self, delta, read_value=True, name=None):
        if trace.discarding():
            return self
        self._value = (self._value + _array(delta, self.dtype)).astype(self._value.dtype)
        return self

    def assign_sub(self, delta, read_value=True, name=None):
        if trace.discarding():
            return self
        self._value = (self._value - _array(delta, self.dtype)).astype(self._value.dtype)
        return self

    def get_shape(self):
        return self.shape

    def ref(self):
        return Tensor.ref(self)

    def __hash__(self):
        raise TypeError("Variable is unhashable. Instead, use variable.ref() as the key.")

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self._value, dtype=dtype)

    def __bool__(self):
        return bool(self._read()._value)

    def __float__(self):
        return float(self._value)

    def __int__(self):
        return int(self._value)

    def __len__(self):
        return len(self._value)

    def __repr__(self):
        text = numpy_text(EagerTensor(self._value), is_repr=True)
        return (
            f"<tf.Variable '{self._name}' shape={self.shape} dtype={self.dtype.name}, numpy={text}>"
        )


class ResourceVariable(Variable):
    """The concrete class of variables (TF's name)."""

    __slots__ = ()


def _array(value, dtype=None, shape=None):
    if isinstance(value, Variable):
        value = value._read()
    if isinstance(value, Tensor):
        array = value._value
        if dtype is not None and array.dtype != dtypes.as_dtype(dtype).np_dtype:
            array = array.astype(dtypes.as_dtype(dtype).np_dtype)
    else:
        array = np.asarray(array_of(value, dtype))
    if shape is not None and array.shape != shape:
        raise ValueError(f"Cannot assign value to variable: shape {array.shape} vs {shape}")
    return array
