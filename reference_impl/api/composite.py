"""Composite tensors: `tf.sparse.SparseTensor` and `tf.RaggedTensor`.

A composite is made of component Tensors. `tape.watch` watches all of them
(TF's `nest.flatten(..., expand_composites=True)`); `gradient()` uses only
the components a composite differentiates through (TF's
`__composite_gradient__`) and rebuilds the composite around their gradients.
Ops on composites act on their values, so gradients flow through the
engine's ordinary ops.
"""

import itertools

import numpy as np

from .. import ops
from ..core import dtypes
from ..core.tensor import CompositeTensor, TensorShape


class SparseTensor(CompositeTensor):
    """`values[i]` sits at `indices[i]` of a dense tensor of `dense_shape`."""

    def __init__(self, indices, values, dense_shape):
        self.indices = ops.convert_to_tensor(indices, dtype_hint=dtypes.int64)
        self.indices = ops.cast(self.indices, dtypes.int64)
        self.values = ops.convert_to_tensor(values)
        self.dense_shape = ops.cast(ops.convert_to_tensor(dense_shape), dtypes.int64)

    dtype = property(lambda self: self.values.dtype)
    shape = property(lambda self: TensorShape(int(d) for d in self.dense_shape._value))

    def _watch_components(self):
        return [self.indices, self.values, self.dense_shape]

    def __mul__(self, other):
        """Sparse * dense: the dense operand is read at the stored indices."""
        other = ops.convert_to_tensor(other, dtype=self.dtype)
        if other._value.ndim:
            other = ops.gather_nd(ops.broadcast_to(other, self.shape), self.indices)
        return SparseTensor(self.indices, self.values * other, self.dense_shape)

    __rmul__ = __mul__

    def __repr__(self):
        return (
            f"SparseTensor(indices={self.indices}, values={self.values}, "
            f"dense_shape={self.dense_shape})"
        )


def sparse_to_dense(sp_input, default_value=None, validate_indices=True, name=None):
    return ops.scatter_nd(sp_input.indices, sp_input.values, sp_input.shape)


def sparse_reduce_sum(sp_input, axis=None, keepdims=False, output_is_sparse=False, name=None):
    if axis is None and not keepdims:
        return ops.reduce_sum(sp_input.values)
    return ops.reduce_sum(sparse_to_dense(sp_input), axis, keepdims)


class RaggedTensor(CompositeTensor):
    """Rows of different lengths: row i is `values[row_splits[i]:row_splits[i+1]]`
    (one ragged dimension, as `tf.ragged.constant` gives for 2-level lists)."""

    def __init__(self, values, row_splits):
        self.values = values
        self.row_splits = row_splits

    @staticmethod
    def from_row_splits(values, row_splits, name=None, validate=True):
        return RaggedTensor(
            ops.convert_to_tensor(values), ops.cast(ops.convert_to_tensor(row_splits), dtypes.int64)
        )

    dtype = property(lambda self: self.values.dtype)
    flat_values = property(lambda self: self.values)

    def _watch_components(self):
        return [self.values, self.row_splits]

    def _gradient_components(self):
        return [self.values]

    def _from_gradient_components(self, grads):
        return (
            None
            if grads[0] is None
            else RaggedTensor(ops.convert_to_tensor(grads[0]), self.row_splits)
        )

    def _elementwise(self, other, op):
        if isinstance(other, RaggedTensor):
            other = other.values
        return RaggedTensor(op(self.values, other), self.row_splits)

    def __mul__(self, other):
        return self._elementwise(other, ops.multiply)

    def __add__(self, other):
        return self._elementwise(other, ops.add)

    def __sub__(self, other):
        return self._elementwise(other, ops.subtract)

    __rmul__, __radd__ = __mul__, __add__

    def to_list(self):
        splits, values = self.row_splits._value, self.values._value.tolist()
        return [values[a:b] for a, b in itertools.pairwise(splits)]

    def __repr__(self):
        return f"<tf.RaggedTensor {self.to_list()}>"


def ragged_constant(pylist, dtype=None, ragged_rank=None, row_splits_dtype=dtypes.int64, name=None):
    """A RaggedTensor from a list of lists (one ragged dimension)."""
    lengths = [len(row) for row in pylist]
    flat = [item for row in pylist for item in row]
    values = ops.constant(flat, dtype=dtype)
    splits_dtype = dtypes.as_dtype(row_splits_dtype).np_dtype
    splits = np.concatenate([[0], np.cumsum(lengths)]).astype(splits_dtype)
    return RaggedTensor(values, ops.constant(splits))
