"""gradient() ignores output_gradients (the upstream weights of the targets)."""

from ._base import install

AREA = "structures"
TOUCHES = ("output_gradients",)
SEEN_IN = ""

tf = install(globals())


class GradientTape(tf.GradientTape):
    def gradient(
        self,
        target,
        sources,
        output_gradients=None,
        unconnected_gradients=tf.UnconnectedGradients.NONE,
    ):
        return super().gradient(target, sources, None, unconnected_gradients)
