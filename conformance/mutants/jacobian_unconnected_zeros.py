"""jacobian() returns zeros, not None, for a source the target does not depend on."""

from ._base import install

AREA = "jacobians"
TOUCHES = ("jacobian",)
SEEN_IN = ""
HINTS = ("unconnected",)

tf = install(globals())


class GradientTape(tf.GradientTape):
    def jacobian(
        self,
        target,
        sources,
        unconnected_gradients=tf.UnconnectedGradients.NONE,
        parallel_iterations=None,
        experimental_use_pfor=True,
    ):
        return super().jacobian(
            target,
            sources,
            tf.UnconnectedGradients.ZERO,
            parallel_iterations,
            experimental_use_pfor,
        )
