"""tf.maximum / tf.minimum give the gradient of a tie to the second argument, not the first."""

from ._base import Overlay, extra_derivative, install

AREA = "numerics"
TOUCHES = ("maximum", "minimum")
SEEN_IN = "https://github.com/microsoft/onnxruntime/pull/7217"

tf = install(globals())


def _second_wins(op):
    def tied(x, y, name=None):
        z = op(x, y, name=name)
        if not z.dtype.is_floating:
            return z
        x, y = tf.convert_to_tensor(x, z.dtype), tf.convert_to_tensor(y, z.dtype)
        tie = tf.cast(tf.equal(x, y), z.dtype)
        return extra_derivative(tf, z, tie * (y - x))

    tied.__name__ = op.__name__
    return tied


maximum = _second_wins(tf.maximum)
minimum = _second_wins(tf.minimum)
math = Overlay(tf.math, maximum=maximum, minimum=minimum)
