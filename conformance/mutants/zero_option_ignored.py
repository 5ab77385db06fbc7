"""gradient() ignores unconnected_gradients=ZERO and returns None anyway."""

from ._base import install

AREA = "none-vs-zeros"
TOUCHES = ("unconnected_gradients", "UnconnectedGradients")
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
        return super().gradient(
            target, sources, output_gradients, unconnected_gradients=tf.UnconnectedGradients.NONE
        )
