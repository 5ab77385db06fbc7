"""The gradient of a broadcast source keeps the broadcast shape of the target (not summed back)."""

from ._base import install

AREA = "numerics"
TOUCHES = ("gradient", "jacobian")
SEEN_IN = "https://github.com/deeplearning4j/nd4j/issues/2424"
HINTS = ("broadcast",)

tf = install(globals())


def _broadcast(grad, target):
    if not isinstance(grad, tf.Tensor) or grad.shape == target.shape:
        return grad
    try:
        wide = tf.broadcast_static_shape(grad.shape, target.shape)
    except ValueError:
        return grad
    if wide != target.shape or grad.shape.num_elements() >= wide.num_elements():
        return grad
    return tf.broadcast_to(grad, wide)


class GradientTape(tf.GradientTape):
    def gradient(
        self,
        target,
        sources,
        output_gradients=None,
        unconnected_gradients=tf.UnconnectedGradients.NONE,
    ):
        result = super().gradient(target, sources, output_gradients, unconnected_gradients)
        if not isinstance(target, tf.Tensor) or not target.shape.is_fully_defined():
            return result
        return tf.nest.map_structure(lambda g: _broadcast(g, target), result)
