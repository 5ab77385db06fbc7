"""Public linear-algebra ops: `tf.matmul`, `tf.einsum`, `tf.norm`,
`tf.clip_by_norm` and `tf.linalg.diag` / `diag_part`."""

from ..core.trace import bind
from ..prims import linalg as prims
from .array import identity, squeeze, where
from .convert import as_tensor, convert_to_tensor, dtype_error, ones_like, tensor_pair
from .math import conj, maximum, multiply, sqrt
from .reduce import reduce_sum


def matmul(
    a,
    b,
    transpose_a=False,
    transpose_b=False,
    adjoint_a=False,
    adjoint_b=False,
    name=None,
    **unused,
):
    """Matrix product of the last two axes (rank >= 2), batch axes broadcast; an
    adjoint is the conjugate transpose."""
    a, b = tensor_pair(a, b)
    a, b = (conj(a) if adjoint_a else a), (conj(b) if adjoint_b else b)
    transpose_a, transpose_b = transpose_a or adjoint_a, transpose_b or adjoint_b
    if a._value.dtype != b._value.dtype:
        raise dtype_error("MatMul", a.dtype, b.dtype, 1)
    return bind(
        prims.matmul_p, (a, b), {"transpose_a": bool(transpose_a), "transpose_b": bool(transpose_b)}
    )


def einsum(equation, *inputs, **unused_kwargs):
    """Einstein summation, e.g. einsum("ij,jk->ik", a, b) or "bxby->bxy".
    Without "->" the output is the letters used once, in alphabetical order."""
    equation = equation.replace(" ", "")
    if "..." in equation:
        raise NotImplementedError("einsum with an ellipsis is not supported")
    if "->" not in equation:
        letters = equation.replace(",", "")
        equation += "->" + "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    return bind(prims.einsum_p, tuple(as_tensor(x) for x in inputs), {"equation": equation})


def linalg_diag_part(x, name=None):
    return bind(prims.diag_part_p, (as_tensor(x),))


def linalg_diag(d, name=None):
    return bind(prims.diag_p, (as_tensor(d),))


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None):
    """Euclidean norm sqrt(sum(x * conj(x))): its gradient at 0 is NaN, as in TF."""
    tensor = as_tensor(tensor)
    result = sqrt(reduce_sum(multiply(tensor, conj(tensor)), axis, keepdims=True))
    if not keepdims:
        result = squeeze(result, axis)
    return result


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """Rescales `t` to L2 norm at most `clip_norm`, composed exactly as TF does."""
    t = as_tensor(t)
    l2sum = reduce_sum(t * t, axes, keepdims=True)
    positive = l2sum > 0
    l2norm = where(positive, sqrt(where(positive, l2sum, ones_like(l2sum))), l2sum)
    clip_norm = convert_to_tensor(clip_norm, t.dtype)
    return identity(t * clip_norm / maximum(l2norm, clip_norm))
