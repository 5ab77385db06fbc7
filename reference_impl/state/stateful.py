"""Tiny stateful containers: `tf.data.Dataset` and `tf.queue.FIFOQueue`.

# NB: in TensorFlow dataset iterators and queues are stateful resources; the
# tensors that come out of them are new values with no recorded history, so
# they stop every gradient ("Took gradients through a stateful object" in
# the autodiff guide). Here they come out as fresh, unconnected Tensors.
"""

import collections

from .. import ops
from ..core import dtypes, errors, nest
from ..core.tensor import EagerTensor


def _detached(structure):
    """Copies of the tensors in `structure` that no tape has seen."""
    return nest.map_structure(lambda t: EagerTensor(ops.convert_to_tensor(t)._value), structure)


class Dataset:
    """A finite sequence of elements (nested structures of Tensors)."""

    def __init__(self, elements):
        self._elements = list(elements)

    @staticmethod
    def from_tensors(tensors):
        """A dataset with the single element `tensors`."""
        return Dataset([_detached(tensors)])

    @staticmethod
    def from_tensor_slices(tensors):
        """A dataset with one element per slice along the first axis."""
        flat = [ops.convert_to_tensor(t)._value for t in nest.flatten(tensors)]
        count = len(flat[0]) if flat else 0
        return Dataset(
            [
                nest.pack_sequence_as(tensors, [EagerTensor(a[i]) for a in flat])
                for i in range(count)
            ]
        )

    def __iter__(self):
        return iter([_detached(e) for e in self._elements])

    def __len__(self):
        return len(self._elements)


class FIFOQueue:
    """A first-in first-out queue of (structures of) Tensors.

    # NB: in TensorFlow enqueue on a full queue and dequeue on an empty one
    # block; the reference, being single-threaded, raises OutOfRangeError.
    """

    def __init__(
        self, capacity, dtypes, shapes=None, names=None, shared_name=None, name="fifo_queue"
    ):
        types = dtypes  # TF's parameter name shadows the module here
        self._capacity = capacity
        self._single = not isinstance(types, (list, tuple))
        self._dtypes = [types] if self._single else list(types)
        self._items = collections.deque()

    def enqueue(self, vals, name=None):
        if len(self._items) >= self._capacity:
            raise errors.OutOfRangeError(None, None, "FIFOQueue is full")
        flat = [vals] if self._single else nest.flatten(vals)
        self._items.append(
            [
                ops.convert_to_tensor(v, dtype=dtypes.as_dtype(d))._value
                for v, d in zip(flat, self._dtypes)
            ]
        )

    def dequeue(self, name=None):
        if not self._items:
            raise errors.OutOfRangeError(None, None, "FIFOQueue is empty")
        values = [EagerTensor(a) for a in self._items.popleft()]
        return values[0] if self._single else values

    def size(self, name=None):
        return ops.convert_to_tensor(len(self._items))
