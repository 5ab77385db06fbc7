"""The deterministic points and directions of one op × sample × dtype.

Every engine (and the recorded TensorFlow baseline) sees the same inputs,
cotangent ``u`` (one per floating output), tangents ``v`` and ``w`` (one per
differentiable input), all drawn from generators seeded by the group id and
rounded to the check's dtype, so a number recorded on one machine can be
compared with one computed on another.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .table import Sample, rng

_NUMPY = {
    "float16": np.float16,
    "float32": np.float32,
    "float64": np.float64,
    "complex64": np.complex64,
    "complex128": np.complex128,
}


def round_to(values: np.ndarray, dtype: str) -> np.ndarray:
    """`values` rounded to `dtype` and returned as float64 / complex128."""
    if dtype == "bfloat16":
        bits = np.asarray(values, np.float32).view(np.uint32)
        bits = (bits + np.uint32(0x7FFF) + ((bits >> 16) & np.uint32(1))) & np.uint32(0xFFFF0000)
        return bits.view(np.float32).astype(np.float64)
    rounded = np.asarray(values).astype(_NUMPY[dtype])
    return rounded.astype(np.complex128 if np.iscomplexobj(rounded) else np.float64)


def _scale(point: np.ndarray) -> np.ndarray:
    """Directions scale with tiny (|x| < 0.1) and huge (|x| > 10) points, so the
    finite-difference step stays inside the domain and above round-off; 1 elsewhere."""
    magnitude = np.abs(point)
    ordinary = (magnitude == 0) | ((magnitude >= 0.1) & (magnitude <= 10))
    return np.where(ordinary, 1.0, magnitude)


def is_complex(dtype: str) -> bool:
    return dtype.startswith("complex")


class Directions:
    """Inputs, ``u``, ``v`` and ``w`` of one group (see the module docstring)."""

    def __init__(self, group_id: str, sample: Sample, dtype: str) -> None:
        self.key, self.sample, self.dtype = group_id, sample, dtype
        self.diff = [i for i, a in enumerate(sample.args) if np.asarray(a).dtype.kind == "f"]
        self.base = [self._point(i, a) for i, a in enumerate(sample.args)]
        self.v = [self._direction("v", i) for i in self.diff]
        self.w = [self._direction("w", i) for i in self.diff]

    def _point(self, i: int, template: Any) -> np.ndarray:
        template = np.asarray(template)
        if template.dtype.kind != "f":
            return template
        if is_complex(self.dtype):
            imag = rng("imag", self.key, str(i)).uniform(-1.0, 1.0, template.shape)
            template = template + 1j * imag * np.maximum(np.abs(template), 0.5)
        return round_to(template, self.dtype)

    def _direction(self, name: str, i: int) -> np.ndarray:
        shape, gen = np.shape(self.sample.args[i]), rng(name, self.key, str(i))
        values = gen.normal(size=shape)
        if is_complex(self.dtype):
            values = values + 1j * gen.normal(size=shape)
        return round_to(values * _scale(self.base[i]), self.dtype)

    def points(self, along: list | None = None, shift: float = 0.0) -> list[np.ndarray]:
        """The sample's inputs (float64 / complex128), moved by ``shift · along``."""
        if along is None or shift == 0.0:
            return list(self.base)
        moved = list(self.base)
        for i, direction in zip(self.diff, along):
            moved[i] = self.base[i] + shift * direction
        return moved

    def tangents(self, which: str = "v") -> list[np.ndarray]:
        return self.v if which == "v" else self.w

    def cotangents(self, shapes: list[tuple], complex_flags: list[bool]) -> list[np.ndarray]:
        """One ``u`` per floating output, of its shape (complex for a complex output)."""
        out = []
        for k, (shape, cplx) in enumerate(zip(shapes, complex_flags)):
            gen = rng("u", self.key, str(k))
            values = gen.normal(size=shape)
            if cplx:
                values = values + 1j * gen.normal(size=shape)
            out.append(round_to(values, _cotangent_dtype(self.dtype, cplx)))
        return out


def _cotangent_dtype(dtype: str, cplx: bool) -> str:
    """A real output of a complex op (or the reverse) keeps the op's precision."""
    if cplx == is_complex(dtype):
        return dtype
    return {"complex64": "float32", "complex128": "float64", "float64": "complex128"}.get(
        dtype, "complex64"
    )
