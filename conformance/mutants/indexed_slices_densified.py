"""Sparse gradients (IndexedSlices, e.g. through tf.gather) are returned as dense tensors."""

from ._base import install, map_leaves

AREA = "dtypes"
TOUCHES = ("gather", "embedding_lookup", "IndexedSlices")
SEEN_IN = ""

tf = install(globals())


def _dense(grad):
    return tf.convert_to_tensor(grad) if isinstance(grad, tf.IndexedSlices) else grad


class GradientTape(tf.GradientTape):
    def gradient(
        self,
        target,
        sources,
        output_gradients=None,
        unconnected_gradients=tf.UnconnectedGradients.NONE,
    ):
        result = super().gradient(target, sources, output_gradients, unconnected_gradients)
        return map_leaves(tf, _dense, result)
