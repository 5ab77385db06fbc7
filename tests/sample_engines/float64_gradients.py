"""TensorFlow, except that gradient() returns float64 tensors whatever the source dtype."""

import tensorflow as _tf

TF_VERSION = _tf.__version__


class GradientTape(_tf.GradientTape):
    def gradient(self, target, sources, output_gradients=None, unconnected_gradients=None):
        unconnected = unconnected_gradients or _tf.UnconnectedGradients.NONE
        grads = super().gradient(target, sources, output_gradients, unconnected)
        return _tf.nest.map_structure(
            lambda g: None if g is None else _tf.cast(g, _tf.float64), grads
        )


def __getattr__(name):
    return getattr(_tf, name)
