"""gradient() returns zeros, not None, for sources the target does not depend on.

autograd returns ``vspace(x).zeros()`` for an unconnected input; PyTorch made
zeros an option (``materialize_grads``) for the same reason TF keeps None.
"""

from ._base import install

AREA = "none-vs-zeros"
TOUCHES = ("gradient", "jacobian")
SEEN_IN = "https://github.com/pytorch/pytorch/issues/44189"
HINTS = ("none", "unconnected")

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
            target, sources, output_gradients, unconnected_gradients=tf.UnconnectedGradients.ZERO
        )
