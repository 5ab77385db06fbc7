"""Neural-network ops: convolutions, pooling, losses, normalization, bias.

Inputs are NHWC (N, W, C for 1-D, NDHWC for 3-D) with tiny spatial sizes so
second order and finite differences stay cheap. Max pooling gets a tie
sample (TF sends the gradient to the first maximum).
"""

from __future__ import annotations

from ..table import HALF, REAL, OpEntry, arr, ints
from ._build import E, S, rand

N = "nn"
IMG = rand(N, (1, 4, 4, 2))
VOL = rand(N, (1, 3, 3, 3, 1), k=1)
SEQ = rand(N, (1, 5, 2), k=2)


def _nn(api: str, *samples, dtypes=REAL, call=None, note="") -> OpEntry:
    return E(api, N, list(samples), dtypes=dtypes, call=call, note=note)


def entries() -> list[OpEntry]:
    return _convs() + _pools() + _losses() + _norms()


def _convs() -> list[OpEntry]:
    k2 = rand(N, (2, 2, 2, 3), k=3)
    return [
        _nn("tf.nn.conv1d", S("typical", SEQ, rand(N, (2, 2, 3), k=4), stride=1, padding="SAME")),
        _nn(
            "tf.nn.conv2d",
            S("same", IMG, k2, strides=1, padding="SAME"),
            S("valid-stride2", IMG, k2, strides=2, padding="VALID"),
            S("dilated", IMG, k2, strides=1, padding="SAME", dilations=2),
        ),
        _nn(
            "tf.nn.conv3d",
            S(
                "typical",
                VOL,
                rand(N, (2, 2, 2, 1, 2), k=5),
                strides=[1, 1, 1, 1, 1],
                padding="SAME",
            ),
        ),
        _nn("tf.nn.convolution", S("typical", IMG, k2, padding="VALID")),
        _nn(
            "tf.nn.conv2d_transpose",
            S(
                "typical",
                rand(N, (1, 2, 2, 3), k=6),
                k2,
                output_shape=[1, 4, 4, 2],
                strides=2,
                padding="SAME",
            ),
        ),
        _nn(
            "tf.nn.conv_transpose",
            S(
                "typical",
                rand(N, (1, 2, 2, 3), k=38),
                k2,
                output_shape=[1, 4, 4, 2],
                strides=2,
                padding="SAME",
            ),
        ),
        _nn(
            "tf.nn.conv1d_transpose",
            S(
                "typical",
                rand(N, (1, 3, 3), k=7),
                rand(N, (2, 2, 3), k=8),
                output_shape=[1, 6, 2],
                strides=2,
                padding="SAME",
            ),
        ),
        _nn(
            "tf.nn.conv3d_transpose",
            S(
                "typical",
                rand(N, (1, 2, 2, 2, 2), k=9),
                rand(N, (2, 2, 2, 1, 2), k=10),
                output_shape=[1, 4, 4, 4, 1],
                strides=2,
                padding="SAME",
            ),
        ),
        _nn(
            "tf.nn.depthwise_conv2d",
            S("typical", IMG, rand(N, (2, 2, 2, 2), k=11), strides=[1, 1, 1, 1], padding="SAME"),
        ),
        _nn(
            "tf.nn.separable_conv2d",
            S(
                "typical",
                IMG,
                rand(N, (2, 2, 2, 1), k=12),
                rand(N, (1, 1, 2, 3), k=13),
                strides=[1, 1, 1, 1],
                padding="VALID",
            ),
        ),
        _nn("tf.nn.atrous_conv2d", S("typical", IMG, k2, rate=2, padding="SAME")),
        _nn(
            "tf.nn.atrous_conv2d_transpose",
            S(
                "typical",
                rand(N, (1, 4, 4, 3), k=14),
                k2,
                output_shape=[1, 4, 4, 2],
                rate=2,
                padding="SAME",
            ),
        ),
        _nn(
            "tf.nn.dilation2d",
            S(
                "typical",
                IMG,
                rand(N, (2, 2, 2), k=15),
                strides=[1, 1, 1, 1],
                padding="SAME",
                data_format="NHWC",
                dilations=[1, 1, 1, 1],
            ),
        ),
        _nn(
            "tf.nn.erosion2d",
            S(
                "typical",
                IMG,
                rand(N, (2, 2, 2), k=16),
                strides=[1, 1, 1, 1],
                padding="SAME",
                data_format="NHWC",
                dilations=[1, 1, 1, 1],
            ),
        ),
        _nn(
            "tf.nn.depthwise_conv2d_backprop_input",
            S("typical", rand(N, (2, 2, 2, 2), k=30), rand(N, (1, 4, 4, 4), k=31)),
            call=lambda tf, f, g: tf.nn.depthwise_conv2d_backprop_input(
                [1, 4, 4, 2], f, g, strides=[1, 1, 1, 1], padding="SAME"
            ),
        ),
        _nn(
            "tf.nn.depthwise_conv2d_backprop_filter",
            S("typical", IMG, rand(N, (1, 4, 4, 4), k=32)),
            call=lambda tf, x, g: tf.nn.depthwise_conv2d_backprop_filter(
                x, [2, 2, 2, 2], g, strides=[1, 1, 1, 1], padding="SAME"
            ),
        ),
        _nn("tf.nn.bias_add", S("typical", IMG, rand(N, (2,), k=17)), dtypes=HALF + REAL),
    ]


def _pools() -> list[OpEntry]:
    tie = arr([[[[1.0], [1.0]], [[0.0], [1.0]]]])
    return [
        _nn("tf.nn.avg_pool", S("typical", IMG, ksize=2, strides=2, padding="VALID")),
        _nn("tf.nn.avg_pool1d", S("typical", SEQ, ksize=2, strides=1, padding="SAME")),
        _nn("tf.nn.avg_pool2d", S("typical", IMG, ksize=3, strides=1, padding="SAME")),
        _nn("tf.nn.avg_pool3d", S("typical", VOL, ksize=2, strides=1, padding="VALID")),
        _nn(
            "tf.nn.max_pool",
            S("typical", IMG, ksize=2, strides=2, padding="VALID"),
            S(
                "ties",
                tie,
                ksize=2,
                strides=2,
                padding="VALID",
                conv="ties in the window: TF sends the gradient to the first maximum",
            ),
        ),
        _nn("tf.nn.max_pool1d", S("typical", SEQ, ksize=2, strides=1, padding="SAME")),
        _nn("tf.nn.max_pool2d", S("typical", IMG, ksize=3, strides=1, padding="SAME")),
        _nn("tf.nn.max_pool3d", S("typical", VOL, ksize=2, strides=1, padding="VALID")),
        _nn(
            "tf.nn.pool",
            S("max", IMG, window_shape=[2, 2], pooling_type="MAX", padding="VALID"),
            S("avg", IMG, window_shape=[2, 2], pooling_type="AVG", padding="SAME"),
        ),
        _nn(
            "tf.nn.max_pool_with_argmax",
            S("typical", IMG, ksize=2, strides=2, padding="VALID"),
            dtypes=("float32",),
        ),
    ]


def _losses() -> list[OpEntry]:
    logits, labels = rand(N, (3, 4), -2, 2, k=18), rand(N, (3, 4), 0, 1, k=19)
    return [
        _nn(
            "tf.nn.softmax_cross_entropy_with_logits",
            S("typical", logits),
            call=lambda tf, z: tf.nn.softmax_cross_entropy_with_logits(_distribution(tf, z), z),
            note="labels must be probability distributions (TF's documented domain: its "
            "gradient assumes rows summing to 1), so they are held constant",
        ),
        _nn(
            "tf.nn.sparse_softmax_cross_entropy_with_logits",
            S("typical", ints([0, 3, 1]), logits),
            call=lambda tf, y, z: tf.nn.sparse_softmax_cross_entropy_with_logits(y, z),
        ),
        _nn(
            "tf.nn.sigmoid_cross_entropy_with_logits",
            S("typical", labels, logits),
            S("zero-logit", arr([0.0, 1.0]), arr([0.0, 0.0]), conv="kink of max(z, 0) at z = 0"),
            call=lambda tf, y, z: tf.nn.sigmoid_cross_entropy_with_logits(y, z),
        ),
        _nn(
            "tf.nn.weighted_cross_entropy_with_logits",
            S("typical", labels, logits, pos_weight=2.0),
            call=lambda tf, y, z, pos_weight: tf.nn.weighted_cross_entropy_with_logits(
                y, z, pos_weight
            ),
        ),
        _nn("tf.nn.l2_loss", S("typical", logits), dtypes=HALF + REAL),
        _nn(
            "tf.nn.log_poisson_loss",
            S("typical", labels, logits),
            S("stirling", rand(N, (3,), 2, 5, k=20), rand(N, (3,), k=21), compute_full_loss=True),
            call=lambda tf, y, z, **kw: tf.nn.log_poisson_loss(y, z, **kw),
        ),
        _nn(
            "tf.nn.compute_average_loss",
            S("typical", rand(N, (4,), k=22)),
            call=lambda tf, x: tf.nn.compute_average_loss(x, global_batch_size=4),
        ),
        _nn("tf.nn.scale_regularization_loss", S("typical", arr(2.5))),
        _nn(
            "tf.nn.ctc_loss",
            S("typical", ints([[1, 2]]), rand(N, (4, 1, 3), k=23)),
            call=lambda tf, labels, logits: tf.nn.ctc_loss(
                labels,
                logits,
                label_length=tf.constant([2]),
                logit_length=tf.constant([4]),
                blank_index=0,
            ),
            dtypes=("float32",),
        ),
    ]


def _distribution(tf, like):
    """Fixed labels whose rows sum to 1, in the logits' dtype."""
    rows = rand(N, (3, 4), 0.1, 1.0, k=40)
    return tf.cast(tf.constant(rows / rows.sum(axis=1, keepdims=True)), like.dtype)


def _norms() -> list[OpEntry]:
    x = rand(N, (4, 3), -2, 2, k=24)
    return [
        _nn(
            "tf.nn.batch_normalization",
            S(
                "typical",
                x,
                rand(N, (3,), k=25),
                rand(N, (3,), 0.5, 2, k=26),
                rand(N, (3,), k=27),
                rand(N, (3,), 0.5, 2, k=28),
            ),
            call=lambda tf, x, m, v, o, s: tf.nn.batch_normalization(x, m, v, o, s, 1e-3),
        ),
        _nn(
            "tf.nn.batch_norm_with_global_normalization",
            S(
                "typical",
                IMG,
                rand(N, (2,), k=33),
                rand(N, (2,), 0.5, 2, k=34),
                rand(N, (2,), k=35),
                rand(N, (2,), 0.5, 2, k=36),
            ),
            call=lambda tf, t, m, v, b, g: tf.nn.batch_norm_with_global_normalization(
                t, m, v, b, g, 1e-3, True
            ),
        ),
        _nn(
            "tf.nn.isotonic_regression",
            S("typical", rand(N, (2, 5), k=37)),
            call=lambda tf, x: tf.nn.isotonic_regression(x)[0],
        ),
        _nn(
            "tf.nn.local_response_normalization",
            S("typical", IMG, depth_radius=1),
            dtypes=("float32",),
        ),
    ]
