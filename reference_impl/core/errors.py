"""TensorFlow's exception types (`tf.errors.*`) for the behaviours covered.

`str(error)` is the message, as for TF's `OpError`.
"""

from __future__ import annotations


class OpError(Exception):
    """Base class of errors raised while executing an op."""

    def __init__(
        self, node_def: object = None, op: object = None, message: str = "", *args: object
    ) -> None:
        super().__init__(message)
        self.node_def = node_def
        self.op = op
        self.message = message

    def __str__(self):
        return self.message


class InvalidArgumentError(OpError):
    """An op received an invalid argument (bad dtype, shape, index)."""


class NotFoundError(OpError):
    pass


class UnimplementedError(OpError):
    pass


class InternalError(OpError):
    pass


class FailedPreconditionError(OpError):
    pass


class OutOfRangeError(OpError):
    pass


class ResourceExhaustedError(OpError):
    pass


class UnknownError(OpError):
    pass


class StagingError(Exception):
    """AutoGraph's error for an exception it cannot re-raise as its own type
    (IndexError, for one) while a tf.function body runs."""


def invalid_argument(op_name: str, message: str) -> InvalidArgumentError:
    """An InvalidArgumentError worded like TF's eager errors."""
    return InvalidArgumentError(None, None, f"{message} [Op:{op_name}] name: ")
