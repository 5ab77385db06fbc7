"""DType objects (`tf.float32`, ...) and their mapping to NumPy dtypes.

A DType knows its name, its NumPy counterpart and whether it is floating,
integer or complex. Only floating and complex tensors are differentiable,
exactly as in TensorFlow.
"""

from __future__ import annotations

from typing import Any

import numpy as np

try:  # bfloat16 comes with ml_dtypes, which TensorFlow itself depends on.
    import ml_dtypes

    _BFLOAT16 = np.dtype(ml_dtypes.bfloat16)
except ImportError:  # pragma: no cover - optional
    _BFLOAT16 = None


class DType:
    """A tensor element type, e.g. `float32`."""

    __slots__ = ("is_bool", "is_complex", "is_floating", "is_integer", "name", "np_dtype")

    def __init__(self, name: str, np_dtype: Any, kind: str) -> None:
        self.name = name
        self.np_dtype = np_dtype
        self.is_floating = kind == "f"
        self.is_integer = kind == "i"
        self.is_complex = kind == "c"
        self.is_bool = kind == "b"

    @property
    def base_dtype(self):
        return self

    @property
    def as_numpy_dtype(self):
        return self.np_dtype.type if self.np_dtype is not None else object

    @property
    def is_differentiable(self) -> bool:
        """Floating and complex dtypes carry gradients; others never do."""
        return self.is_floating or self.is_complex

    @property
    def real_dtype(self):
        return {"complex64": float32, "complex128": float64}.get(self.name, self)

    def __repr__(self):
        return "tf." + self.name

    def __str__(self):
        return f"<dtype: '{self.name}'>"

    def __eq__(self, other):
        if isinstance(other, DType):
            return self is other
        try:
            return as_dtype(other) is self
        except TypeError:
            return False

    def __hash__(self):
        return hash(self.name)


float16 = DType("float16", np.dtype(np.float16), "f")
bfloat16 = DType("bfloat16", _BFLOAT16, "f") if _BFLOAT16 is not None else None
float32 = DType("float32", np.dtype(np.float32), "f")
float64 = DType("float64", np.dtype(np.float64), "f")
int8 = DType("int8", np.dtype(np.int8), "i")
int16 = DType("int16", np.dtype(np.int16), "i")
int32 = DType("int32", np.dtype(np.int32), "i")
int64 = DType("int64", np.dtype(np.int64), "i")
uint8 = DType("uint8", np.dtype(np.uint8), "i")
bool = DType("bool", np.dtype(np.bool_), "b")
string = DType("string", np.dtype(object), "s")
complex64 = DType("complex64", np.dtype(np.complex64), "c")
complex128 = DType("complex128", np.dtype(np.complex128), "c")
half = float16
double = float64

_ALL = [
    d
    for d in (
        float16,
        bfloat16,
        float32,
        float64,
        int8,
        int16,
        int32,
        int64,
        uint8,
        bool,
        string,
        complex64,
        complex128,
    )
    if d
]
_BY_NAME = {d.name: d for d in _ALL}
_BY_NAME.update(half=float16, double=float64)
_BY_NP = {d.np_dtype: d for d in _ALL}


def from_numpy(np_dtype: np.dtype) -> DType:
    """Returns the DType of a NumPy dtype (float64 stays float64)."""
    try:
        return _BY_NP[np_dtype]
    except KeyError:
        if np_dtype.kind in "SUO":
            return string
        raise TypeError(f"Unsupported NumPy dtype: {np_dtype!r}") from None


def as_dtype(value: Any) -> DType:
    """Converts a DType, a dtype name, or a NumPy dtype/type to a DType.

    Args:
      value: what to convert.

    Returns:
      The DType.
    """
    if isinstance(value, DType):
        return value
    if isinstance(value, str) and value in _BY_NAME:
        return _BY_NAME[value]
    if value is None:
        raise TypeError("Cannot convert the argument `type_value`: None to a TensorFlow DType.")
    try:
        return from_numpy(np.dtype(value))
    except TypeError:
        raise TypeError(
            f"Cannot convert the argument `type_value`: {value!r} to a TensorFlow DType."
        ) from None
