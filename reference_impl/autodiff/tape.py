"""`tf.GradientTape`: the public reverse-mode API around `backprop.Tape`.

This module handles the context-manager life cycle, watching, nested
structures of targets and sources, `unconnected_gradients`, and TF's exact
errors and warnings; the flat work is done by `backprop.backward`.
"""

from .. import ops
from ..core import nest, trace
from ..core.tensor import CompositeTensor, Tensor, VariableBase
from . import backprop
from . import jacobian as jacobian_lib
from .backprop import (
    USED_MESSAGE,
    UnconnectedGradients,
    filled_like,
    parse_unconnected,
    source_gradient,
)

_INSIDE_CONTEXT_WARNING = (
    "Calling GradientTape.gradient on a persistent tape inside its context is "
    "significantly less efficient than calling it outside the context (it causes "
    "the gradient ops to be recorded on the tape, leading to increased CPU and "
    "memory usage). Only call GradientTape.gradient inside the context if you "
    "actually want to trace the gradient in order to compute higher order "
    "derivatives."
)
_NONE_TARGET = (
    "Argument `target` should be a list or nested structure of Tensors, "
    "Variables or CompositeTensors to be differentiated, but received None."
)
_NONE_DTYPE = "Cannot convert the argument `type_value`: None to a TensorFlow DType."


class GradientTape:
    """Records operations for reverse-mode differentiation.

    Args:
      persistent: allow more than one gradient()/jacobian() call.
      watch_accessed_variables: automatically watch trainable variables read
        while the tape is active.
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = persistent
        self._watch_accessed_variables = watch_accessed_variables
        self._tape = None  # the backprop.Tape; None before use / after release
        self._recording = False
        self._watched_variables = ()

    def __enter__(self):
        self._push_tape()
        return self

    def __exit__(self, typ, value, traceback):
        if self._recording:
            self._pop_tape()

    def _push_tape(self):
        if self._recording:
            raise ValueError(
                "Tape is still recording, This can happen if you try to "
                "re-enter an already-active tape."
            )
        if self._tape is None:
            self._tape = backprop.Tape(self._watch_accessed_variables)
        trace.push(self._tape)
        self._recording = True

    def _pop_tape(self):
        if not self._recording:
            raise ValueError("Tape is not recording.")
        trace.remove(self._tape)
        self._recording = False

    def watch(self, tensor):
        """Ensures `tensor` (a Tensor, Variable or nested structure) is traced.

        Raises:
          ValueError: for anything that is not a Tensor or Variable.
        """
        for t in _expand_composites(nest.flatten(tensor)):
            if not isinstance(t, (Tensor, VariableBase)):
                raise ValueError(
                    f"Passed in object {t} of type {type(t).__name__!r}, not "
                    "tf.Tensor or tf.Variable or ExtensionType."
                )
            if not t.dtype.is_differentiable:
                trace.log_first_n(
                    "The dtype of the watched tensor must be floating "
                    f"(e.g. tf.float32), got {t.dtype!r}",
                    5,
                    skip_file=__file__,
                )
            if self._tape is None:
                # NB: in TensorFlow watch() before __enter__ leaks this error.
                raise AttributeError("'NoneType' object has no attribute '_tape'")
            if isinstance(t, VariableBase):
                self._tape.watch_variable(t)
            else:
                self._tape.watch(t)

    def stop_recording(self):
        """A context manager that temporarily stops recording on this tape.

        # NB: in TensorFlow this raises RuntimeError only if the tape was never
        # entered; after exit (or when nested) it raises ValueError('Tape is not
        # recording.'), contrary to its docstring. The reference follows TF.
        """
        if self._tape is None:
            raise RuntimeError("Trying to stop recording a tape which is not recording.")
        self._pop_tape()
        return _Resume(self)

    def reset(self):
        """Clears everything recorded and watched; only inside the context."""
        self._pop_tape()
        self._tape = None
        self._push_tape()

    def watched_variables(self):
        """Variables watched by this tape, in order of construction."""
        if self._tape is not None:
            self._watched_variables = self._tape.watched_variables()
        return self._watched_variables

    def gradient(
        self,
        target,
        sources,
        output_gradients=None,
        unconnected_gradients=UnconnectedGradients.NONE,
    ):
        """Computes the gradient of `target` w.r.t. `sources`.

        Args:
          target: a Tensor, Variable or nested structure (summed).
          sources: a Tensor, Variable or nested structure of them.
          output_gradients: one upstream gradient per (flattened) target.
          unconnected_gradients: 'none' or 'zero', for unconnected sources.

        Returns:
          A structure like `sources` of Tensors, IndexedSlices or None.
        """
        self._begin_gradient()
        if target is None:
            raise TypeError(_NONE_TARGET)
        flat_targets = _check_targets(_gradient_tensors(nest.flatten(target)))
        sources_as_given = nest.flatten(sources)
        flat_sources = _check_sources(_gradient_tensors(sources_as_given))
        seeds = _seeds(flat_targets, _output_gradients(output_gradients))
        unconnected = parse_unconnected(unconnected_gradients)
        grads = backprop.backward(self._tape, seeds, [s._id for s in flat_sources])
        flat = [source_gradient(grads, s, unconnected) for s in flat_sources]
        self._end_gradient()
        return nest.pack_sequence_as(sources, _rebuild_composites(sources_as_given, flat))

    def _begin_gradient(self, message=USED_MESSAGE):
        if self._tape is None:
            raise RuntimeError(message)
        if self._recording:
            if not self._persistent:
                self._pop_tape()
            else:
                trace.log_first_n(_INSIDE_CONTEXT_WARNING, 1, skip_file=__file__)

    def _end_gradient(self):
        if not self._persistent:
            self._watched_variables = self._tape.watched_variables()
            self._tape = None

    def jacobian(
        self,
        target,
        sources,
        unconnected_gradients=UnconnectedGradients.NONE,
        parallel_iterations=None,
        experimental_use_pfor=True,
    ):
        """The Jacobian of one tensor `target` w.r.t. each of `sources`.

        Returns:
          A structure like `sources`; each entry has shape
          `target.shape + source.shape` (None if unconnected, unless "zero").
        """
        if self._tape is None:
            raise RuntimeError(USED_MESSAGE)
        target_shape = tuple(target.shape)
        target = self._read_target(target)
        unconnected = parse_unconnected(unconnected_gradients)
        jacobian_lib.check_pfor(
            "jacobian", experimental_use_pfor, parallel_iterations, self._persistent
        )
        self._begin_gradient()
        result = jacobian_lib.jacobian(
            self._tape,
            target,
            target_shape,
            sources,
            unconnected,
            log_key=id(self),
            use_pfor=experimental_use_pfor,
        )
        self._end_gradient()
        return result

    def batch_jacobian(
        self,
        target,
        source,
        unconnected_gradients=UnconnectedGradients.NONE,
        parallel_iterations=None,
        experimental_use_pfor=True,
    ):
        """Per-example Jacobians: shape `target.shape + source.shape[1:]`."""
        if self._tape is None:
            raise RuntimeError(jacobian_lib.BATCH_USED)
        target_shape, _ = jacobian_lib.check_batch_shapes(target, source)
        target = self._read_target(target)
        unconnected = parse_unconnected(unconnected_gradients)
        jacobian_lib.check_pfor(
            "batch_jacobian", experimental_use_pfor, parallel_iterations, self._persistent
        )
        self._begin_gradient(jacobian_lib.BATCH_USED)
        stacked, row_size = jacobian_lib.batch_rows(
            self._tape, target, target_shape, source, id(self), experimental_use_pfor
        )
        if not experimental_use_pfor:
            rows = [(source.dtype, stacked is not None)]
            jacobian_lib.check_row_dtypes(target, rows, unconnected)
        self._end_gradient()
        return jacobian_lib.batch_result(
            stacked, row_size, target, target_shape, source, unconnected
        )

    def _read_target(self, target):
        """A Variable target, read with this tape recording.

        NB: TF's jacobian and batch_jacobian reshape the target with the tape
        recording, so a Variable target is read on the tape: watched (if
        accessed variables are) and connected to itself."""
        if not isinstance(target, VariableBase) or self._tape is None:
            return target
        paused = not self._recording
        if paused:
            self._push_tape()
        try:
            return ops.convert_to_tensor(target)
        finally:
            if paused:
                self._pop_tape()


class _Resume:
    """Context manager returned by stop_recording(): resumes on exit."""

    def __init__(self, tape):
        self.tape = tape

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        self.tape._push_tape()


def _handle_or_self(x):
    """# NB: in TensorFlow anything that acts as a resource variable (a Keras 3
    variable) is differentiated as the tf.Variable behind it."""
    return x.value if getattr(x, "_should_act_as_resource_variable", False) else x


def _expand_composites(flat):
    """Composite tensors replaced by all their components (for watch)."""
    return [
        c
        for x in flat
        for c in (x._watch_components() if isinstance(x, CompositeTensor) else [_handle_or_self(x)])
    ]


def _gradient_tensors(flat):
    """Composite tensors replaced by the components gradients go through."""
    return [
        c
        for x in flat
        for c in (
            x._gradient_components() if isinstance(x, CompositeTensor) else [_handle_or_self(x)]
        )
    ]


def _rebuild_composites(sources, flat_grads):
    """One gradient per given source: composites rebuilt from their parts."""
    if not any(isinstance(s, CompositeTensor) for s in sources):
        return flat_grads
    grads, rest = [], list(flat_grads)
    for s in sources:
        if isinstance(s, CompositeTensor):
            count = len(s._gradient_components())
            grads.append(s._from_gradient_components(rest[:count]))
            rest = rest[count:]
        else:
            grads.append(rest.pop(0))
    return grads


def _check_targets(targets):
    for t in targets:
        if t is None:
            raise TypeError(_NONE_DTYPE)
        t.dtype  # noqa: B018 - a Python number target fails here, as in TF
        t._id  # noqa: B018
    return targets


def _check_sources(sources):
    for s in sources:
        if s is None:
            raise TypeError(_NONE_DTYPE)
        s._id  # noqa: B018 - a non-tensor source fails here, as in TF
    return sources


def _output_gradients(output_gradients):
    if output_gradients is None:
        return None
    flat = nest.flatten(output_gradients)
    for g in flat:
        if g is None:
            raise ValueError(
                "Attempt to convert a value (None) with an unsupported "
                "type (<class 'NoneType'>) to a Tensor."
            )
    return [ops.convert_to_tensor(g) for g in flat]


def _seeds(targets, output_gradients):
    """(id, upstream gradient) per target; default ones.

    NB: in TensorFlow an integer target reaches no source through ops (none
    are recorded on integers), but a source that *is* the target gets its
    seed: tape.gradient(i, i) is ones even for an int32 i.
    """
    seeds = []
    for i, t in enumerate(targets):
        if output_gradients is not None and i < len(output_gradients):
            seeds.append((t._id, output_gradients[i]))
        else:  # NB: in TensorFlow missing output gradients default to ones.
            seeds.append((t._id, filled_like(t, 1)))
    return seeds
