"""Computing a gradient is not recorded by outer tapes, so second derivatives are None.

tinygrad kept no graph for its gradients (tinygrad#5772); PyTorch needs
``create_graph=True`` for the same thing.
"""

from tensorflow.python.eager import record as _record

from ._base import install

AREA = "higher-order"
TOUCHES = ("GradientTape", "ForwardAccumulator")
SEEN_IN = "https://github.com/tinygrad/tinygrad/pull/5772"
HINTS = ("higher_order", "second", "hessian")

tf = install(globals())


class GradientTape(tf.GradientTape):
    def gradient(
        self,
        target,
        sources,
        output_gradients=None,
        unconnected_gradients=tf.UnconnectedGradients.NONE,
    ):
        with _record.stop_recording():
            return super().gradient(target, sources, output_gradients, unconnected_gradients)
