"""A tensor source that was never passed to watch() gets None, even when it was computed under the tape."""  # noqa: E501 - the one-line description sensitivity prints

from ._base import install

AREA = "watch"
TOUCHES = ("gradient",)
SEEN_IN = ""
HINTS = ("intermediate",)

tf = install(globals())


class GradientTape(tf.GradientTape):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._watched_ids = set()

    def watch(self, tensor):
        self._watched_ids.update(id(t) for t in tf.nest.flatten(tensor))
        return super().watch(tensor)

    def gradient(
        self,
        target,
        sources,
        output_gradients=None,
        unconnected_gradients=tf.UnconnectedGradients.NONE,
    ):
        grads = super().gradient(target, sources, output_gradients, unconnected_gradients)
        return tf.nest.map_structure(self._only_watched, sources, grads)

    def _only_watched(self, source, grad):
        plain_tensor = isinstance(source, tf.Tensor) and not isinstance(source, tf.Variable)
        return None if plain_tensor and id(source) not in self._watched_ids else grad
