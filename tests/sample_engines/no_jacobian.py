"""TensorFlow without forward mode and without GradientTape.jacobian: an incomplete engine."""

import sys

import tensorflow as _tf

TF_VERSION = _tf.__version__
_MISSING = {"autodiff"}


class GradientTape(_tf.GradientTape):
    def __getattribute__(self, name):
        if name in ("jacobian", "batch_jacobian"):
            raise AttributeError(
                f"'GradientTape' object has no attribute {name!r}", name=name, obj=self
            )
        return super().__getattribute__(name)


def __getattr__(name):
    if name in _MISSING:
        raise AttributeError(
            f"module {__name__!r} has no attribute {name!r}", name=name, obj=sys.modules[__name__]
        )
    return getattr(_tf, name)
