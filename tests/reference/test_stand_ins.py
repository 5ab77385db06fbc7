"""Tapes keep data-less stand-ins for values no VJP rule reads: the rules
must still be right with every such value replaced, and the values freed."""

import gc
import weakref

import numpy as np
import pytest
import test_rules

import reference_impl as tf
from reference_impl.autodiff import backprop


@pytest.fixture
def always_stand_in(monkeypatch):
    monkeypatch.setattr(backprop, "STAND_IN_BYTES", 0)


@pytest.mark.parametrize("name", sorted(test_rules.OPS))
def test_rules_hold_with_stand_ins_everywhere(always_stand_in, name):
    test_rules.test_vjp_matches_finite_differences(name)
    test_rules.test_second_order_matches_finite_differences(name)


def test_values_no_rule_needs_are_not_kept_alive():
    x, w = tf.constant(np.ones((64, 64), np.float32)), tf.Variable(np.ones((64, 64), np.float32))
    with tf.GradientTape() as tape:
        product = x @ w  # MatMul's output is not needed for its VJP...
        y = tf.nn.relu(product + 1.0)  # ...nor AddV2's inputs and output, nor Relu's input
        ref = weakref.ref(product)
        del product
        gc.collect()
        assert ref() is None
        loss = tf.reduce_sum(y)
    assert tape.gradient(loss, w).numpy()[0, 0] == 64.0
