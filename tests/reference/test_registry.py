"""The registry enumerates every primitive's rules and patches one for a while."""

import numpy as np
import pytest

import reference_impl as tf
from reference_impl.core import registry


def _exp_grad(x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.exp(x)
    return tape.gradient(y, x).numpy()


def test_rule_table_lists_every_primitive_with_its_rules():
    table = registry.rule_table()
    assert list(table) == list(registry.PRIMITIVES)
    exp = table["Exp"]
    assert list(exp.vjp) == [0] and list(exp.jvp) == [0] and not exp.nondiff
    assert table["Floor"] == registry.RuleInfo({}, {}, True)
    assert table["GatherV2"].vjp[1] is None  # no gradient for the indices
    assert table["ConcatV2"].vjp is None  # one rule serves every argument
    assert table["AdjustContrastv2"] == registry.RuleInfo({}, {}, False)


def test_patched_rule_replaces_one_rule_and_restores_it():
    x = tf.constant([0.5, 1.0])
    exp = registry.PRIMITIVES["Exp"]
    original = exp.vjps

    def doubled(old):
        return lambda g, ans, x: 2.0 * old(g, ans, x)

    with registry.patched_rule(exp, "vjp", 0, doubled):
        np.testing.assert_allclose(_exp_grad(x), 2 * np.exp([0.5, 1.0]), rtol=1e-6)
    assert exp.vjps is original
    np.testing.assert_allclose(_exp_grad(x), np.exp([0.5, 1.0]), rtol=1e-6)


def test_patched_rule_restores_on_error_and_patches_one_argument_only():
    concat = registry.PRIMITIVES["ConcatV2"]
    original = concat.vjps
    a, b = tf.constant([1.0]), tf.constant([2.0])
    with (
        pytest.raises(RuntimeError),
        registry.patched_rule(concat, "vjp", 1, lambda old: lambda *args, **kw: None),
    ):
        with tf.GradientTape() as tape:
            tape.watch([a, b])
            y = tf.concat([a, b], 0)
        ga, gb = tape.gradient(y, [a, b])
        assert ga.numpy().tolist() == [1.0] and gb is None
        raise RuntimeError("leave the block")
    assert concat.vjps is original


def test_rule_kind_is_checked():
    with pytest.raises(ValueError, match="'vjp' or 'jvp'"):
        registry.rules(registry.PRIMITIVES["Exp"], "hvp")
