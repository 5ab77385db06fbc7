"""Linear-algebra primitives with their NumPy forwards: matmul, einsum and
matrix diagonals, and MatMul's TF-worded errors."""

import numpy as np

from ..core import errors
from ..core.registry import primitive


def matmul_rank_error(a, b):
    bad = 0 if a.ndim < 2 else 1
    return errors.invalid_argument("MatMul", f"In[{bad}] ndims must be >= 2")


def _dims(x):
    return "[" + ",".join(str(d) for d in x.shape) + "]"


def matmul_shape_error(a, b):
    return errors.invalid_argument(
        "MatMul", f"Matrix size-incompatible: In[0]: {_dims(a)}, In[1]: {_dims(b)}"
    )


def _matmul(a, b, transpose_a, transpose_b):
    if a.ndim < 2 or b.ndim < 2:
        raise matmul_rank_error(a, b)
    try:
        return np.matmul(
            a.swapaxes(-1, -2) if transpose_a else a, b.swapaxes(-1, -2) if transpose_b else b
        )
    except ValueError:
        raise matmul_shape_error(a, b) from None


matmul_p = primitive("MatMul", _matmul)


# Einsum with an explicit equation ("ij,jk->ik"; see ops/linalg.einsum).
def _einsum(*xs, equation):
    if any(x.dtype.name == "bfloat16" for x in xs):  # NumPy has no bfloat16 einsum
        return np.einsum(equation, *(x.astype(np.float32) for x in xs)).astype(xs[0].dtype)
    return np.einsum(equation, *xs)


einsum_p = primitive("Einsum", _einsum)


def _set_diag(d):
    out = np.zeros(d.shape + d.shape[-1:], d.dtype)
    idx = np.arange(d.shape[-1])
    out[..., idx, idx] = d
    return out


diag_part_p = primitive("MatrixDiagPart", lambda x: np.diagonal(x, 0, -2, -1).copy())
diag_p = primitive("MatrixDiag", _set_diag)


def _embed_diag(d, shape):
    out = np.zeros(shape, d.dtype)
    idx = np.arange(d.shape[-1])
    out[..., idx, idx] = d
    return out


# The diagonal `d` placed in zeros of `shape` (..., M, N): diag_part's adjoint.
diag_embed_p = primitive("MatrixDiagEmbed", _embed_diag)
