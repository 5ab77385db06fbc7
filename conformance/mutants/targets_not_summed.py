"""gradient() of several targets (a list or dict) uses only the first instead of their sum."""

from ._base import install

AREA = "structures"
TOUCHES = ("gradient", "jacobian")
SEEN_IN = ""
HINTS = ("targets", "sum")

tf = install(globals())


class GradientTape(tf.GradientTape):
    def gradient(
        self,
        target,
        sources,
        output_gradients=None,
        unconnected_gradients=tf.UnconnectedGradients.NONE,
    ):
        targets = tf.nest.flatten(target)
        if len(targets) > 1:
            target = targets[0]
            if output_gradients is not None:
                output_gradients = tf.nest.flatten(output_gradients)[0]
        return super().gradient(target, sources, output_gradients, unconnected_gradients)
