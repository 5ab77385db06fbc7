"""Python operators (`+`, `*`, `@`, `**`, `[]`, `<`, ...) for Tensor and
Variable, attached the way TF's `Tensor._override_operator` does. A Variable
operand is read (a recorded event) and then behaves like a Tensor.
"""

from .. import ops
from ..core.tensor import Tensor
from ..state.variables import Variable

_BINARY = {
    "add": ops.add,
    "sub": ops.subtract,
    "mul": ops.multiply,
    "truediv": ops.divide,
    "floordiv": ops.floordiv,
    "mod": ops.floormod,
    "pow": ops.pow,
    "matmul": ops.matmul,
}
_COMPARE = {
    "__lt__": ops.less,
    "__le__": ops.less_equal,
    "__gt__": ops.greater,
    "__ge__": ops.greater_equal,
    "__eq__": ops.equal,
    "__ne__": ops.not_equal,
    "__and__": ops.logical_and,
    "__or__": ops.logical_or,
}


def _forward(fn):
    return lambda self, other: fn(self, other)


def _reflected(fn):
    return lambda self, other: fn(other, self)


def _equality(fn):
    # TF compares element-wise, but falls back to identity for operands that
    # cannot be converted (e.g. `tensor == None` is False).
    def method(self, other):
        try:
            return fn(self, other)
        except (TypeError, ValueError):
            return self is other if fn is ops.equal else self is not other

    return method


def _install(cls):
    for name, fn in _BINARY.items():
        setattr(cls, f"__{name}__", _forward(fn))
        setattr(cls, f"__r{name}__", _reflected(fn))
    for name, fn in _COMPARE.items():
        wrap = _equality if name in ("__eq__", "__ne__") else _forward
        setattr(cls, name, wrap(fn))
    cls.__neg__ = lambda self: ops.negative(self)
    cls.__abs__ = lambda self: ops.abs(self)
    cls.__invert__ = lambda self: ops.logical_not(self)
    cls.__getitem__ = lambda self, key: ops.getitem(self, key)


_install(Tensor)
_install(Variable)
