"""Array ops: shape, slicing, gathering, scattering, padding, clipping, diagonals.

Samples use small (2, 3) / (2, 3, 4) inputs; gathers repeat an index (the
gradient accumulates), clips put values on the bounds (a convention point).
"""

from __future__ import annotations

import numpy as np

from ..table import ALL_DTYPES, FORWARD_TRANSPOSE, REAL, OpEntry, arr, ints
from ._build import E, S, rand

A = "arrays"
X23 = rand("arrays", (2, 3))
X234 = rand("arrays", (2, 3, 4), k=1)
BOUNDS = "values on the clip bounds: TF passes the gradient through"


def _all(api: str, *samples, dtypes=ALL_DTYPES, call=None, checks=None, note="") -> OpEntry:
    kwargs = {"checks": checks} if checks else {}
    return E(api, A, list(samples), dtypes=dtypes, call=call, note=note, **kwargs)


def entries() -> list[OpEntry]:
    return _shape_ops() + _slicing() + _gather_scatter() + _misc()


def _shape_ops() -> list[OpEntry]:
    return [
        _all("tf.reshape", S("typical", X23, shape=[3, 2]), S("flatten", X234, shape=[-1])),
        _all("tf.transpose", S("typical", X23), S("perm", X234, perm=[2, 0, 1])),
        _all(
            "tf.concat",
            S("axis0", X23, rand(A, (1, 3), k=2)),
            S("axis1", X23, rand(A, (2, 2), k=3)),
            call=lambda tf, x, y, axis=None: tf.concat([x, y], axis=0 if y.shape[0] == 1 else 1),
        ),
        _all(
            "tf.stack",
            S("typical", X23, rand(A, (2, 3), k=4)),
            call=lambda tf, x, y: tf.stack([x, y], axis=1),
        ),
        _all(
            "tf.unstack",
            S("typical", X23),
            S("axis1", X23, axis=1),
            checks=FORWARD_TRANSPOSE,  # its VJP stacks slices' gradients (StridedSliceGrad)
        ),
        _all(
            "tf.split",
            S("typical", X234, num_or_size_splits=2, axis=2),
            S("sizes", X234, num_or_size_splits=[1, 3], axis=2),
        ),
        _all(
            "tf.squeeze",
            S("typical", rand(A, (2, 1, 3), k=5)),
            S("axis", rand(A, (1, 3), k=6), axis=0),
        ),
        _all("tf.expand_dims", S("typical", X23, axis=1)),
        _all(
            "tf.tile",
            S("typical", X23, multiples=[2, 1]),
            S("empty-multiple", X23, multiples=[0, 2]),
        ),
        _all(
            "tf.broadcast_to",
            S("typical", rand(A, (3,), k=7), shape=[2, 3]),
            S("rank-up", rand(A, (2, 1), k=8), shape=[4, 2, 3]),
        ),
        _all(
            "tf.identity_n",
            S("typical", X23, rand(A, (3,), k=9)),
            call=lambda tf, *xs: tf.identity_n(list(xs)),
        ),
        _all("tf.ensure_shape", S("typical", X23, shape=[2, 3])),
        _all(
            "tf.repeat",
            S("typical", X23, repeats=2, axis=1),
            S("counts", X23, ints([1, 2]), axis=0),
            call=lambda tf, x, repeats=None, axis=None: tf.repeat(x, repeats, axis=axis),
        ),
        _all("tf.linalg.matrix_transpose", S("typical", X234)),
        _all(
            "tf.space_to_batch_nd",
            S(
                "typical",
                rand(A, (1, 4, 4, 1), k=10),
                block_shape=[2, 2],
                paddings=[[0, 0], [0, 0]],
            ),
            dtypes=REAL,
        ),
        _all(
            "tf.space_to_batch",
            S(
                "typical",
                rand(A, (1, 4, 4, 1), k=51),
                block_shape=[2, 2],
                paddings=[[0, 0], [0, 0]],
            ),
            dtypes=REAL,
        ),
        _all(
            "tf.batch_to_space",
            S("typical", rand(A, (4, 2, 2, 1), k=11), block_shape=[2, 2], crops=[[0, 0], [0, 0]]),
            dtypes=REAL,
        ),
        _all(
            "tf.nn.space_to_depth",
            S("typical", rand(A, (1, 4, 4, 1), k=12), block_size=2),
            dtypes=REAL,
        ),
        _all(
            "tf.nn.depth_to_space",
            S("typical", rand(A, (1, 2, 2, 4), k=13), block_size=2),
            dtypes=REAL,
        ),
    ]


def _slicing() -> list[OpEntry]:
    return [
        _all("tf.slice", S("typical", X234, begin=[0, 1, 1], size=[2, 2, -1])),
        _all(
            "tf.strided_slice",
            S("typical", X234, begin=[0, 0, 3], end=[2, 3, 0], strides=[1, 2, -1]),
            S("shrink", X234, begin=[1, 0, 0], end=[2, 3, 4], shrink_axis_mask=1),
            checks=FORWARD_TRANSPOSE,  # its VJP is StridedSliceGrad in TensorFlow
        ),
        _all("tf.reverse", S("typical", X234, axis=[1, 2])),
        _all(
            "tf.reverse_sequence",
            S("typical", X234, ints([2, 3], "int64"), seq_axis=2, batch_axis=0),
            dtypes=REAL,
        ),
        _all("tf.roll", S("typical", X234, shift=[1, -2], axis=[1, 2])),
        _all(
            "tf.pad",
            S("constant", X23, paddings=[[1, 0], [0, 2]]),
            S("reflect", X23, paddings=[[1, 1], [2, 2]], mode="REFLECT"),
            S("symmetric", X23, paddings=[[1, 1], [3, 3]], mode="SYMMETRIC"),
        ),
        _all(
            "tf.linalg.diag", S("typical", rand(A, (2, 3), k=14)), S("k1", rand(A, (3,), k=15), k=1)
        ),
        _all(
            "tf.linalg.diag_part",
            S("typical", X234),
            S("band", X234, k=(-1, 1)),
            checks=FORWARD_TRANSPOSE,  # its VJP embeds a diagonal (MatrixDiagEmbed)
        ),
        _all("tf.linalg.set_diag", S("typical", X234, rand(A, (2, 3), k=16))),
        _all("tf.linalg.band_part", S("typical", rand(A, (4, 4), k=17), num_lower=1, num_upper=0)),
        _all("tf.linalg.trace", S("typical", X234)),
        _all("tf.linalg.tensor_diag", S("typical", X23)),
        _all("tf.linalg.tensor_diag_part", S("typical", rand(A, (2, 3, 2, 3), k=18))),
        _all(
            "tf.boolean_mask",
            S("typical", X23, np.array([True, False])),
            S("inner", X23, np.array([[True, False, True], [False, False, True]])),
        ),
    ]


def _gather_scatter() -> list[OpEntry]:
    idx = ints([2, 0, 2])
    return [
        _all(
            "tf.gather",
            S("repeated", X23, idx, axis=1),
            S("axis0", X23, ints([1, 1, 0])),
            S("batch-dims", X234, ints([[0, 3], [1, 1]]), axis=2, batch_dims=1),
            call=lambda tf, x, i, **kw: tf.gather(x, i, **kw),
            checks=FORWARD_TRANSPOSE,  # its VJP sums repeated indices' cotangents
        ),
        _all(
            "tf.gather_nd",
            S("typical", X234, ints([[0, 1], [1, 2], [0, 1]])),
            checks=FORWARD_TRANSPOSE,  # its VJP is ScatterNd
        ),
        _all(
            "tf.scatter_nd",
            S("typical", ints([[0], [2], [0]]), rand(A, (3, 4), k=19), shape=[4, 4]),
        ),
        _all(
            "tf.tensor_scatter_nd_update",
            S("typical", rand(A, (4, 3), k=20), ints([[1], [3]]), rand(A, (2, 3), k=21)),
        ),
        _all(
            "tf.tensor_scatter_nd_add",
            S("typical", rand(A, (4, 3), k=22), ints([[1], [1]]), rand(A, (2, 3), k=23)),
        ),
        _all(
            "tf.tensor_scatter_nd_sub",
            S("typical", rand(A, (4, 3), k=24), ints([[0], [2]]), rand(A, (2, 3), k=25)),
        ),
        _all(
            "tf.tensor_scatter_nd_max",
            S("typical", rand(A, (4, 3), k=26), ints([[0], [2]]), rand(A, (2, 3), k=27)),
            dtypes=REAL,
        ),
        _all(
            "tf.tensor_scatter_nd_min",
            S("typical", rand(A, (4, 3), k=28), ints([[0], [2]]), rand(A, (2, 3), k=29)),
            dtypes=REAL,
        ),
        _all("tf.nn.embedding_lookup", S("typical", rand(A, (5, 3), k=30), ints([4, 0, 4]))),
        _all(
            "tf.dynamic_partition",
            S("typical", X23, ints([0, 1]), num_partitions=2),
            call=lambda tf, x, p, num_partitions: tf.dynamic_partition(x, p, num_partitions),
        ),
        _all(
            "tf.dynamic_stitch",
            S("typical", rand(A, (2, 3), k=31), rand(A, (1, 3), k=32)),
            call=lambda tf, a, b: tf.dynamic_stitch(
                [tf.constant([0, 2]), tf.constant([1])], [a, b]
            ),
        ),
        _all(
            "tf.where",
            S(
                "typical",
                np.array([[True, False, True], [False, True, False]]),
                X23,
                rand(A, (2, 3), k=33),
            ),
            S("broadcast", np.array([True, False, True]), X23, rand(A, (3,), k=34)),
        ),
    ]


def _misc() -> list[OpEntry]:
    x = rand(A, (2, 3), -3, 3, k=35)
    return [
        _all(
            "tf.clip_by_value",
            S("typical", x, clip_value_min=-1.0, clip_value_max=1.0),
            S(
                "bounds",
                arr([-1.0, 1.0, 0.5]),
                clip_value_min=-1.0,
                clip_value_max=1.0,
                conv=BOUNDS,
            ),
            S("tensor-bounds", x, arr(-1.0), arr(1.5)),
            dtypes=REAL,
            call=lambda tf, x, *b, **kw: tf.clip_by_value(x, *b, **kw),
        ),
        _all(
            "tf.clip_by_norm",
            S("clipped", x, clip_norm=1.0),
            S("unclipped", x, clip_norm=100.0),
            dtypes=REAL,
        ),
        _all(
            "tf.clip_by_global_norm",
            S("typical", x, rand(A, (3,), k=36)),
            dtypes=REAL,
            call=lambda tf, a, b: tf.clip_by_global_norm([a, b], 1.0)[0],
        ),
        _all(
            "tf.cast",
            S("to-float64", X23),
            dtypes=REAL,
            call=lambda tf, x: tf.cast(x, tf.float64 if x.dtype == tf.float32 else tf.float32),
        ),
        _all("tf.zeros_like", S("typical", X23)),
        _all("tf.ones_like", S("typical", X23)),
        _all("tf.fill", S("typical", arr(1.5)), call=lambda tf, v: tf.fill([2, 3], v)),
        _all(
            "tf.meshgrid",
            S("typical", rand(A, (3,), k=37), rand(A, (2,), k=38)),
            dtypes=REAL,
            call=lambda tf, a, b: tf.meshgrid(a, b),
        ),
        _all(
            "tf.einsum",
            S("matmul", rand(A, (2, 3), k=39), rand(A, (3, 4), k=40)),
            S("batch-trace", X234, rand(A, (2, 4, 3), k=41)),
            call=lambda tf, a, b: tf.einsum(
                "ij,jk->ik" if a.shape.rank == 2 else "bij,bji->b", a, b
            ),
        ),
        _all(
            "tf.tensordot",
            S("typical", X234, rand(A, (4, 2), k=42), axes=1),
            S("pairs", X234, rand(A, (3, 2), k=43), axes=[[1], [0]]),
        ),
        _all(
            "tf.linalg.cross",
            S("typical", rand(A, (2, 3), k=44), rand(A, (2, 3), k=45)),
            dtypes=REAL,
        ),
        _all(
            "tf.saturate_cast",
            S("typical", X23),
            dtypes=REAL,
            call=lambda tf, x: tf.saturate_cast(
                x, tf.float64 if x.dtype == tf.float32 else tf.float32
            ),
        ),
        _all(
            "tf.linspace",
            S("typical", arr(0.5), arr(2.0)),
            dtypes=REAL,
            call=lambda tf, a, b: tf.linspace(a, b, 4),
        ),
        _all(
            "tf.extract_volume_patches",
            S(
                "typical",
                rand(A, (1, 2, 2, 2, 1), k=47),
                ksizes=[1, 2, 2, 1, 1],
                strides=[1, 1, 1, 1, 1],
                padding="VALID",
            ),
            dtypes=REAL,
        ),
        _all("tf.math.approx_max_k", S("typical", rand(A, (2, 5), k=48), k=2), dtypes=REAL),
        _all("tf.math.approx_min_k", S("typical", rand(A, (2, 5), k=49), k=2), dtypes=REAL),
        _all("tf.approx_top_k", S("typical", rand(A, (2, 5), k=50), k=2), dtypes=REAL),
        _all("tf.linalg.matvec", S("typical", X234, rand(A, (2, 4), k=46))),
    ]
