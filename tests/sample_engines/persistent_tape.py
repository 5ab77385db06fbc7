"""TensorFlow, except that every GradientTape is persistent: an engine's first steps.

Its tape wraps ``watch``, as forwarding engines do, so TensorFlow's
once-per-call-site warnings ("The dtype of the watched tensor must be
floating") all come from one call site, in this file.
"""

import tensorflow as _tf

TF_VERSION = _tf.__version__


class GradientTape(_tf.GradientTape):
    def __init__(self, persistent=False, watch_accessed_variables=True):
        super().__init__(persistent=True, watch_accessed_variables=watch_accessed_variables)

    def watch(self, tensor):
        return super().watch(tensor)


def __getattr__(name):
    return getattr(_tf, name)
