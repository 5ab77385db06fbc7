"""gradient() returns a flat list instead of the structure of the sources (dicts, nesting)."""

from ._base import install

AREA = "structures"
TOUCHES = ("gradient", "jacobian")
SEEN_IN = ""
HINTS = ("sources", "dict", "nested")

tf = install(globals())


class GradientTape(tf.GradientTape):
    def gradient(
        self,
        target,
        sources,
        output_gradients=None,
        unconnected_gradients=tf.UnconnectedGradients.NONE,
    ):
        result = super().gradient(target, sources, output_gradients, unconnected_gradients)
        if isinstance(sources, (list, tuple, dict)):
            return tf.nest.flatten(result)
        return result
