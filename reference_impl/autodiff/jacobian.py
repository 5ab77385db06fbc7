"""The flat core of `GradientTape.jacobian` and `batch_jacobian`: a loop of
backward passes over a `backprop.Tape`, one per row.

TF vectorizes these with pfor; the reference runs the backward pass once per
target element with a one-hot upstream gradient, which gives the same values
and, since the passes use the engine's ops, is itself differentiable. The
GradientTape (tape.py) checks its own state and begins and ends the pass; this
module sees only the flat tape.
"""

import numpy as np

from .. import ops
from ..core import errors, nest, trace
from ..core.tensor import EagerTensor, IndexedSlices
from . import backprop
from .backprop import UnconnectedGradients, source_gradient

# NB: in TensorFlow the two messages put their double space differently.
_PFOR_OFF = {
    "jacobian": "GradientTape must be created with persistent=True to compute the "
    "jacobian with eager execution enabled and with  experimental_use_pfor "
    "set to False.",
    "batch_jacobian": "GradientTape must be created with persistent=True to compute the "
    "batch_jacobian with eager execution enabled and  with "
    "experimental_use_pfor set to False.",
}
# NB: in TensorFlow batch_jacobian's copy of this message lacks a space.
BATCH_USED = (
    "A non-persistent GradientTape can only be used tocompute one set of gradients (or jacobians)"
)


_DENSIFY_WARNING = (
    "Converting {!r} to a dense representation may make it slow. Alternatively, output the "
    "indices and values of the IndexedSlices separately, and handle the vectorized outputs "
    "directly."
)


def check_pfor(what, use_pfor, parallel_iterations, persistent):
    """TF's errors for the pfor / while_loop options (the tape is not used up)."""
    if use_pfor and parallel_iterations == 1:
        cause = ValueError(
            "in user code:\n\n\n    ValueError: Found `parallel_iterations "
            "== 1`. Use `for_loop` instead.\n"
        )
        raise ValueError(
            f"Encountered an exception while vectorizing the {what} computation. "
            "Vectorization can be disabled by setting experimental_use_pfor "
            "to False."
        ) from cause
    if not use_pfor and not persistent and not trace.graphs:  # only "with eager execution"
        raise RuntimeError(_PFOR_OFF[what])


def _rows(tape, target, flat_sources, seeds, log_key):
    """Runs one backward pass per seed; returns per-source lists of rows."""
    ids = [s._id for s in flat_sources]
    live = backprop.live_ids(tape, ids)
    rows = [[] for _ in flat_sources]
    connected = target.dtype.is_differentiable and target._id in tape.tracked
    for seed in seeds:
        # NB: TF differentiates each row target[i], a slice recorded only when
        # the target is (a float the tape watches or computed), so jacobian(i, i)
        # of an int32 i, or of a tensor the tape never saw, is unconnected.
        grads = backprop.backward(tape, [(target._id, seed)], ids, live) if connected else {}
        for i, s in enumerate(flat_sources):
            g = source_gradient(grads, s, UnconnectedGradients.NONE)
            if type(g) is IndexedSlices:
                trace.log_first_n(_DENSIFY_WARNING.format(g), 1, key=("densify", log_key))
                g = ops.densify(g)
            rows[i].append(g)
    return rows


def _while_loop_rows(use_pfor):
    """Context manager: the rows of a pfor-off Jacobian inside tf.function.

    NB: TF computes them in a while_loop; a backward pass there that reads a
    tensor carrying a tangent of an active ForwardAccumulator raises TF's
    TypeError (trace.traced_forward_capture_error)."""
    in_function = not use_pfor and trace.graphs
    return trace.recording(trace.RaiseOnUse(trace.tangent_held) if in_function else None)


def _one_hots(shape, dtype, count):
    for i in range(count):
        seed = np.zeros(count, dtype)
        seed[i] = 1
        yield EagerTensor(seed.reshape(shape))


def _stack_rows(rows):
    """Stacks row gradients; rows that got no gradient become zeros."""
    if all(r is None for r in rows):
        return None
    zero = next(r for r in rows if r is not None)
    return ops.stack([ops.zeros_like(zero) if r is None else r for r in rows])


def check_row_dtypes(target, row_dtypes, unconnected):
    """TF's while_loop jacobians (pfor off) collect rows in a TensorArray of the
    target's dtype: a row of another dtype (a connected source, or any source
    under 'zero') raises InvalidArgumentError."""
    for dtype, connected in row_dtypes:
        if dtype != target.dtype and (connected or unconnected is UnconnectedGradients.ZERO):
            raise errors.InvalidArgumentError(
                None,
                None,
                f"TensorArray dtype is {target.dtype.name} but Op is trying to write "
                f"dtype {dtype.name} ",
            )


def _row_dtypes(flat_sources, rows):
    return [(s.dtype, any(r is not None for r in rs)) for s, rs in zip(flat_sources, rows)]


def jacobian(tape, target, target_shape, sources, unconnected, log_key, use_pfor=True):
    """The Jacobian of `target` (of shape `target_shape`) w.r.t. each of
    `sources` on the flat `tape`: a structure like `sources`."""
    flat_sources = nest.flatten(sources)
    n = int(np.prod(target_shape, dtype=np.int64))
    seeds = _one_hots(target_shape, target._value.dtype, n)
    if n == 0:
        # NB: TF's pfor traces the row computation once, so an empty target
        # still gives an empty Jacobian (not None) for each connected source.
        seeds = [EagerTensor(np.zeros(target_shape, target._value.dtype))]
    with _while_loop_rows(use_pfor):
        rows = _rows(tape, target, flat_sources, seeds, log_key)
    if not use_pfor:
        check_row_dtypes(target, _row_dtypes(flat_sources, rows), unconnected)
    output = []
    for source, source_rows in zip(flat_sources, rows):
        shape = target_shape + tuple(np.shape(source._value))
        stacked = _stack_rows(source_rows)
        if stacked is not None and n == 0:
            stacked = stacked[:0]
        if stacked is not None:
            output.append(ops.reshape(stacked, shape))
        elif unconnected is UnconnectedGradients.ZERO:
            output.append(ops.zeros(shape, source.dtype))
        else:
            output.append(None)
    return nest.pack_sequence_as(sources, output)


def check_batch_shapes(target, source):
    """The shapes of `target` and `source`, checked as batch_jacobian does."""
    target_shape, source_shape = target.shape, source.shape
    if not target_shape.rank:
        # NB: TensorFlow reads target.shape[0] before any rank check, so a
        # scalar target raises IndexError, not the ValueError of other ranks.
        raise IndexError("list index out of range")
    target_shape.with_rank_at_least(2)
    source_shape.with_rank_at_least(2)
    if target_shape[0] != source_shape[0]:
        raise ValueError(
            f"Need first dimension of target shape ({target_shape}) and source "
            f"shape ({source_shape}) to match."
        )
    return target_shape, source_shape


def _batch_seeds(target, target_shape, batch, row_size):
    eye = np.eye(row_size, dtype=target._value.dtype)
    for j in range(row_size):
        seed = np.ascontiguousarray(np.broadcast_to(eye[j], (batch, row_size)))
        yield EagerTensor(seed.reshape(target_shape))


def batch_rows(tape, target, target_shape, source, log_key, use_pfor=True):
    """The stacked per-row gradients of batch_jacobian (None if unconnected)
    and the row size."""
    batch = target_shape[0]
    row_size = target_shape.num_elements() // max(batch, 1)
    seeds = _batch_seeds(target, target_shape, batch, row_size)
    with _while_loop_rows(use_pfor):
        rows = _rows(tape, target, [source], seeds, log_key)[0]
    return _stack_rows(rows), row_size


def batch_result(stacked, row_size, target, target_shape, source, unconnected):
    """batch_jacobian's result from `batch_rows`."""
    source_shape = source.shape
    new_shape = tuple(target_shape) + tuple(source_shape[1:])
    if stacked is None:
        # NB: in TensorFlow batch_jacobian returns zeros, not None, for an
        # unconnected source, whatever `unconnected_gradients` says: under
        # 'none' zeros of the target's dtype, under 'zero' the rows' zeros,
        # of the source's dtype.
        zero = unconnected is UnconnectedGradients.ZERO
        return ops.zeros(new_shape, source.dtype if zero else target.dtype)
    stacked = ops.reshape(stacked, (row_size, target_shape[0], -1))
    return ops.reshape(ops.transpose(stacked, (1, 0, 2)), new_shape)
