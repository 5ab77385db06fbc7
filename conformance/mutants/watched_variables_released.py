"""watched_variables() is empty once a non-persistent tape has computed its gradient (TF keeps the list)."""  # noqa: E501 - the one-line description sensitivity prints

from ._base import install

AREA = "persistence"
TOUCHES = ("watched_variables",)
SEEN_IN = ""
HINTS = ("watched-variables",)

tf = install(globals())


class GradientTape(tf.GradientTape):
    _released = False

    def gradient(
        self,
        target,
        sources,
        output_gradients=None,
        unconnected_gradients=tf.UnconnectedGradients.NONE,
    ):
        self._released = not self._persistent
        return super().gradient(target, sources, output_gradients, unconnected_gradients)

    def watched_variables(self):
        return () if self._released else super().watched_variables()
