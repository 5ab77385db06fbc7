"""Forward mode's trace state does not carry from one case to the next.

In TensorFlow, ``ForwardAccumulator`` traces a JVP function per op, attributes,
shapes and dtypes: exact shapes for an op's first 32 traces in the process,
relaxed shapes after that. Without a reset, a case that runs an op in
forward mode after earlier cases traced that op 32 times gets the relaxed
path, which it never gets alone.
"""

from __future__ import annotations

import pytest

tf = pytest.importorskip("tensorflow")
from tensorflow.python.eager import forwardprop  # noqa: E402

from conformance.case_state.contract import CaseGuard  # noqa: E402


def _jvp_of_sin(n: int) -> None:
    x = tf.ones([n])
    with tf.autodiff.ForwardAccumulator(x, tf.ones([n])) as acc:
        y = tf.sin(x)
    assert acc.jvp(y).shape == [n]


def _relaxed_traces() -> list[str]:
    return [f.name for f in forwardprop._jvp_function_cache.values() if b"relaxed" in f.name]


def test_a_case_after_many_forward_traces_gets_exact_shapes_again():
    guard = CaseGuard([tf])
    for n in range(1, forwardprop._TRACE_COUNT_LIMIT + 2):  # an earlier case
        _jvp_of_sin(n)
    assert _relaxed_traces(), "TensorFlow should have switched Sin to relaxed shapes"
    guard.after_case()
    assert not forwardprop._TRACE_COUNT and not len(forwardprop._jvp_function_cache)
    _jvp_of_sin(100)  # the next case: an exact-shape trace, as in a fresh process
    assert not _relaxed_traces()
    assert forwardprop._TRACE_COUNT == {"Sin": 1}
