"""relu'(0) is 1 instead of 0 (the gradient uses x >= 0)."""

from ._base import Overlay, extra_derivative, install

AREA = "numerics"
TOUCHES = ("relu",)
SEEN_IN = "https://github.com/pytorch/pytorch/pull/185831"

tf = install(globals())


def relu(features, name=None):
    y = tf.nn.relu(features, name=name)
    at_zero = tf.cast(tf.equal(features, 0), y.dtype)
    return extra_derivative(tf, y, at_zero * features)


nn = Overlay(tf.nn, relu=relu)
