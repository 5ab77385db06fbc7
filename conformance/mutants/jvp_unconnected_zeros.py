"""ForwardAccumulator.jvp() returns zeros, not None, for tensors that do not depend on the primals."""  # noqa: E501 - the one-line description sensitivity prints

from ._base import Overlay, install

AREA = "forward-mode"
TOUCHES = ("jvp",)
SEEN_IN = ""
HINTS = ("unconnected", "none")

tf = install(globals())


class ForwardAccumulator(tf.autodiff.ForwardAccumulator):
    def jvp(self, primals, unconnected_gradients=tf.UnconnectedGradients.NONE):
        return super().jvp(primals, unconnected_gradients=tf.UnconnectedGradients.ZERO)


autodiff = Overlay(tf.autodiff, ForwardAccumulator=ForwardAccumulator)
