"""The execution core: primitives, `bind`, and the stack of active recorders.

Every op runs through `bind(prim, inputs, params)`: it computes the NumPy
result and then lets each active recorder (gradient tapes, forward
accumulators, variable watchers) see the op. With nothing active, `bind` is a
single function call plus the NumPy work, which keeps eager ops cheap.

# NB: the analogous machinery in TensorFlow is the C++ eager `TFE_Execute`
# plus `RecordGradient` on the tape and accumulator sets.
"""
import logging
import sys

from .tensor import Tensor, EagerTensor

# Active recorders, outermost first. A tuple, replaced on every change, so
# iterating over it while recorders push and pop themselves is safe.
_active = ()

# The Graphs of the `tf.function` bodies now running, innermost last (see
# function.py); while there is one, `cond` behaves as in TF's graph mode.
graphs = []

_logger = logging.getLogger('tensorflow')
_log_counts = {}


class Primitive:
    """One differentiable (or not) operation.

    `impl(*arrays, **params)` computes the NumPy result. `vjps[i]` and
    `jvps[i]` are the reverse- and forward-mode rules for argument `i`;
    `None` means "no gradient through this argument".
    """
    __slots__ = ('name', 'impl', 'vjps', 'jvps', 'passes_slices', 'nondiff',
                 'drops_inputs', 'drops_output')

    def __init__(self, name, impl):
        self.name = name
        self.impl = impl
        self.vjps = None
        self.jvps = None
        # Registered as non-differentiable: outputs are never connected. An op
        # that is not, yet has no rules, raises LookupError when differentiated.
        self.nondiff = False
        # Identity-like ops hand an IndexedSlices gradient through unchanged.
        self.passes_slices = False
        # The VJP rules use only the shape and dtype of the inputs / output,
        # so tapes need not keep their values (see primitives.shape_only).
        self.drops_inputs = self.drops_output = False

    def __repr__(self):
        return 'Primitive(%s)' % self.name


def bind(prim, inputs, params=None):
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


def notify_read(variable, tensor):
    """Tells active recorders that `variable` was read into `tensor`."""
    for recorder in _active:
        recorder.on_read(variable, tensor)


def push(recorder):
    global _active
    _active = _active + (recorder,)


def remove(recorder):
    global _active
    _active = tuple(r for r in _active if r is not recorder)


class only_outer_of:
    """Context manager: while computing a recorder's own derivative ops, only
    recorders entered before it see them (TensorFlow's strict nesting)."""

    def __init__(self, recorder):
        self.recorder = recorder

    def __enter__(self):
        global _active
        self.saved = _active
        if self.recorder in _active:
            _active = _active[:_active.index(self.recorder)]

    def __exit__(self, *exc):
        global _active
        _active = self.saved


class paused:
    """Context manager that hides all recorders (nothing is recorded)."""

    def __enter__(self):
        global _active
        self.saved, _active = _active, ()

    def __exit__(self, *exc):
        global _active
        _active = self.saved


def reset():
    """Forgets every active recorder and graph and the log-once counters."""
    global _active
    _active = ()
    graphs.clear()
    _log_counts.clear()


def log_first_n(msg, n, key=None, skip_file=None):
    """Logs a WARNING to the 'tensorflow' logger at most `n` times per key.

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
