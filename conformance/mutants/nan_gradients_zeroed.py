"""NaN gradients are replaced by zeros (the tf.where NaN trap "fixed" behind the user's back)."""

from ._base import install, map_leaves

AREA = "numerics"
TOUCHES = ("gradient", "jacobian")
SEEN_IN = "https://github.com/tensorflow/tensorflow/issues/38349"
HINTS = ("nan",)

tf = install(globals())


def _no_nan(grad):
    if isinstance(grad, tf.Tensor) and (grad.dtype.is_floating or grad.dtype.is_complex):
        return tf.where(tf.math.is_nan(tf.math.real(grad)), tf.zeros_like(grad), grad)
    return grad


class GradientTape(tf.GradientTape):
    def gradient(
        self,
        target,
        sources,
        output_gradients=None,
        unconnected_gradients=tf.UnconnectedGradients.NONE,
    ):
        result = super().gradient(target, sources, output_gradients, unconnected_gradients)
        return map_leaves(tf, _no_nan, result)
