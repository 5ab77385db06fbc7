"""Every floating gradient is float32, whatever the dtype of its source."""

from ._base import install, map_leaves

AREA = "dtypes"
TOUCHES = ("float16", "float64", "bfloat16", "double", "half")
SEEN_IN = "https://github.com/Theano/Theano/issues/969"
HINTS = ("dtype", "float64", "half")

tf = install(globals())


def _float32(grad):
    if isinstance(grad, tf.Tensor) and grad.dtype.is_floating and grad.dtype != tf.float32:
        return tf.cast(grad, tf.float32)
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
        return map_leaves(tf, _float32, result)
