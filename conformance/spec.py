"""The expectation grammar: YAML values in a case's ``expect`` → `Spec` trees.

The grammar (documented with examples in docs/case-format.md):

=====================================  =========================================
YAML                                   means
=====================================  =========================================
``null``                               the value is ``None``
``6.0``, ``.nan``, ``-.inf``, ``3``    a ``Tensor`` holding that scalar
``'weight:0'``, ``true``               that plain Python ``str`` / ``bool``
``[a, b]``                             a Python ``list`` of two expectations
``{tensor: V, dtype:, shape:}``        a ``Tensor`` with values ``V`` (nested lists)
``{variable: V, ...}``                 a ``Variable`` with values ``V``
``{indexed_slices: V, ...}``           an ``IndexedSlices`` whose dense value is ``V``
``{ndarray: V, ...}``                  a NumPy array or NumPy scalar
``{python: X}``                        the plain Python value ``X`` (int ≠ float)
``{bytes: TEXT}``                      Python ``bytes``: the UTF-8 encoding of TEXT
``{list: [...]}`` / ``{tuple: [...]}`` a list / tuple of expectations
``{dict: {k: e, ...}}``                a dict with exactly these keys
``{type: NAME}``                       any object whose class is called NAME
=====================================  =========================================

A mapping always has exactly one *head* key (``tensor``, ``dict``, …), so a
dict *structure* (``{dict: {...}}``) can never be mistaken for a tensor spec.
Tensor-like heads take the modifiers ``dtype``, ``shape``, ``rtol``, ``atol``
(and ``indices`` for IndexedSlices). ``V`` may be the string ``any`` to check
kind, dtype and shape only; a scalar ``V`` with a non-scalar ``shape`` means
"every element equals V". Complex elements are written as strings, ``'1+2j'``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import SpecError

TENSOR_KINDS = {
    "tensor": "Tensor",
    "variable": "Variable",
    "indexed_slices": "IndexedSlices",
    "ndarray": "ndarray",
}
STRUCTURES = ("list", "tuple", "dict")
HEADS = tuple(TENSOR_KINDS) + STRUCTURES + ("python", "bytes", "type")
MODIFIERS = {"dtype", "shape", "rtol", "atol", "indices"}
DTYPES = (
    "float16",
    "bfloat16",
    "float32",
    "float64",
    "complex64",
    "complex128",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "bool",
    "string",
)


@dataclass(frozen=True)
class Spec:
    """One node of an expectation.

    ``kind`` is ``none``, ``python``, ``type``, ``list``, ``tuple``, ``dict``
    or a tensor kind (``Tensor``, ``Variable``, ``IndexedSlices``,
    ``ndarray``). Only the fields that apply to the kind are set.
    """

    kind: str
    value: Any = None  # python value, or tensor values (nested lists)
    any_value: bool = False  # tensor values not checked
    dtype: str | None = None
    shape: tuple[int, ...] | None = None
    rtol: float | None = None
    atol: float | None = None
    indices: tuple[int, ...] | None = None
    items: tuple = ()  # list/tuple: specs; dict: (key, spec) pairs
    type_name: str | None = None

    @property
    def is_tensor(self) -> bool:
        return self.kind in TENSOR_KINDS.values()


def parse_spec(raw: Any, path: tuple = ()) -> Spec:
    """Turn one YAML expectation into a `Spec`.

    Args:
        raw: the value as loaded by ``yaml.safe_load``.
        path: where it sits inside ``expect`` (for error messages).

    Returns:
        The parsed `Spec`.

    Raises:
        SpecError: the value does not follow the grammar.
    """
    if raw is None:
        return Spec("none")
    if isinstance(raw, (bool, str)):
        return Spec("python", value=raw)
    if isinstance(raw, (int, float)):
        _check_values(raw, None, path)
        return Spec("Tensor", value=raw)
    if isinstance(raw, list):
        return Spec("list", items=tuple(parse_spec(r, path + (i,)) for i, r in enumerate(raw)))
    if isinstance(raw, dict):
        return _parse_mapping(raw, path)
    raise SpecError(f"cannot use a {type(raw).__name__} as an expectation", path)


def _parse_mapping(raw: dict, path: tuple) -> Spec:
    heads = [k for k in raw if k in HEADS]
    if len(heads) != 1:
        found = ", ".join(map(str, raw)) or "nothing"
        raise SpecError(
            f"an expectation mapping needs exactly one of {', '.join(HEADS)}; found {found}", path
        )
    head = heads[0]
    extra = set(raw) - {head} - (MODIFIERS if head in TENSOR_KINDS else set())
    if extra:
        raise SpecError(
            f"unknown key(s) {', '.join(sorted(map(str, extra)))} beside {head!r}", path
        )
    body = raw[head]
    if head in TENSOR_KINDS:
        return _parse_tensor(TENSOR_KINDS[head], body, raw, path + (head,))
    if head == "python":
        return Spec("python", value=body)
    if head == "bytes":
        return Spec("python", value=_utf8(body, path + (head,)))
    if head == "type":
        if not isinstance(body, str):
            raise SpecError("'type' takes a class name", path + (head,))
        return Spec("type", type_name=body)
    return _parse_structure(head, body, path + (head,))


def _utf8(body: Any, path: tuple) -> bytes:
    try:
        return body.encode("utf-8")
    except (AttributeError, UnicodeEncodeError):  # not a str, or a lone surrogate
        raise SpecError(
            f"'bytes' takes a text whose UTF-8 encoding the bytes are, got {body!r}", path
        ) from None


def _parse_structure(head: str, body: Any, path: tuple) -> Spec:
    if head == "dict":
        if not isinstance(body, dict):
            raise SpecError("'dict' takes a mapping of key → expectation", path)
        return Spec("dict", items=tuple((k, parse_spec(v, path + (k,))) for k, v in body.items()))
    if not isinstance(body, list):
        raise SpecError(f"{head!r} takes a list of expectations", path)
    return Spec(head, items=tuple(parse_spec(v, path + (i,)) for i, v in enumerate(body)))


def _parse_tensor(kind: str, body: Any, raw: dict, path: tuple) -> Spec:
    dtype = raw.get("dtype")
    if dtype is not None and dtype not in DTYPES:
        raise SpecError(f"unknown dtype {dtype!r}; known: {', '.join(DTYPES)}", path)
    shape = raw.get("shape")
    if shape is not None and not _is_index_list(shape):
        raise SpecError(f"shape must be a list of non-negative ints, got {shape!r}", path)
    any_value = body == "any"
    if not any_value:
        got = _check_values(body, dtype, path).shape
        if shape is not None and got != () and got != tuple(shape):
            raise SpecError(f"values have shape {list(got)} but shape says {shape}", path)
    indices = raw.get("indices")
    if indices is not None and kind != "IndexedSlices":
        raise SpecError("'indices' only applies to indexed_slices", path)
    if indices is not None and not _is_index_list(indices):
        raise SpecError(f"indices must be a list of non-negative ints, got {indices!r}", path)
    return Spec(
        kind,
        value=None if any_value else body,
        any_value=any_value,
        dtype=dtype,
        shape=tuple(shape) if shape is not None else None,
        rtol=_tol(raw, "rtol", path),
        atol=_tol(raw, "atol", path),
        indices=tuple(indices) if indices is not None else None,
    )


def _is_index_list(value: Any) -> bool:
    """A list of non-negative ints (YAML's true/false are not ints here)."""
    return isinstance(value, list) and all(
        isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in value
    )


def _tol(raw: dict, key: str, path: tuple) -> float | None:
    value = raw.get(key)
    if value is not None and (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or math.isnan(value)
        or value < 0
    ):
        raise SpecError(f"{key} must be a non-negative number, got {value!r}", path)
    return value


def _check_values(body: Any, dtype: str | None, path: tuple) -> np.ndarray:
    """The values as the array they are compared as; `SpecError` when they cannot be."""
    if dtype == "string":
        return _check_strings(body, path)
    try:
        array = values_to_array(body, dtype)
    except (TypeError, ValueError, OverflowError) as exc:
        hint = " (a string tensor needs dtype: string)" if _has_complex_strings(body) else ""
        raise SpecError(
            f"tensor values are not a rectangular nested list of numbers: {exc}{hint}", path
        ) from None
    return array


def _check_strings(body: Any, path: tuple) -> np.ndarray:
    if not _all_leaves(body, lambda v: isinstance(v, str)):
        raise SpecError(
            f"a string tensor's values are strings (or nested lists of them); got {body!r}", path
        )
    try:
        return values_to_array(body, "string")
    except ValueError as exc:  # ragged nesting
        raise SpecError(
            f"string tensor values are not a rectangular nested list: {exc}", path
        ) from None


def _all_leaves(values: Any, test: Any) -> bool:
    if isinstance(values, list):
        return all(_all_leaves(v, test) for v in values)
    return test(values)


def values_to_array(values: Any, dtype: str | None = None) -> np.ndarray:
    """Nested lists of numbers (complex as strings, bools) → a NumPy array;
    with ``dtype="string"``, nested lists of strings → an object array of `str`.

    Raises ValueError (or TypeError) when the values are not such lists.
    """
    if dtype == "string":
        return np.array(values, dtype=str).astype(object)
    if _has_complex_strings(values):
        return np.array(_to_complex(values), dtype=np.complex128)
    array = np.array(values)
    if array.dtype.kind not in "biuf":
        raise ValueError(f"elements of kind {array.dtype} are not numbers")
    return array


def _has_complex_strings(values: Any) -> bool:
    if isinstance(values, list):
        return any(_has_complex_strings(v) for v in values)
    return isinstance(values, str)


def _to_complex(values: Any) -> Any:
    if isinstance(values, list):
        return [_to_complex(v) for v in values]
    if not isinstance(values, str):
        return complex(values)
    try:
        return complex(values.replace(" ", ""))
    except ValueError:
        raise ValueError(
            f"{values!r} is not a number (complex numbers are written '1+2j')"
        ) from None


def parse_expect(raw: dict) -> dict[str, Spec]:
    """Parse a case's whole ``expect`` mapping (variable name → expectation)."""
    return {name: parse_spec(value, (name,)) for name, value in raw.items()}


__all__ = ["Spec", "parse_spec", "parse_expect", "values_to_array", "DTYPES"]
