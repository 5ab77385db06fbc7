"""The minimal engine form: a module that stands in for ``tf``.

``conformance run --engine toy_engine.tf_like`` binds this module as ``tf``
in every case program. Here it forwards every name to the suite's NumPy
reference engine, `reference_impl`; a real engine defines its own
``GradientTape``, ``Variable``, ``Tensor``… instead.
"""

import reference_impl as _base

TF_VERSION = _base.TF_VERSION  # the TensorFlow release whose semantics we follow
__version__ = "0.1.0"


def __getattr__(name):
    return getattr(_base, name)


def _reset_state():
    """Called by the suite before every case: forget per-case global state."""
    _base._reset_state()
