"""Tape, accumulator and custom-gradient semantics of the reference engine,
asserted directly (the cases under cases/ hold every engine to TF's observed behavior)."""

import collections
import logging

import numpy as np
import pytest
from ref_values import value

import reference_impl as tf

USED = (
    "A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)"
)


def test_trainable_variables_are_watched_when_read_others_only_when_watched():
    a, frozen, c = tf.Variable(2.0, name="a"), tf.Variable(3.0, trainable=False), tf.constant(4.0)
    with tf.GradientTape() as g:
        y = a * frozen * c
    assert [value(x) for x in g.gradient(y, [a, frozen, c])] == [12.0, None, None]
    with tf.GradientTape(watch_accessed_variables=False) as g:
        g.watch(frozen)
        y = a * frozen
    assert [value(x) for x in g.gradient(y, [a, frozen])] == [None, 2.0]


def test_watch_only_affects_later_ops():
    x = tf.constant(3.0)
    with tf.GradientTape() as g:
        y = x * x
        g.watch(x)
        z = y * x
    assert value(g.gradient(z, x)) == 9.0


def test_watched_variables_are_in_creation_order():
    first, second = tf.Variable(1.0, name="first"), tf.Variable(2.0, name="second")
    with tf.GradientTape() as g:
        _ = second * first
    assert [v.name for v in g.watched_variables()] == ["first:0", "second:0"]


def test_non_persistent_tape_is_released_after_first_use():
    x = tf.Variable(2.0)
    with tf.GradientTape() as g:
        y = x * x
    assert value(g.gradient(y, x)) == 4.0
    with pytest.raises(
        RuntimeError, match="^" + USED.replace("(", r"\(").replace(")", r"\)") + "$"
    ):
        g.gradient(y, x)
    with pytest.raises(RuntimeError, match="used tocompute"):
        g.batch_jacobian(y, x)


def test_gradient_inside_context_is_recorded_for_higher_order():
    x = tf.Variable(2.0)
    with tf.GradientTape() as t3:
        with tf.GradientTape() as t2:
            with tf.GradientTape() as t1:
                y = x**4
            d1 = t1.gradient(y, x)
        d2 = t2.gradient(d1, x)
    assert [value(d1), value(d2), value(t3.gradient(d2, x))] == [32.0, 48.0, 48.0]


def test_structures_mirror_sources_and_targets_are_summed():
    Pair = collections.namedtuple("Pair", "p q")
    a, b = tf.Variable(1.0), tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as g:
        y = a * b
    result = g.gradient({"z": [y, y], "k": y}, {"second": Pair(a, b), "first": [a]})
    assert list(result) == ["second", "first"]
    assert isinstance(result["second"], Pair)
    assert value(result["second"].p) == 6.0 and value(result["first"][0]) == 6.0


def test_output_gradients_weight_each_target():
    x = tf.Variable(2.0)
    with tf.GradientTape() as g:
        y = x * tf.constant([3.0, 4.0])
    assert value(g.gradient(y, x, output_gradients=tf.constant([10.0, 100.0]))) == 430.0


def test_unconnected_gradients_none_or_zero_in_source_dtype():
    x, y = tf.Variable([1.0, 2.0], dtype=tf.float64), tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as g:
        z = y * y
    assert g.gradient(z, x) is None
    zero = g.gradient(z, x, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    assert zero.dtype == tf.float64 and value(zero) == [0.0, 0.0]
    with pytest.raises(ValueError, match="Unknown value for unconnected_gradients: 'ZERO'"):
        g.gradient(z, x, unconnected_gradients="ZERO")


def test_integer_and_string_watches_warn_and_give_none(caplog):
    i = tf.constant(3)
    with caplog.at_level(logging.WARNING, logger="tensorflow"), tf.GradientTape() as g:
        g.watch(i)
        y = i * i
    assert g.gradient(y, i) is None
    assert caplog.messages == [
        "The dtype of the watched tensor must be floating (e.g. tf.float32), got tf.int32"
    ]


def test_numpy_and_variable_state_do_not_carry_gradients():
    x = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as g:
        via_numpy = tf.constant(x.numpy()) * 3.0
        x.assign(5.0)
        after_assign = x * 1.0
    assert g.gradient(via_numpy, x) is None
    assert value(g.gradient(after_assign, x)) == 1.0


def test_variable_value_is_recorded_at_read_time():
    x = tf.Variable(2.0)
    with tf.GradientTape() as g:
        a = x * 1.0
        x.assign_add(1.0)
        y = a + x * x
    assert value(g.gradient(y, x)) == 7.0


def test_gather_gives_indexed_slices():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with tf.GradientTape() as g:
        y = tf.reduce_sum(tf.gather(v, [2, 0, 2]))
    grad = g.gradient(y, v)
    assert isinstance(grad, tf.IndexedSlices)
    assert value(grad.indices) == [2, 0, 2] and value(grad.dense_shape) == [3, 2]
    assert value(grad) == [[1.0, 1.0], [0.0, 0.0], [2.0, 2.0]]


def test_gradient_dtype_follows_source():
    h = tf.Variable(tf.constant(2.0, tf.float16))
    z = tf.Variable(tf.constant(1 + 2j, tf.complex64))
    with tf.GradientTape(persistent=True) as g:
        y = tf.cast(h, tf.float32) ** 2
        sq = z * z
    assert g.gradient(y, h).dtype == tf.float16
    assert g.gradient(sq, z).numpy() == np.complex64(2 - 4j)  # conj(f'(z))


def test_broadcasting_is_undone_in_gradients():
    b = tf.Variable([0.5, -0.5])
    with tf.GradientTape() as g:
        y = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]) + b
    assert value(g.gradient(y, b)) == [3.0, 3.0]


@pytest.mark.parametrize(
    "expr,point,expected",
    [
        (lambda x: tf.reduce_max(x), [1.0, 3.0, 3.0], [0.0, 0.5, 0.5]),
        (lambda x: tf.abs(x), [0.0], [0.0]),
        (lambda x: tf.nn.relu(x), [0.0], [0.0]),
        (lambda x: tf.sqrt(x), [0.0], [float("inf")]),
        (lambda x: tf.where(x < 1.0, 0.0, 1.0 / x), [0.0], [float("nan")]),
        (lambda x: tf.reduce_prod(x), [0.0, 2.0, 3.0], [6.0, 0.0, 0.0]),
        (lambda x: tf.pow(x, 2.0), [0.0], [0.0]),
        (lambda x: tf.maximum(x, tf.constant([0.0])), [0.0], [1.0]),
    ],
)
def test_gradients_at_special_points(expr, point, expected):
    x = tf.constant(point)
    with tf.GradientTape() as g:
        g.watch(x)
        y = expr(x)
    np.testing.assert_array_equal(g.gradient(y, x).numpy(), np.float32(expected))


def test_documented_contradictions_follow_tensorflow():
    v = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as g:
        y = v * 3.0
    assert value(g.gradient(v, v)) == 1.0
    with pytest.raises(ValueError, match=r"^Tape is not recording\.$"), g.stop_recording():
        pass
    x, u = tf.constant([[1.0, 2.0]]), tf.constant([[5.0]])
    with tf.GradientTape() as g2:
        g2.watch([x, u])
        y = x * x
    assert value(g2.batch_jacobian(y, u)) == [[[0.0], [0.0]]]


def test_forward_over_reverse_and_nested_accumulators():
    v = tf.Variable([1.0, 2.0])
    with tf.autodiff.ForwardAccumulator(v, tf.constant([1.0, 0.0])) as acc:
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(v**3.0)
        backward = tape.gradient(y, v)
    assert value(acc.jvp(backward)) == [6.0, 0.0]
    p = tf.constant(1.1)
    with (
        tf.autodiff.ForwardAccumulator(p, tf.constant(1.0)) as outer,
        tf.autodiff.ForwardAccumulator(p, tf.constant(1.0)) as inner,
    ):
        out = p ** tf.constant(3.5)
    np.testing.assert_allclose(value(outer.jvp(inner.jvp(out))), 10.094786, rtol=1e-6)
    assert inner.jvp(outer.jvp(out)) is None


def test_custom_gradient_with_variables():
    w = tf.Variable(2.0)

    @tf.custom_gradient
    def scale(x):
        def grad(dy, variables):
            return dy * 10.0, [dy * 100.0]

        return x * w, grad

    x = tf.constant(3.0)
    with tf.GradientTape() as g:
        g.watch(x)
        y = scale(x)
    assert [value(d) for d in g.gradient(y, [x, w])] == [10.0, 100.0]


def test_reset_state_forgets_active_recorders():
    tape = tf.GradientTape()
    tape.__enter__()
    tf._reset_state()
    x = tf.Variable(1.0)
    _ = x * 2.0
    assert tape.watched_variables() == ()
