"""VJP and JVP rules of the linear-algebra primitives: matmul, einsum and
matrix diagonals. Gradients of complex operands use their conjugates."""

from .. import ops
from ..core.registry import defjvp, defjvp_argnum, defvjp, defvjp_argnum, shape_only
from ..core.trace import bind
from ..prims import linalg as prims
from .helpers import conj, unbroadcast


def matmul_vjp_a(g, ans, a, b, transpose_a, transpose_b):
    b = conj(b)
    if transpose_a:
        ga = ops.matmul(b, g, transpose_a=transpose_b, transpose_b=True)
    else:
        ga = ops.matmul(g, b, transpose_b=not transpose_b)
    return unbroadcast(ga, a)


def matmul_vjp_b(g, ans, a, b, transpose_a, transpose_b):
    a = conj(a)
    if transpose_b:
        gb = ops.matmul(g, a, transpose_a=True, transpose_b=transpose_a)
    else:
        gb = ops.matmul(a, g, transpose_a=not transpose_a)
    return unbroadcast(gb, b)


defvjp(prims.matmul_p, matmul_vjp_a, matmul_vjp_b)
defjvp(
    prims.matmul_p,
    lambda t, ans, a, b, transpose_a, transpose_b: ops.matmul(t, b, transpose_a, transpose_b),
    lambda t, ans, a, b, transpose_a, transpose_b: ops.matmul(a, t, transpose_a, transpose_b),
)
shape_only(prims.matmul_p, output=True)


def _embed(d, shape):
    return bind(prims.diag_embed_p, (d,), {"shape": tuple(shape)})


defvjp(prims.diag_part_p, lambda g, ans, x: _embed(g, x._value.shape))
defvjp(prims.diag_embed_p, lambda g, ans, d, shape: ops.linalg_diag_part(g))
defjvp(prims.diag_embed_p, lambda t, ans, d, shape: _embed(t, shape))
defjvp(prims.diag_part_p, lambda t, ans, x: ops.linalg_diag_part(t))
defvjp(prims.diag_p, lambda g, ans, d: ops.linalg_diag_part(g))
defjvp(prims.diag_p, lambda t, ans, d: ops.linalg_diag(t))


# Einsum with an explicit equation ("ij,jk->ik"; see ops/linalg.einsum).
def einsum_vjp(i, g, ans, *xs, equation):
    """Contracts `g` with the other operands onto operand i's subscripts.
    Letters summed away in the forward pass come back through a ones vector;
    a repeated letter (a diagonal) is re-embedded through an identity."""
    ins, out = equation.split("->")
    ins = ins.split(",")
    subs = [out] + [s for j, s in enumerate(ins) if j != i]
    operands = [g] + [conj(x) for j, x in enumerate(xs) if j != i]
    present, result = set("".join(subs)), ""
    fresh = (c for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in equation)
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
    return ops.einsum(",".join(subs) + "->" + result, *operands)


def einsum_jvp(i, t, ans, *xs, equation):
    return ops.einsum(equation, *[t if j == i else x for j, x in enumerate(xs)])


defvjp_argnum(prims.einsum_p, einsum_vjp)
defjvp_argnum(prims.einsum_p, einsum_jvp)
