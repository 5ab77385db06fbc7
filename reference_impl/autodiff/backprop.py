"""The flat core of reverse mode: the tape's record and the backward pass.

A `Tape` records every op that has at least one input it tracks (watched
tensors, watched variables and outputs of recorded ops). `backward` walks the
record in reverse execution order, which is a topological order for free,
calling each op's VJP rules and accumulating (never overwriting) gradients.
"""

from __future__ import annotations

import collections
import enum
from typing import Any

import numpy as np

from .. import ops
from ..core.tensor import EagerTensor, IndexedSlices
from ..core.trace import Primitive, Recorder

# One recorded op: (primitive, input tensors, static params, output(s)).
Record = tuple[Primitive, tuple, dict | None, Any]

USED_MESSAGE = (
    "A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)"
)

_DIFFERENTIABLE = {
    np.dtype(t) for t in (np.float16, np.float32, np.float64, np.complex64, np.complex128)
}
try:
    import ml_dtypes

    _DIFFERENTIABLE.add(np.dtype(ml_dtypes.bfloat16))
except ImportError:  # pragma: no cover
    pass

# Reading a variable is recorded as this identity-like op, from the
# variable (keyed by its id) to the Tensor the read produced.
read_p = Primitive("ReadVariableOp", None)
read_p.vjps = [lambda g, ans, variable: g]
read_p.passes_slices = True


# Values smaller than this are kept as they are: a stand-in would save nothing.
STAND_IN_BYTES = 1024
_ZERO_BYTES = bytes(16)  # one zero element of any dtype, shared by all stand-ins


def stand_in(t):
    """A Tensor with `t`'s id, shape and dtype whose data is one shared zero
    (a zero-strided array), recorded instead of `t` when no rule needs data."""
    value = t._value
    if value.nbytes < STAND_IN_BYTES:
        return t
    s = EagerTensor.__new__(EagerTensor)
    s._value = np.ndarray(value.shape, value.dtype, _ZERO_BYTES, 0, (0,) * value.ndim)
    s._id = t._id
    return s


def is_differentiable(x):
    return x._value.dtype in _DIFFERENTIABLE


class Tape(Recorder):
    """What one GradientTape has recorded (TF's C++ `GradientTape`)."""

    gradient_tape = True  # a GradientTape's (not a tf.function's Graph)

    def __init__(self, watch_accessed_variables: bool) -> None:
        self.watch_accessed_variables = watch_accessed_variables
        # (prim, inputs, params, output or tuple of outputs) in execution order
        self.records: list[Record] = []
        self.tracked: set[int] = set()  # ids of tensors/variables whose ops are recorded
        self.variables: dict[int, Any] = {}  # id -> watched Variable

    def watch(self, tensor):
        self.tracked.add(tensor._id)

    def watch_variable(self, variable):
        self.tracked.add(variable._id)
        self.variables[variable._id] = variable

    def on_op(self, prim, inputs, params, out):
        tracked = self.tracked
        for x in inputs:
            if x._id in tracked:
                break
        else:
            return
        # Non-differentiable ops, and integer/bool/string outputs, stay unconnected.
        if not prim.nondiff and out._value.dtype in _DIFFERENTIABLE:
            if prim.drops_inputs:
                inputs = tuple(map(stand_in, inputs))
            self.records.append((prim, inputs, params, stand_in(out) if prim.drops_output else out))
            tracked.add(out._id)

    def on_read(self, variable, tensor):
        if variable._id in self.tracked or (self.watch_accessed_variables and variable._trainable):
            self.watch_variable(variable)
            if is_differentiable(tensor):
                self.records.append((read_p, (variable,), None, tensor))
                self.tracked.add(tensor._id)

    def on_custom(self, prim, inputs, outputs):
        """Records a custom_gradient call: several outputs, one backward fn."""
        if any(x._id in self.tracked for x in inputs):
            self.records.append((prim, tuple(inputs), None, tuple(outputs)))
            self.tracked.update(o._id for o in outputs)

    def watched_variables(self):
        # Ids come from one counter, so sorting by id is creation order.
        return tuple(v for _, v in sorted(self.variables.items()))


def live_ids(tape: Tape, source_ids: list[int]) -> set[int]:
    """Ids of the tape's sources and of everything computed from them.

    # NB: in TensorFlow a source the tape does not track (an unwatched
    # constant that only fed a recorded op) gets None, not a gradient.
    """
    records = tape.records
    live = {key for key in source_ids if key in tape.tracked}
    for _prim, inputs, _params, out in records:
        for x in inputs:
            if x._id in live:
                if type(out) is tuple:
                    live.update(o._id for o in out)
                else:
                    live.add(out._id)
                break
    return live


def backward(
    tape: Tape, seeds: list[tuple[int, Any]], source_ids: list[int], live: set[int] | None = None
) -> dict[int, Any]:
    """Propagates gradients from targets back to sources. As in TF, an op
    runs once all consumers of its outputs have, ready ops first-in first-out.

    Args:
      tape: the Tape; only records present at the start are used.
      seeds: (target id, gradient) pairs; repeated ids are summed.
      source_ids: ids whose gradients are wanted.
      live: precomputed `live_ids(tape, source_ids)`, or None.

    Returns:
      A dict from id to accumulated gradient, holding every source reached.
    """
    records = tape.records[:]
    live = live_ids(tape, source_ids) if live is None else live
    producer = _producers(records, live)
    usage, ready = _count_uses(records, producer, [key for key, _ in seeds], live)
    keep, grads = set(source_ids), _seeded(seeds)
    queue = collections.deque(ready)
    while queue:
        record = records[queue.popleft()]
        _visit(record, grads, keep, live)
        for key in [x._id for x in record[1] if x._id in live]:
            _release(key, usage, producer, queue)
    return grads


def _seeded(seeds):
    grads = {}
    for key, seed in seeds:
        _accumulate(grads, key, seed)
    return grads


def _visit(record, grads, keep, live):
    """Runs one record's VJPs on the gradient its outputs received."""
    out = record[3]
    if type(out) is tuple:
        _backward_custom(record, grads, keep, live)
        return
    g = grads.get(out._id) if out._id in keep else grads.pop(out._id, None)
    if g is not None:
        _backward_op(record, g, grads, live)


def _producers(records, live):
    """Which record produced each live id (the last one, as in TF)."""
    producer = {}
    for i, record in enumerate(records):
        out = record[3]
        for o in out if type(out) is tuple else (out,):
            if o._id in live:
                producer[o._id] = i
    return producer


def _count_uses(records, producer, target_ids, live):
    """Counts, over the ops that lead to the targets, the uses of each id and
    the outputs each op still waits for; returns them and the ready ops."""
    reached, stack, uses = set(), [producer[k] for k in target_ids if k in producer], {}
    while stack:
        i = stack.pop()
        if i in reached:
            continue
        reached.add(i)
        for x in records[i][1]:
            if x._id in live:
                uses[x._id] = uses.get(x._id, 0) + 1
                if x._id in producer:
                    stack.append(producer[x._id])
    waiting = {}
    for key in uses:
        if key in producer:
            waiting[producer[key]] = waiting.get(producer[key], 0) + 1
    usage = {"uses": uses, "waiting": waiting}
    ready = sorted((i for i in reached if i not in waiting), reverse=True)
    return usage, ready


def _release(key, usage, producer, queue):
    """One use of `key` is done; queue its producer once all uses are."""
    uses = usage["uses"]
    uses[key] -= 1
    if uses[key] == 0 and key in producer:
        op = producer[key]
        usage["waiting"][op] -= 1
        if usage["waiting"][op] == 0:
            queue.append(op)


def _backward_op(record, g, grads, live):
    prim, inputs, params, out = record
    if prim.vjps is None:
        raise LookupError(f"gradient registry has no entry for: {prim.name}")
    if type(g) is IndexedSlices and not prim.passes_slices:
        g = ops.densify(g)
    for i, x in enumerate(inputs):
        if x._id not in live:
            continue
        rule = prim.vjps[i]
        if rule is None:
            continue
        gx = rule(g, out, *inputs, **params) if params else rule(g, out, *inputs)
        if gx is not None:
            _accumulate(grads, x._id, gx)


def _backward_custom(record, grads, keep, live):
    prim, inputs, _, outs = record
    upstream = [grads.get(o._id) for o in outs]
    if all(g is None for g in upstream):
        return
    for o in outs:
        if o._id not in keep:
            grads.pop(o._id, None)
    upstream = [
        ops.zeros_like(o) if g is None else ops.convert_to_tensor(g) for g, o in zip(upstream, outs)
    ]
    for x, gx in zip(inputs, prim.impl(*upstream)):
        if gx is not None and x._id in live:
            _accumulate(
                grads,
                x._id,
                gx if type(gx) is IndexedSlices else ops.convert_to_tensor(gx, dtype=x.dtype),
            )


def _accumulate(grads, key, g):
    previous = grads.get(key)
    grads[key] = g if previous is None else add_gradients(previous, g)


def add_gradients(a, b):
    """Sums two gradients: sparse + sparse stays IndexedSlices (indices
    concatenated, duplicates kept), anything with a dense part is dense."""
    if type(a) is IndexedSlices and type(b) is IndexedSlices:
        return IndexedSlices(
            ops.concat([a.values, b.values], 0),
            ops.concat([a.indices, b.indices], 0),
            a.dense_shape,
        )
    if type(a) is IndexedSlices:
        a = ops.densify(a)
    if type(b) is IndexedSlices:
        b = ops.densify(b)
    return ops.add(a, b)


# ------------------------- unconnected gradients -------------------------


class UnconnectedGradients(enum.Enum):
    """What `gradient()` returns for a source the target does not depend on."""

    NONE = "none"
    ZERO = "zero"


def parse_unconnected(value):
    try:
        return UnconnectedGradients(value)
    except ValueError:
        raise ValueError(f"Unknown value for unconnected_gradients: {value!r}") from None


def source_gradient(grads, source, unconnected):
    """The gradient for one source: None or zeros when unconnected.

    Ops on integer tensors are never recorded, so an integer source gets a
    gradient only when it is itself a target: its seed (ones, or its
    output_gradients), as in TensorFlow.
    """
    g = grads.get(source._id)
    if g is None and unconnected is UnconnectedGradients.ZERO:
        g = filled_like(source, 0)
    return g


def filled_like(x, value):
    """A constant shaped like a Tensor or Variable, without reading it."""
    return EagerTensor(np.full(np.shape(x._value), value, x._value.dtype))
