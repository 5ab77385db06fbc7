"""The op table's data model: `OpEntry` (one public differentiable API) and `Sample`.

An entry says how to call the API on an engine (``call``, resolved on the
engine's ``tf`` namespace so a missing API is reported as unsupported), the
sample inputs, the dtypes, which checks apply, and its domain. Entries are
written in family modules (`families`), which generate samples for the ops
they share them with; `all_entries` collects them in one place.

Checks (each op × sample × dtype × check is one result):

* ``vjp``: reverse mode, ``tape.gradient(outputs, inputs, output_gradients=u)``;
* ``jvp``: forward mode, ``ForwardAccumulator(inputs, v).jvp(outputs)``;
* ``rr``: reverse-over-reverse, the VJP of that gradient with cotangent ``w``;
* ``fr``: forward-over-reverse, the JVP of that gradient along ``v``;
* ``transpose``: that gradient differentiated by its cotangent ``u`` along
  ``w`` — ``J w``, which must match the VJP (the VJP is linear in ``u``); it
  reaches the rules of gradient ops (``ReluGrad``…) that second order in
  ``x`` never needs;
* ``jacobian``: ``tape.jacobian`` of a single output by a single input;
* ``function`` / ``xla``: the VJP computed inside ``tf.function`` and
  ``tf.function(jit_compile=True)``.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

CHECKS = ("vjp", "jvp", "rr", "fr", "transpose", "jacobian", "function", "xla")
# Opt-in: "ft" (forward over the VJP by its cotangent) is for entries whose VJP is
# itself an op with rules of its own (ReluGrad, StridedSliceGrad, ...).
ALL_CHECKS = (*CHECKS, "ft")
FORWARD_TRANSPOSE = (*CHECKS, "ft")
FIRST_ORDER = ("vjp", "jvp")
SECOND_ORDER = ("rr", "fr")
REAL = ("float32", "float64")
HALF = ("float16", "bfloat16")
COMPLEX = ("complex64", "complex128")
ALL_DTYPES = HALF + REAL + COMPLEX


@dataclass(frozen=True)
class Sample:
    """One set of inputs.

    ``args`` are float64 templates (cast to the check's dtype; complex dtypes
    add a deterministic imaginary part) or integer/bool arrays (passed as
    they are and never differentiated). ``convention`` names why the point is
    not differentiable in the ordinary sense (a kink, a tie, a pole): the
    finite differences are then not an oracle, TensorFlow's value is.
    """

    name: str
    args: tuple[Any, ...]
    kwargs: dict = field(default_factory=dict, hash=False)
    convention: str | None = None


@dataclass(frozen=True)
class OpEntry:
    """One public differentiable API and how to check its gradients."""

    api: str  # "tf.math.sin"
    family: str  # "unary", "binary", ...
    samples: tuple[Sample, ...]
    dtypes: tuple[str, ...] = REAL
    checks: tuple[str, ...] = CHECKS
    call: Callable[..., Any] | None = None  # (tf, *args, **kwargs) -> outputs
    domain: str = ""  # the inputs' domain, in words
    note: str = ""
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    convention: str | None = None  # why no sample is an ordinary point

    @property
    def id(self) -> str:
        """``unary/math.sin``: family and the API without its ``tf.`` prefix."""
        return f"{self.family}/{self.api.removeprefix('tf.')}"

    def invoke(self, tf: Any, args: list, kwargs: dict) -> Any:
        """Call the API on `tf` with engine tensors `args`."""
        if self.call is not None:
            return self.call(tf, *args, **kwargs)
        return resolve(tf, self.api)(*args, **kwargs)

    def dtypes_for(self, check: str) -> tuple[str, ...]:
        """First-order checks run in every dtype; the others in one (float64 first);
        jacobian only in a real dtype (its complex layout is not TF's VJP convention)."""
        if check in FIRST_ORDER:
            return self.dtypes
        if check == "jacobian":
            return tuple(d for d in ("float64", "float32") if d in self.dtypes)[:1]
        for preferred in ("float64", "float32", "complex128"):
            if preferred in self.dtypes:
                return (preferred,)
        return self.dtypes[:1]

    def samples_for(self, check: str) -> tuple[Sample, ...]:
        """Compiled, jacobian and transpose checks run on the first sample only."""
        if check in ("function", "xla", "jacobian", "transpose", "ft"):
            return self.samples[:1]
        return self.samples


def resolve(tf: Any, api: str) -> Any:
    """``tf.math.sin`` → the attribute of the engine namespace (AttributeError if absent)."""
    obj = tf
    for part in api.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


def rng(*key: str) -> np.random.Generator:
    """A generator seeded by `key`, the same in every process."""
    return np.random.default_rng(zlib.crc32("/".join(key).encode()))


def uniform(key: str, shape: tuple[int, ...], low: float, high: float) -> np.ndarray:
    """A deterministic float64 array of `shape` uniform in [low, high)."""
    return rng("uniform", key, str(shape), str(low), str(high)).uniform(low, high, shape)


def normal(key: str, shape: tuple[int, ...], scale: float = 1.0) -> np.ndarray:
    return rng("normal", key, str(shape), str(scale)).normal(0.0, scale, shape)


def arr(values: Any) -> np.ndarray:
    """Explicit float values as a float64 template."""
    return np.asarray(values, dtype=np.float64)


def ints(values: Any, dtype: str = "int32") -> np.ndarray:
    """An integer (non-differentiable) argument."""
    return np.asarray(values, dtype=dtype)
