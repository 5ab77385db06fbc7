"""A persistent tape is released by its first gradient() call, like a non-persistent one."""

from ._base import install

AREA = "persistence"
TOUCHES = ("persistent",)
SEEN_IN = ""

tf = install(globals())
USED = (
    "A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)"
)


class GradientTape(tf.GradientTape):
    _spent = False

    def gradient(
        self,
        target,
        sources,
        output_gradients=None,
        unconnected_gradients=tf.UnconnectedGradients.NONE,
    ):
        if self._spent:
            raise RuntimeError(USED)
        result = super().gradient(target, sources, output_gradients, unconnected_gradients)
        self._spent = True
        return result
