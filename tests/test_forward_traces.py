"""Forward mode's trace state does not carry from one case to the next.

In TensorFlow, ``ForwardAccumulator`` traces a JVP function per op, attributes,
shapes and dtypes: exact shapes for an op's first 32 traces in the process,
relaxed shapes after that. Without a reset, a case that runs an op in
forward mode after earlier cases traced that op 32 times gets the relaxed
path, which it never gets alone. Exact-shape functions may stay cached (each is
what the op's next trace would be) unless the case changed TensorFlow's
configuration, under which its traces may differ.
"""

from __future__ import annotations

import pytest

tf = pytest.importorskip("tensorflow")
from tensorflow.python.eager import context, forwardprop  # noqa: E402

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


def test_exact_traces_stay_cached_unless_the_case_changed_tensorflows_configuration():
    guard = CaseGuard([tf])
    forwardprop._jvp_function_cache.clear()  # whatever ran before in this process
    _jvp_of_sin(3)
    guard.after_case()
    assert len(forwardprop._jvp_function_cache) == 1 and not forwardprop._TRACE_COUNT
    tf.debugging.enable_check_numerics()  # a case that changes TF's configuration
    _jvp_of_sin(4)  # traced with CheckNumerics ops in it
    guard.after_case()
    assert not len(forwardprop._jvp_function_cache)
    assert not context.context().op_callbacks


def test_soft_device_placement_is_read_without_the_config_proto_and_put_back():
    """The guard reads the placement flag TF's setter keeps (not the ConfigProto it
    builds per call): unchanged, traces stay cached; a case that turns it off gets
    it put back, and the traces made under it are dropped."""
    guard = CaseGuard([tf])
    before = tf.config.get_soft_device_placement()
    forwardprop._jvp_function_cache.clear()
    _jvp_of_sin(3)
    guard.after_case()
    assert len(forwardprop._jvp_function_cache) == 1
    tf.config.set_soft_device_placement(not before)  # a case that changes it
    _jvp_of_sin(5)
    guard.after_case()
    assert tf.config.get_soft_device_placement() == before
    assert not len(forwardprop._jvp_function_cache)
