"""The tiny tf.keras: lazy build, Keras 3 variable names and string dtype,
and how the tape and the accumulator see Keras variables."""

import numpy as np
import pytest

import reference_impl as tf


def test_dense_builds_lazily_and_names_its_variables():
    layer = tf.keras.layers.Dense(2, activation="relu", kernel_initializer="ones", name="dense")
    assert layer.variables == [] and not layer.built
    x = tf.constant([[1.0, 2.0, 3.0]])
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(layer(x) ** 2)
    grads = tape.gradient(loss, layer.trainable_variables)
    assert [g.numpy().tolist() for g in grads] == [
        [[6.0, 6.0], [12.0, 12.0], [18.0, 18.0]],
        [6.0, 6.0],
    ]
    assert [v.name for v in layer.trainable_variables] == ["kernel", "bias"]
    assert [v.path for v in layer.variables] == ["dense/kernel", "dense/bias"]
    assert [v.name for v in tape.watched_variables()] == ["dense/kernel:0", "dense/bias:0"]
    assert tape.watched_variables()[0] is layer.kernel.value


def test_automatic_names_are_unique():
    first, second = tf.keras.layers.Dense(1), tf.keras.layers.Dense(1)
    assert first.name != second.name and first.name.startswith("dense")


def test_keras_variable_watch_and_arithmetic():
    layer = tf.keras.layers.Dense(1, use_bias=False, kernel_initializer="ones")
    layer.build([None, 2])
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(layer.kernel)
        y = tf.reduce_sum(layer.kernel * 3.0)
    assert tape.gradient(y, layer.kernel).numpy().tolist() == [[3.0], [3.0]]
    assert layer.kernel.dtype == "float32" and layer.bias is None


def test_glorot_uniform_is_within_its_limit():
    layer = tf.keras.layers.Dense(4)
    layer(np.ones((1, 2), np.float32))
    assert np.all(np.abs(layer.kernel.numpy()) <= np.sqrt(6.0 / 6))
    assert layer.bias.numpy().tolist() == [0.0] * 4


def test_forward_accumulator_rejects_the_string_dtype():
    layer = tf.keras.layers.Dense(1)
    layer.build([None, 2])
    with pytest.raises(AttributeError, match="'str' object has no attribute 'is_floating'"):
        tf.autodiff.ForwardAccumulator(primals=layer.kernel, tangents=tf.constant([[1.0], [0.0]]))
