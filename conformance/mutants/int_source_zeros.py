"""The gradient with respect to an integer source is zeros instead of None."""

from ._base import install

AREA = "dtypes"
TOUCHES = ("int32", "int64", "int8", "int16", "uint8", "tf.constant(")
SEEN_IN = ""
HINTS = ("integer", "int-", "int32")

tf = install(globals())


def _zeros_if_integer(source, grad):
    dtype = getattr(source, "dtype", None)
    if grad is None and dtype is not None and dtype.is_integer:
        return tf.zeros_like(source)
    return grad


class GradientTape(tf.GradientTape):
    def gradient(
        self,
        target,
        sources,
        output_gradients=None,
        unconnected_gradients=tf.UnconnectedGradients.NONE,
    ):
        result = super().gradient(target, sources, output_gradients, unconnected_gradients)
        if not isinstance(sources, (list, tuple, dict)):
            return _zeros_if_integer(sources, result)
        return tf.nest.map_structure(_zeros_if_integer, sources, result)
