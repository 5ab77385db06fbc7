"""`GradientTape.jacobian` and `batch_jacobian`: one backward pass per row.

TF vectorizes these with pfor; the reference runs the backward pass once per
target element with a one-hot upstream gradient, which gives the same values
and, since the passes use the engine's ops, is itself differentiable.
"""
import numpy as np

from . import backprop, core, nest, ops
from .backprop import (USED_MESSAGE, UnconnectedGradients, parse_unconnected,
                       source_gradient)
from .tensor import Tensor, EagerTensor, IndexedSlices

# NB: in TensorFlow the two messages put their double space differently.
_PFOR_OFF = {
    'jacobian': 'GradientTape must be created with persistent=True to compute the '
                'jacobian with eager execution enabled and with  experimental_use_pfor '
                'set to False.',
    'batch_jacobian': 'GradientTape must be created with persistent=True to compute the '
                      'batch_jacobian with eager execution enabled and  with '
                      'experimental_use_pfor set to False.',
}
# NB: in TensorFlow batch_jacobian's copy of this message lacks a space.
_BATCH_USED = ('A non-persistent GradientTape can only be used tocompute one set of '
               'gradients (or jacobians)')


_DENSIFY_WARNING = (
    'Converting %r to a dense representation may make it slow. Alternatively, output the '
    'indices and values of the IndexedSlices separately, and handle the vectorized outputs '
    'directly.')


def _check_pfor(tape, what, use_pfor, parallel_iterations):
    """TF's errors for the pfor / while_loop options (the tape is not used up)."""
    if use_pfor and parallel_iterations == 1:
        cause = ValueError('in user code:\n\n\n    ValueError: Found `parallel_iterations '
                           '== 1`. Use `for_loop` instead.\n')
        raise ValueError('Encountered an exception while vectorizing the %s computation. '
                         'Vectorization can be disabled by setting experimental_use_pfor '
                         'to False.' % what) from cause
    if not use_pfor and not tape._persistent:
        raise RuntimeError(_PFOR_OFF[what])


def _rows(tape, target, flat_sources, seeds):
    """Runs one backward pass per seed; returns per-source lists of rows."""
    ids = [s._id for s in flat_sources]
    live = backprop.live_ids(tape._tape, ids)
    rows = [[] for _ in flat_sources]
    for seed in seeds:
        grads = backprop.backward(tape._tape, [(target._id, seed)], ids, live)
        for i, s in enumerate(flat_sources):
            g = source_gradient(grads, s, UnconnectedGradients.NONE)
            if type(g) is IndexedSlices:
                core.log_first_n(_DENSIFY_WARNING % (g,), 1, key=('densify', id(tape)))
                g = ops.densify(g)
            rows[i].append(g)
    return rows


def _one_hots(shape, dtype, count):
    for i in range(count):
        seed = np.zeros(count, dtype)
        seed[i] = 1
        yield EagerTensor(seed.reshape(shape))


def _stack_rows(rows, like):
    """Stacks row gradients; rows that got no gradient become zeros."""
    if all(r is None for r in rows):
        return None
    zero = next(r for r in rows if r is not None)
    return ops.stack([ops.zeros_like(zero) if r is None else r for r in rows])


def jacobian(tape, target, sources, unconnected_gradients, parallel_iterations, use_pfor):
    """See GradientTape.jacobian."""
    if tape._tape is None:
        raise RuntimeError(USED_MESSAGE)
    flat_sources = nest.flatten(sources)
    target_shape = tuple(target.shape)
    unconnected = parse_unconnected(unconnected_gradients)
    _check_pfor(tape, 'jacobian', use_pfor, parallel_iterations)
    tape._begin_gradient()
    n = int(np.prod(target_shape, dtype=np.int64))
    rows = _rows(tape, target, flat_sources, _one_hots(target_shape, target._value.dtype, n))
    output = []
    for source, source_rows in zip(flat_sources, rows):
        shape = target_shape + tuple(np.shape(source._value))
        stacked = _stack_rows(source_rows, source)
        if stacked is not None:
            output.append(ops.reshape(stacked, shape))
        elif unconnected is UnconnectedGradients.ZERO:
            output.append(ops.zeros(shape, source.dtype))
        else:
            output.append(None)
    tape._end_gradient()
    return nest.pack_sequence_as(sources, output)


def _check_batch_shapes(target, source):
    target_shape, source_shape = target.shape, source.shape
    target_shape.with_rank_at_least(2)
    source_shape.with_rank_at_least(2)
    if target_shape[0] != source_shape[0]:
        raise ValueError('Need first dimension of target shape (%s) and source shape (%s) '
                         'to match.' % (target_shape, source_shape))
    return target_shape, source_shape


def batch_jacobian(tape, target, source, unconnected_gradients, parallel_iterations, use_pfor):
    """See GradientTape.batch_jacobian."""
    if tape._tape is None:
        raise RuntimeError(_BATCH_USED)
    target_shape, source_shape = _check_batch_shapes(target, source)
    parse_unconnected(unconnected_gradients)
    _check_pfor(tape, 'batch_jacobian', use_pfor, parallel_iterations)
    tape._begin_gradient(_BATCH_USED)
    batch = target_shape[0]
    row_size = target_shape.num_elements() // max(batch, 1)
    seeds = (EagerTensor(np.ascontiguousarray(np.broadcast_to(
        np.eye(row_size, dtype=target._value.dtype)[j], (batch, row_size))).reshape(target_shape))
        for j in range(row_size))
    rows = _rows(tape, target, [source], seeds)[0]
    new_shape = tuple(target_shape) + tuple(source_shape[1:])
    stacked = _stack_rows(rows, source)
    tape._end_gradient()
    if stacked is None:
        # NB: in TensorFlow batch_jacobian returns zeros, not None, for an
        # unconnected source, whatever `unconnected_gradients` says.
        return ops.zeros(new_shape, target.dtype)
    stacked = ops.reshape(stacked, (row_size, batch, -1))
    return ops.reshape(ops.transpose(stacked, (1, 0, 2)), new_shape)
