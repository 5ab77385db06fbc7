"""Less common primitives: permutations (sort), gather_nd/scatter_nd,
matrix diagonals, and ops that are non-differentiable or have no gradient
at all (strings, shuffling, image contrast)."""
import numpy as np

from . import ops
from .primitives import (primitive, nondifferentiable, defvjp, defjvp, defvjp_argnum,
                         defjvp_argnum, conj)


def _inverse(perm):
    return np.argsort(perm, axis=-1)


# Reorders the last axis by a fixed integer permutation; sort is built on it.
permute_p = primitive('Permute', lambda x, perm: np.take_along_axis(x, perm, -1))
defvjp(permute_p, lambda g, ans, x, perm: ops.permute(g, _inverse(perm)))
defjvp(permute_p, lambda t, ans, x, perm: ops.permute(t, perm))


def _gather_nd(params, indices):
    return params[tuple(np.moveaxis(indices, -1, 0))]


def _scatter_nd(updates, indices, shape):
    out = np.zeros(shape, updates.dtype)
    np.add.at(out, tuple(np.moveaxis(indices, -1, 0)), updates)
    return out


# NB: in TensorFlow gather_nd's gradient is dense (ScatterNd), unlike gather.
gather_nd_p = primitive('GatherNd', _gather_nd)
scatter_nd_p = primitive('ScatterNd', _scatter_nd)
defvjp(gather_nd_p, lambda g, ans, params, indices:
       ops.scatter_nd(indices, g, params._value.shape), None)
defjvp(gather_nd_p, lambda t, ans, params, indices: ops.gather_nd(t, indices), None)
defvjp(scatter_nd_p, lambda g, ans, updates, indices, shape: ops.gather_nd(g, indices), None)
defjvp(scatter_nd_p, lambda t, ans, updates, indices, shape:
       ops.scatter_nd(indices, t, shape), None)


# The join of tf.cond's two branches in graph mode: the value is the taken
# branch's; the untaken branch is connected, with a zero gradient.
if_p = primitive('If', lambda taken, untaken: taken)
defvjp(if_p, lambda g, ans, taken, untaken: g,
       lambda g, ans, taken, untaken: ops.zeros_like(untaken))
defjvp(if_p, lambda t, ans, taken, untaken: t, None)


def _set_diag(d):
    out = np.zeros(d.shape + d.shape[-1:], d.dtype)
    idx = np.arange(d.shape[-1])
    out[..., idx, idx] = d
    return out


diag_part_p = primitive('MatrixDiagPart', lambda x: np.diagonal(x, 0, -2, -1).copy())
diag_p = primitive('MatrixDiag', _set_diag)
defvjp(diag_part_p, lambda g, ans, x: ops.linalg_diag(g))
defjvp(diag_part_p, lambda t, ans, x: ops.linalg_diag_part(t))
defvjp(diag_p, lambda g, ans, d: ops.linalg_diag_part(g))
defjvp(diag_p, lambda t, ans, d: ops.linalg_diag(t))


# Einsum with an explicit equation ('ij,jk->ik'; see extra_ops.einsum).
einsum_p = primitive('Einsum', lambda *xs, equation: np.einsum(equation, *xs))


def einsum_vjp(i, g, ans, *xs, equation):
    """Contracts `g` with the other operands onto operand i's subscripts.
    Letters summed away in the forward pass come back through a ones vector;
    a repeated letter (a diagonal) is re-embedded through an identity."""
    ins, out = equation.split('->')
    ins = ins.split(',')
    subs = [out] + [s for j, s in enumerate(ins) if j != i]
    operands = [g] + [conj(x) for j, x in enumerate(xs) if j != i]
    present, result = set(''.join(subs)), ''
    fresh = (c for c in 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
             if c not in equation)
    for letter, size in zip(ins[i], xs[i]._value.shape):
        if letter in result:
            new = next(fresh)
            subs.append(letter + new)
            operands.append(ops.eye(size, dtype=xs[i].dtype))
            letter = new
        elif letter not in present:
            subs.append(letter)
            operands.append(ops.ones([size], dtype=xs[i].dtype))
        result += letter
    return ops.einsum(','.join(subs) + '->' + result, *operands)


def einsum_jvp(i, t, ans, *xs, equation):
    return ops.einsum(equation, *[t if j == i else x for j, x in enumerate(xs)])


defvjp_argnum(einsum_p, einsum_vjp)
defjvp_argnum(einsum_p, einsum_jvp)


def _adjust_contrast(images, factor):
    mean = np.mean(images, axis=(-3, -2), keepdims=True)
    return ((images - mean) * factor + mean).astype(images.dtype)


# NB: in TensorFlow AdjustContrastv2 has no registered gradient: differentiating
# through it raises LookupError (forward mode: already when the op runs).
adjust_contrast_p = primitive('AdjustContrastv2', _adjust_contrast)

# NB: in TensorFlow 2.21 RandomShuffle is registered non-differentiable.
shuffle_p = nondifferentiable('RandomShuffle', lambda x, seed: np.random.default_rng(seed).permutation(x))
as_string_p = nondifferentiable('AsString', np.vectorize(lambda v: (b'%f' % v), otypes=[object]))
to_number_p = nondifferentiable('StringToNumber', lambda s, dtype: np.vectorize(
    lambda b: float(b), otypes=[dtype])(s))
any_p = nondifferentiable('Any', lambda x, axis, keepdims: np.any(x, axis=axis, keepdims=keepdims))
all_p = nondifferentiable('All', lambda x, axis, keepdims: np.all(x, axis=axis, keepdims=keepdims))
