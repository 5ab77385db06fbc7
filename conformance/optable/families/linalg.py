"""Linear algebra: products, solves, factorizations and matrix functions.

Inputs are well conditioned (diagonally dominant or SPD, built from a seeded
random matrix) so finite differences are meaningful; factorizations whose
outputs are only defined up to sign or order (eigh, svd, qr) are checked
through gauge-invariant functions of them, as TF's own gradient tests do.
"""

from __future__ import annotations

import numpy as np

from ..table import COMPLEX, REAL, OpEntry
from ._build import E, S, rand

L = "linalg"
ALLF = REAL + COMPLEX


def spd(k: int, n: int = 3) -> np.ndarray:
    a = rand(L, (n, n), k=k)
    return a @ a.T + n * np.eye(n)


def dominant(k: int, n: int = 3) -> np.ndarray:
    return rand(L, (n, n), k=k) + n * np.eye(n)


def lower(k: int, n: int = 3) -> np.ndarray:
    return np.tril(dominant(k, n))


def _la(api: str, *samples, dtypes=REAL, call=None, note="") -> OpEntry:
    return E(api, L, list(samples), dtypes=dtypes, call=call, note=note)


def _sym(tf, a):
    return (a + tf.linalg.adjoint(a)) / 2


def entries() -> list[OpEntry]:
    return _products() + _solves() + _factorizations()


def _products() -> list[OpEntry]:
    a, b = rand(L, (2, 3), k=1), rand(L, (3, 4), k=2)
    return [
        _la(
            "tf.linalg.matmul",
            S("typical", a, b),
            S("transpose-a", rand(L, (3, 2), k=3), b, transpose_a=True),
            S("batched", rand(L, (2, 2, 3), k=4), rand(L, (2, 3, 2), k=5)),
            S("adjoint-b", a, rand(L, (4, 3), k=6), adjoint_b=True),
            S("empty", np.zeros((0, 3)), b),
            dtypes=ALLF,
        ),
        _la("tf.linalg.adjoint", S("typical", rand(L, (2, 3), k=7)), dtypes=ALLF),
        _la(
            "tf.linalg.det",
            S("typical", dominant(8)),
            S("batched", np.stack([dominant(9), dominant(10)])),
            dtypes=ALLF,
        ),
        _la(
            "tf.linalg.logdet",
            S("typical", spd(11)),
            dtypes=ALLF,
            call=lambda tf, a: tf.linalg.logdet(tf.matmul(a, a, adjoint_b=True)),
        ),
        _la(
            "tf.linalg.slogdet",
            S("typical", dominant(12)),
            S("negative-det", -np.eye(3) + 0.1 * rand(L, (3, 3), k=13)),
            dtypes=ALLF,
        ),
        _la("tf.linalg.inv", S("typical", dominant(14)), dtypes=ALLF),
        _la("tf.linalg.pinv", S("typical", rand(L, (3, 2), k=15))),
        _la("tf.linalg.expm", S("typical", 0.5 * rand(L, (3, 3), k=16)), dtypes=ALLF),
        _la("tf.linalg.sqrtm", S("typical", spd(17)), dtypes=REAL),
        _la("tf.linalg.logm", S("typical", spd(18)), dtypes=COMPLEX),
        _la("tf.linalg.normalize", S("typical", rand(L, (2, 3), k=19), axis=1)),
        _la(
            "tf.linalg.tridiagonal_matmul",
            S("typical", rand(L, (3, 4), k=20), rand(L, (4, 2), k=21)),
            call=lambda tf, d, r: tf.linalg.tridiagonal_matmul(d, r, diagonals_format="compact"),
        ),
    ]


def _solves() -> list[OpEntry]:
    rhs = rand(L, (3, 2), k=30)
    return [
        _la(
            "tf.linalg.solve",
            S("typical", dominant(31), rhs),
            S("adjoint", dominant(32), rhs, adjoint=True),
            dtypes=ALLF,
        ),
        _la(
            "tf.linalg.triangular_solve",
            S("lower", lower(33), rhs),
            S("upper-adjoint", lower(34).T, rhs, lower=False, adjoint=True),
            dtypes=ALLF,
        ),
        _la("tf.linalg.cholesky_solve", S("typical", np.linalg.cholesky(spd(35)), rhs)),
        _la(
            "tf.linalg.lstsq",
            S("typical", rand(L, (4, 2), k=36), rand(L, (4, 2), k=37)),
            S("l2", rand(L, (4, 2), k=38), rand(L, (4, 1), k=39), l2_regularizer=0.1),
        ),
        _la(
            "tf.linalg.tridiagonal_solve",
            S(
                "typical",
                np.stack([rand(L, (4,), k=40), 4 + rand(L, (4,), k=41), rand(L, (4,), k=42)]),
                rand(L, (4, 2), k=43),
            ),
            call=lambda tf, d, r: tf.linalg.tridiagonal_solve(d, r, diagonals_format="compact"),
        ),
        _la(
            "tf.linalg.banded_triangular_solve",
            S(
                "typical",
                np.stack([rand(L, (3,), k=44), 3 + rand(L, (3,), k=45)]),
                rand(L, (3, 2), k=46),
            ),
        ),
        _la(
            "tf.linalg.lu_solve",
            S("typical", dominant(47), rand(L, (3, 2), k=48)),
            call=lambda tf, a, b: tf.linalg.lu_solve(*tf.linalg.lu(a), b),
        ),
        _la(
            "tf.linalg.lu_matrix_inverse",
            S("typical", dominant(49)),
            call=lambda tf, a: tf.linalg.lu_matrix_inverse(*tf.linalg.lu(a)),
        ),
        _la(
            "tf.linalg.lu_reconstruct",
            S("typical", dominant(50)),
            call=lambda tf, a: tf.linalg.lu_reconstruct(*tf.linalg.lu(a)),
        ),
    ]


def _factorizations() -> list[OpEntry]:
    return [
        _la(
            "tf.linalg.cholesky",
            S("typical", spd(60)),
            dtypes=ALLF,
            call=lambda tf, a: tf.linalg.cholesky(_sym(tf, a)),
        ),
        _la(
            "tf.linalg.qr",
            S("square", dominant(61)),
            S("tall", rand(L, (4, 3), k=62)),
            call=lambda tf, a: tf.linalg.qr(a)[1] * tf.linalg.qr(a)[1],
            note="checked through R∘R (invariant under the sign convention of Q's columns)",
        ),
        _la(
            "tf.linalg.svd",
            S("typical", rand(L, (3, 2), k=63)),
            call=lambda tf, a: tf.linalg.svd(a, compute_uv=False),
            note="singular values only (the singular vectors are defined up to sign)",
        ),
        _la(
            "tf.linalg.eigh",
            S("typical", spd(64)),
            dtypes=ALLF,
            call=lambda tf, a: _eigh_invariant(tf, a),
            note="checked through (eigenvalues, V·diag(e²)·Vᴴ), invariant under V's phases",
        ),
        _la(
            "tf.linalg.eigvalsh",
            S("typical", spd(65)),
            dtypes=ALLF,
            call=lambda tf, a: tf.linalg.eigvalsh(_sym(tf, a)),
        ),
        _la(
            "tf.linalg.eig",
            S("typical", np.diag([1.0, 2.0, 4.0]) + 0.2 * rand(L, (3, 3), k=66)),
            dtypes=COMPLEX,
            call=lambda tf, a: tf.linalg.eig(a)[0],
            note="eigenvalues only (the eigenvectors' phases are a convention)",
        ),
        _la(
            "tf.linalg.eigvals",
            S("typical", np.diag([1.0, 2.0, 4.0]) + 0.2 * rand(L, (3, 3), k=67)),
            dtypes=COMPLEX,
        ),
        _la(
            "tf.linalg.eigh_tridiagonal",
            S("typical", 3 + rand(L, (4,), k=69), rand(L, (3,), k=70)),
            call=lambda tf, d, e: tf.linalg.eigh_tridiagonal(d, e),
        ),
        _la("tf.linalg.lu", S("typical", dominant(68)), call=lambda tf, a: tf.linalg.lu(a)[0]),
    ]


def _eigh_invariant(tf, a):
    e, v = tf.linalg.eigh(_sym(tf, a))
    scaled = v * tf.cast(e * e, v.dtype)[..., None, :]
    return e, tf.matmul(scaled, v, adjoint_b=True)
