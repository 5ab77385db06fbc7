"""clip_by_value passes no gradient at the clip boundary itself (TF passes it)."""

from ._base import extra_derivative, install

AREA = "numerics"
TOUCHES = ("clip_by_value",)
SEEN_IN = "https://github.com/pytorch/pytorch/issues/7002"

tf = install(globals())


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    y = tf.clip_by_value(t, clip_value_min, clip_value_max, name=name)
    if not y.dtype.is_floating:
        return y
    x = tf.convert_to_tensor(t, y.dtype)
    on_boundary = tf.cast(
        tf.logical_or(
            tf.equal(x, tf.cast(clip_value_min, y.dtype)),
            tf.equal(x, tf.cast(clip_value_max, y.dtype)),
        ),
        y.dtype,
    )
    return extra_derivative(tf, y, -on_boundary * x)
