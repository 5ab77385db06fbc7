"""Complex gradients are conjugated (JAX's convention instead of TensorFlow's)."""

from ._base import install, map_leaves

AREA = "dtypes"
TOUCHES = ("complex",)
SEEN_IN = "https://github.com/jax-ml/jax/issues/9110"

tf = install(globals())


def _conj(grad):
    if isinstance(grad, tf.Tensor) and grad.dtype.is_complex:
        return tf.math.conj(grad)
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
        return map_leaves(tf, _conj, result)
