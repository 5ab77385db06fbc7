"""Graph-like semantics of the reference's `tf.function`: `cond` connects
the untaken branch (zero gradient), `tf.gradients` works only inside."""

import numpy as np
import pytest
from ref_values import value

import reference_impl as tf


def _cond_grads(v0, v1, c):
    with tf.GradientTape() as g:
        r = tf.cond(c > 0, lambda: v0 * 1.0, lambda: v1**2)
    return [value(x) for x in g.gradient(r, [v0, v1, c])]


def test_cond_untaken_branch_is_none_eagerly_and_zero_in_function():
    v0, v1, c = tf.Variable(2.0), tf.Variable(3.0), tf.Variable(1.0)
    assert _cond_grads(v0, v1, c) == [1.0, None, None]
    assert tf.function(_cond_grads)(v0, v1, c) == [1.0, 0.0, None]
    c.assign(-1.0)
    assert tf.function(_cond_grads)(v0, v1, c) == [0.0, 6.0, None]


def test_untaken_branch_assignments_are_discarded():
    v = tf.Variable(1.0)

    @tf.function
    def f(x):
        return tf.cond(x > 0, lambda: x * 2.0, lambda: (v.assign(5.0), x)[1])

    assert value(f(tf.constant(3.0))) == 6.0
    assert value(v) == 1.0


def test_cond_in_function_under_forward_accumulator():
    x = tf.constant(2.0)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0)) as acc:
        y = tf.function(lambda: tf.cond(x > 0, lambda: x * x, lambda: x))()
    assert value(acc.jvp(y)) == 4.0


def test_gradients_inside_function_and_eager_error():
    @tf.function
    def g(x):
        y = x * x
        return tf.gradients([y, tf.sin(x)], [x, tf.constant(1.0)], grad_ys=[2.0, 1.0])

    dx, unconnected = g(tf.constant(3.0))
    assert value(dx) == pytest.approx(12.0 + np.cos(3.0))
    assert unconnected is None
    with pytest.raises(RuntimeError, match="not supported when eager execution"):
        tf.gradients(tf.constant(1.0), tf.constant(1.0))


def test_gradients_of_gradients_and_variables_inside_function():
    v = tf.Variable(3.0)

    @tf.function
    def g():
        y = v * v * v
        (dv,) = tf.gradients(y, v)
        return dv, tf.gradients(dv, v)[0]

    assert [value(t) for t in g()] == [27.0, 18.0]


def test_input_signature_converts_arguments():
    f = tf.function(lambda x: x, input_signature=[tf.TensorSpec(None, tf.float64)])
    assert f(2).dtype == tf.float64


def _index_error():
    return [][0]


def test_autograph_turns_an_index_error_into_a_staging_error_only_when_it_converts():
    with pytest.raises(tf.errors.StagingError, match="IndexError: list index out of range"):
        tf.function(_index_error)()
    with pytest.raises(IndexError):
        tf.function(_index_error, autograph=False)()
    namespace = {}
    exec(compile("def f():\n    return [][0]\n", "<no source>", "exec"), namespace)
    with pytest.raises(IndexError):  # no source to convert: it runs as it is
        tf.function(namespace["f"])()
    with pytest.raises(ValueError, match=r"^kept$"):  # ValueError keeps its type
        tf.function(lambda: (_ for _ in ()).throw(ValueError("kept")))()
