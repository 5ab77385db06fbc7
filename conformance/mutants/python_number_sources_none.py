"""A Python number or NumPy array as gradient() target or source gives None instead of TF's AttributeError."""  # noqa: E501 - the one-line description sensitivity prints

from ._base import install

AREA = "errors"
TOUCHES = ("gradient",)
SEEN_IN = ""
HINTS = ("python-scalar",)

tf = install(globals())


def _plain(value):
    return isinstance(value, (int, float)) or type(value).__module__ == "numpy"


class GradientTape(tf.GradientTape):
    def gradient(
        self,
        target,
        sources,
        output_gradients=None,
        unconnected_gradients=tf.UnconnectedGradients.NONE,
    ):
        flat = tf.nest.flatten(sources)
        if not _plain(target) and not any(_plain(s) for s in flat):
            return super().gradient(target, sources, output_gradients, unconnected_gradients)
        real = [s for s in flat if not _plain(s)] if not _plain(target) else []
        grads = iter(
            super().gradient(target, real, output_gradients, unconnected_gradients) if real else []
        )
        return tf.nest.pack_sequence_as(
            sources, [None if _plain(s) or not real else next(grads) for s in flat]
        )
