"""The execution trace: `Primitive`, `bind`, and the stack of active recorders.

Every op runs through `bind(prim, inputs, params)`: it computes the NumPy
result and then lets each active `Recorder` (gradient tapes, forward
accumulators, variable watchers, function graphs) see the op. With nothing
active, `bind` is a single function call plus the NumPy work, which keeps
eager ops cheap.

The recorder protocol is the `Recorder` base class: `on_op` (an op ran),
`on_read` (a variable was read) and `on_custom` (a `tf.custom_gradient`
call finished), each a no-op by default. Recorders enter with `push`, leave
with `remove`; `notify_read` and `notify_custom` tell every active one.

# NB: the analogous machinery in TensorFlow is the C++ eager `TFE_Execute`
# plus `RecordGradient` on the tape and accumulator sets.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from .tensor import EagerTensor, Tensor

Params = dict[str, Any] | None


class Primitive:
    """One differentiable (or not) operation.

    `impl(*arrays, **params)` computes the NumPy result. `vjps[i]` and
    `jvps[i]` are the reverse- and forward-mode rules for argument `i`;
    `None` means "no gradient through this argument".
    """

    __slots__ = (
        "drops_inputs",
        "drops_output",
        "impl",
        "joint_jvp",
        "jvps",
        "name",
        "nondiff",
        "passes_slices",
        "vjps",
    )

    def __init__(self, name: str, impl: Callable[..., Any] | None) -> None:
        self.name = name
        self.impl = impl
        self.vjps: Sequence[Callable[..., Any] | None] | None = None
        self.jvps: Sequence[Callable[..., Any] | None] | None = None
        # One forward-mode rule of all arguments' tangents (registry.defjvp_joint).
        self.joint_jvp: Callable[..., Any] | None = None
        # Registered as non-differentiable: outputs are never connected. An op
        # that is not, yet has no rules, raises LookupError when differentiated.
        self.nondiff = False
        # Identity-like ops hand an IndexedSlices gradient through unchanged.
        self.passes_slices = False
        # The VJP rules use only the shape and dtype of the inputs / output,
        # so tapes need not keep their values (see registry.shape_only).
        self.drops_inputs = self.drops_output = False

    def __repr__(self) -> str:
        return f"Primitive({self.name})"


class Recorder:
    """What `bind` and variable reads notify; every hook is a no-op here."""

    forward_mode = False  # a ForwardAccumulator's (it holds tangents)

    def on_op(self, prim: Primitive, inputs: tuple, params: Params, out: Tensor) -> None:
        """`prim` ran on `inputs` with `params` and produced `out`."""

    def on_read(self, variable: Any, tensor: Tensor) -> None:
        """`variable` was read into `tensor`."""

    def on_custom(self, prim: Primitive, inputs: list, outputs: list) -> None:
        """A custom_gradient function ran; `prim.impl` is its backward function."""

    def holds_tangent(self, tensor: Tensor) -> bool:
        """Whether this recorder (a ForwardAccumulator) has a tangent for `tensor`."""
        return False


def tangent_held(tensor: Tensor) -> bool:
    """Whether an active forward accumulator has a tangent for `tensor`."""
    return any(getattr(r, "forward_mode", False) and r.holds_tangent(tensor) for r in _active)


class RaiseOnUse(Recorder):
    """A recorder that raises `error()` when an op consumes a tensor for which
    `predicate(tensor)` holds (see `traced_forward_capture_error`)."""

    def __init__(self, predicate: Callable[[Tensor], bool]) -> None:
        self.predicate = predicate

    def on_op(self, prim: Primitive, inputs: tuple, params: Params, out: Tensor) -> None:
        if any(self.predicate(x) for x in inputs):
            raise traced_forward_capture_error()


def traced_forward_capture_error() -> TypeError:
    # NB: in TensorFlow, inside tf.function, a while_loop or cond body whose
    # backward function needs a tensor that carries a forward-mode tangent
    # captures it as a variant Optional, and forward mode then fails to make
    # that Optional's tangent with this TypeError.
    return TypeError("`dtype` <dtype: 'variant'> is not compatible with 1 of dtype int64.")


# Active recorders, outermost first. A tuple, replaced on every change, so
# iterating over it while recorders push and pop themselves is safe.
_active: tuple[Recorder, ...] = ()

# The Graphs of the `tf.function` bodies now running, innermost last (see
# api/function.py); while there is one, `cond` behaves as in TF's graph mode.
graphs: list[Recorder] = []

# While positive, variable assignments are discarded (the untaken branch of a
# cond that graph mode records but TF never executes; see ops/control.py).
_discarding = [0]

_logger = logging.getLogger("tensorflow")
_log_counts: dict[tuple, int] = {}


def bind(prim: Primitive, inputs: tuple, params: Params = None) -> Tensor:
    """Runs `prim` on Tensor `inputs` and records it on active recorders.

    Args:
      prim: the Primitive.
      inputs: a tuple of Tensors.
      params: a dict of static (non-tensor) parameters, or None.

    Returns:
      The output Tensor.
    """
    if params:
        value = prim.impl(*[t._value for t in inputs], **params)
    else:
        value = prim.impl(*[t._value for t in inputs])
    out = EagerTensor(value)
    if _active:
        for recorder in _active:
            recorder.on_op(prim, inputs, params, out)
    return out


def notify_read(variable: Any, tensor: Tensor) -> None:
    """Tells active recorders that `variable` was read into `tensor`."""
    for recorder in _active:
        recorder.on_read(variable, tensor)


def notify_custom(prim: Primitive, inputs: list, outputs: list) -> None:
    """Tells active recorders that a custom_gradient call produced `outputs`."""
    for recorder in _active:
        recorder.on_custom(prim, inputs, outputs)


def push(recorder: Recorder) -> None:
    """Makes `recorder` the innermost active recorder."""
    global _active
    _active = _active + (recorder,)


def active() -> tuple[Recorder, ...]:
    """The active recorders, outermost first."""
    return _active


def remove(recorder: Recorder) -> None:
    """Deactivates `recorder` (wherever it is in the stack)."""
    global _active
    _active = tuple(r for r in _active if r is not recorder)


class recording:
    """Context manager: `recorder` is the innermost active recorder inside it
    (None: nothing is pushed)."""

    def __init__(self, recorder: Recorder | None) -> None:
        self.recorder = recorder

    def __enter__(self) -> None:
        if self.recorder is not None:
            push(self.recorder)

    def __exit__(self, *exc: object) -> None:
        if self.recorder is not None:
            remove(self.recorder)


class only_outer_of:
    """Context manager: while computing a recorder's own derivative ops, only
    recorders entered before it see them (TensorFlow's strict nesting)."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    def __enter__(self) -> None:
        global _active
        self.saved = _active
        if self.recorder in _active:
            _active = _active[: _active.index(self.recorder)]

    def __exit__(self, *exc: object) -> None:
        global _active
        _active = self.saved


class paused:
    """Context manager that hides all recorders (nothing is recorded)."""

    def __enter__(self) -> None:
        global _active
        self.saved, _active = _active, ()

    def __exit__(self, *exc: object) -> None:
        global _active
        _active = self.saved


class assignments_discarded:
    """Context manager: variable assignments inside it have no effect."""

    def __enter__(self) -> None:
        _discarding[0] += 1

    def __exit__(self, *exc: object) -> None:
        _discarding[0] -= 1


def discarding() -> bool:
    """Whether variable assignments are now discarded."""
    return _discarding[0] > 0


def reset() -> None:
    """Forgets every active recorder and graph and the log-once counters."""
    global _active
    _active = ()
    graphs.clear()
    _log_counts.clear()


def log_first_n(msg: str, n: int, key: Any = None, skip_file: str | None = None) -> None:
    """Logs a WARNING to the "tensorflow" logger at most `n` times per key.

    # NB: in TensorFlow `logging.log_first_n` counts per *caller* file:line
    # (the first stack frame outside the logging module's caller), so a new
    # call site warns again. `skip_file` names our module to skip likewise.
    """
    if key is None:
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename == skip_file:
            frame = frame.f_back
        key = (frame.f_code.co_filename, frame.f_lineno) if frame else None
    count = _log_counts.get((msg, key), 0)
    _log_counts[(msg, key)] = count + 1
    if count < n:
        _logger.warning(msg)
