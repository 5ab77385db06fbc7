"""An AD engine as a new author writes one: TensorFlow, with three behaviors broken.

It follows docs/engines.md's minimal form (a file that stands in for ``tf``,
forwarding what it does not define) and breaks exactly:

1. ``gradient()`` returns zeros, not None, for sources the target does not
   depend on;
2. a non-persistent tape can compute gradients more than once (no
   RuntimeError on the second call);
3. there is no ``GradientTape.jacobian``.

The suite must report these three causes and nothing else.
"""

import tensorflow as _tf

TF_VERSION = _tf.__version__
__version__ = "0.1.dev0"


class GradientTape(_tf.GradientTape):
    def __init__(self, persistent=False, watch_accessed_variables=True):
        super().__init__(persistent=True, watch_accessed_variables=watch_accessed_variables)

    def gradient(
        self,
        target,
        sources,
        output_gradients=None,
        unconnected_gradients=_tf.UnconnectedGradients.NONE,
    ):
        grads = super().gradient(target, sources, output_gradients, unconnected_gradients)
        return _tf.nest.map_structure(_zeros_for_none, grads, sources)

    @property
    def jacobian(self):
        raise AttributeError(
            "'GradientTape' object has no attribute 'jacobian'", name="jacobian", obj=self
        )


def _zeros_for_none(grad, source):
    return _tf.zeros_like(source) if grad is None else grad


def __getattr__(name):
    return getattr(_tf, name)
