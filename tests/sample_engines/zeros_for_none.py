"""TensorFlow, except that gradient() returns zeros where TF returns None.

A classic bug of AD engines (micrograd and autograd both do it): it must be
caught by the corpus's None cases.
"""

import tensorflow as _tf

TF_VERSION = _tf.__version__


class GradientTape(_tf.GradientTape):
    def gradient(self, target, sources, output_gradients=None, unconnected_gradients=None):
        grads = super().gradient(
            target, sources, output_gradients, unconnected_gradients=_tf.UnconnectedGradients.ZERO
        )
        return grads


def __getattr__(name):
    return getattr(_tf, name)
