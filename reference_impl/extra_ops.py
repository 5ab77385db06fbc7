"""Less common public ops: softmax, eager control flow (`cond`,
`while_loop`), `clip_by_norm`, `sort`, `gather_nd`, matrix diagonals, and
the `strings`, `random` and `image` helpers the covered programs use."""
import numpy as np

from . import core, dtypes, nest, variables
from .core import bind
from .tensor import Tensor, EagerTensor
from .variables import Variable
from . import extra_rules as X
from . import reduce_rules as R
from .ops import (_tensor, _axes, convert_to_tensor, reduce_sum, sqrt, maximum, where,
                  ones_like, identity, transpose, cast, not_equal, zeros_like)


def softmax(logits, axis=-1, name=None):
    return _last_axis_op(R.softmax_p, logits, axis)


def log_softmax(logits, axis=-1, name=None):
    return _last_axis_op(R.log_softmax_p, logits, axis)


def _last_axis_op(prim, x, axis):
    x = _tensor(x)
    last = x._value.ndim - 1
    axis = int(axis) % max(x._value.ndim, 1)
    if axis == last:
        return bind(prim, (x,))
    perm = list(range(x._value.ndim))
    perm[axis], perm[last] = last, axis
    return transpose(bind(prim, (transpose(x, perm),)), perm)


def cond(pred, true_fn=None, false_fn=None, name=None):
    """tf.cond. Eagerly it runs only the taken branch (so only it is recorded).

    # NB: in TensorFlow, inside tf.function, cond is one graph op holding both
    # branches: a source used only in the untaken branch is connected to it
    # and gets a zero gradient, not None. In a function body the reference
    # runs both branches (the untaken one's variable assignments discarded)
    # and joins the outputs with an `If` op whose VJP gives the untaken
    # branch zeros.
    """
    taken, untaken = (true_fn, false_fn) if bool(pred) else (false_fn, true_fn)
    if not core.graphs:
        return taken()
    result = taken()
    with variables.assignments_discarded():
        other = untaken()
    return nest.map_structure(_join_branches, result, other)


def _join_branches(taken, untaken):
    if not isinstance(taken, (Tensor, Variable)):
        return taken
    return bind(X.if_p, (_tensor(taken), _tensor(untaken)))


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, maximum_iterations=None, name=None):
    """Eager tf.while_loop: a Python loop, each iteration recorded as it runs."""
    single = not isinstance(loop_vars, (list, tuple))
    values = [loop_vars] if single else list(loop_vars)
    count = 0
    while bool(cond(*values)) and (maximum_iterations is None or count < maximum_iterations):
        result = body(*values)
        values = [result] if single or not isinstance(result, (list, tuple)) else list(result)
        count += 1
    return values[0] if single else type(loop_vars)(values)


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """Rescales `t` to L2 norm at most `clip_norm`, composed exactly as TF does."""
    t = _tensor(t)
    l2sum = reduce_sum(t * t, axes, keepdims=True)
    positive = l2sum > 0
    l2norm = where(positive, sqrt(where(positive, l2sum, ones_like(l2sum))), l2sum)
    clip_norm = convert_to_tensor(clip_norm, t.dtype)
    return identity(t * clip_norm / maximum(l2norm, clip_norm))


def permute(x, perm):
    return bind(X.permute_p, (_tensor(x),), {'perm': perm})


def einsum(equation, *inputs, **unused_kwargs):
    """Einstein summation, e.g. einsum('ij,jk->ik', a, b) or 'bxby->bxy'.
    Without '->' the output is the letters used once, in alphabetical order."""
    equation = equation.replace(' ', '')
    if '...' in equation:
        raise NotImplementedError('einsum with an ellipsis is not supported')
    if '->' not in equation:
        letters = equation.replace(',', '')
        equation += '->' + ''.join(sorted(c for c in set(letters) if letters.count(c) == 1))
    return bind(X.einsum_p, tuple(_tensor(x) for x in inputs), {'equation': equation})


def sort(values, axis=-1, direction='ASCENDING', name=None):
    """Sorts along the last axis; the gradient un-permutes (dense)."""
    values = _tensor(values)
    perm = np.argsort(values._value, axis=-1, kind='stable')
    if direction == 'DESCENDING':
        perm = np.flip(perm, -1)
    return permute(values, perm)


def gather_nd(params, indices, batch_dims=0, name=None):
    indices = convert_to_tensor(indices, dtype_hint=dtypes.int32)
    return bind(X.gather_nd_p, (_tensor(params), indices))


def scatter_nd(indices, updates, shape, name=None):
    indices = convert_to_tensor(indices, dtype_hint=dtypes.int32)
    shape = tuple(int(d) for d in np.asarray(shape.numpy() if isinstance(shape, Tensor) else shape))
    return bind(X.scatter_nd_p, (_tensor(updates), indices), {'shape': shape})


def linalg_diag_part(x, name=None):
    return bind(X.diag_part_p, (_tensor(x),))


def linalg_diag(d, name=None):
    return bind(X.diag_p, (_tensor(d),))


def reduce_any(input_tensor, axis=None, keepdims=False, name=None):
    x = _tensor(input_tensor)
    return bind(X.any_p, (x,), {'axis': _axes(x, axis), 'keepdims': bool(keepdims)})


def reduce_all(input_tensor, axis=None, keepdims=False, name=None):
    x = _tensor(input_tensor)
    return bind(X.all_p, (x,), {'axis': _axes(x, axis), 'keepdims': bool(keepdims)})


def count_nonzero(input, axis=None, keepdims=False, dtype=dtypes.int64, name=None):  # noqa: A002
    nonzero = cast(not_equal(input, zeros_like(input)), dtype)
    return reduce_sum(nonzero, axis, keepdims)


def is_tensor(x):
    return isinstance(x, (Tensor, Variable))


def as_string(input, name=None, **unused):  # noqa: A002
    return bind(X.as_string_p, (_tensor(input),))


def to_number(string_tensor, out_type=dtypes.float32, name=None):
    dtype = dtypes.as_dtype(out_type).np_dtype
    return bind(X.to_number_p, (_tensor(string_tensor),), {'dtype': dtype})


_seed = [None]


def set_seed(seed):
    _seed[0] = seed


def shuffle(value, seed=None, name=None):
    return bind(X.shuffle_p, (_tensor(value),), {'seed': seed if seed is not None else _seed[0]})


def random_uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    rng = np.random.default_rng(seed if seed is not None else _seed[0])
    high = 1 if maxval is None else maxval
    return EagerTensor(rng.uniform(minval, high, tuple(shape)).astype(dtypes.as_dtype(dtype).np_dtype))


def random_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    rng = np.random.default_rng(seed if seed is not None else _seed[0])
    return EagerTensor(rng.normal(mean, stddev, tuple(shape)).astype(dtypes.as_dtype(dtype).np_dtype))


def adjust_contrast(images, contrast_factor):
    images = _tensor(images)
    return bind(X.adjust_contrast_p, (images, convert_to_tensor(contrast_factor, images.dtype)))
