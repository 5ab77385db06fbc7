"""sqrt'(0) is 0 (a "safe" sqrt) instead of +inf."""

from ._base import Overlay, install

AREA = "numerics"
TOUCHES = ("sqrt",)
SEEN_IN = "https://github.com/jax-ml/jax/issues/347"

tf = install(globals())


@tf.custom_gradient
def _safe_sqrt(x):
    y = tf.sqrt(x)

    def grad(dy):
        positive = x > 0
        return dy * tf.where(
            positive, 0.5 / tf.where(positive, y, tf.ones_like(y)), tf.zeros_like(y)
        )

    return y, grad


def sqrt(x, name=None):
    x = tf.convert_to_tensor(x)
    return _safe_sqrt(x) if x.dtype.is_floating else tf.sqrt(x, name=name)


math = Overlay(tf.math, sqrt=sqrt)
