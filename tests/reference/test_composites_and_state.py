"""Composite tensors (SparseTensor, RaggedTensor) on the tape, and the
stateful containers (tf.data, tf.queue) that stop gradients."""

import logging

import numpy as np
import pytest

import reference_impl as tf

INT_WARNING = "The dtype of the watched tensor must be floating (e.g. tf.float32), got tf.int64"


def test_ragged_gradient_is_ragged_and_watching_logs_row_splits(caplog):
    x = tf.ragged.constant([[1.0, 2.0], [3.0]])
    with caplog.at_level(logging.WARNING, logger="tensorflow"), tf.GradientTape() as g:
        g.watch(x)
        y = x * x + 1.0
    grad = g.gradient(y, x)
    assert type(grad).__name__ == "RaggedTensor" and grad.dtype == tf.float32
    assert grad.to_list() == [[2.0, 4.0], [6.0]]
    assert [r.getMessage() for r in caplog.records] == [INT_WARNING]


def test_ragged_source_mixed_with_tensors():
    x, w = tf.ragged.constant([[1.0], [2.0, 3.0]]), tf.constant(2.0)
    with tf.GradientTape() as g:
        g.watch([x, w])
        y = tf.reduce_sum((x * w).values)
    gx, gw = g.gradient(y, [x, w])
    assert gx.to_list() == [[2.0], [2.0, 2.0]] and float(gw) == 6.0


def test_sparse_values_are_differentiable_but_sparse_sources_raise(caplog):
    sp = tf.sparse.SparseTensor([[0, 0], [1, 2]], [1.0, 2.0], [2, 3])
    with (
        caplog.at_level(logging.WARNING, logger="tensorflow"),
        tf.GradientTape(persistent=True) as g,
    ):
        g.watch(sp)
        y = tf.sparse.reduce_sum(sp * tf.constant([1.0, 2.0, 3.0]))
    assert float(y) == 7.0 and len(caplog.records) == 2
    assert g.gradient(y, sp.values).numpy().tolist() == [1.0, 3.0]
    with pytest.raises(ValueError, match=r"^Type SparseTensor is not supported as a gradient"):
        g.gradient(y, sp)
    assert tf.sparse.to_dense(sp).numpy().tolist() == [[1.0, 0.0, 0.0], [0.0, 0.0, 2.0]]


def test_dataset_and_queue_outputs_have_no_gradient():
    x = tf.Variable(2.0)
    q = tf.queue.FIFOQueue(1, tf.float32)
    with tf.GradientTape(persistent=True) as g:
        y = x * 3.0
        from_data = next(iter(tf.data.Dataset.from_tensors(y)))
        q.enqueue(y)
        from_queue = q.dequeue()
        z = from_data + from_queue
    assert float(z) == 12.0
    assert g.gradient(z, x) is None and float(g.gradient(y, x)) == 3.0
    with pytest.raises(tf.errors.OutOfRangeError):
        q.dequeue()


def test_dataset_from_tensor_slices_iterates_rows():
    rows = [t.numpy().tolist() for t in tf.data.Dataset.from_tensor_slices(np.eye(2))]
    assert rows == [[1.0, 0.0], [0.0, 1.0]]
