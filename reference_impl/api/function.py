"""`tf.function` and the graph-only `tf.gradients`.

The reference has no graphs: a function body runs op by op, as eagerly.
What TF's graph mode changes observably is emulated while the body runs:
a `Graph` recorder sees every op, so `tf.gradients` can differentiate any
tensor with respect to any other, and `tf.cond` records both branches
(`ops/control.py`). Under a tape, the other semantics are those of eager
calls, which is what TF documents for functions.
"""

import builtins
import functools
import inspect

import numpy as np

from .. import ops
from ..autodiff import backprop
from ..autodiff.backprop import (
    UnconnectedGradients,
    filled_like,
    parse_unconnected,
    source_gradient,
)
from ..core import dtypes, errors, nest, trace
from ..core.tensor import Tensor, TensorShape
from ..state.variables import Variable

_EAGER_GRADIENTS = (
    "tf.gradients is not supported when eager execution is enabled. Use tf.GradientTape instead."
)


class TensorSpec:
    """Describes a Tensor argument: shape (None: any) and dtype."""

    def __init__(self, shape=None, dtype=dtypes.float32, name=None):
        self.shape = None if shape is None else TensorShape(shape)
        self.dtype = dtypes.as_dtype(dtype)
        self.name = name

    def __repr__(self):
        shape = "None" if self.shape is None else str(self.shape)
        return f"TensorSpec(shape={shape}, dtype=tf.{self.dtype.name}, name={self.name!r})"


class Graph(backprop.Tape):
    """Records every op of a function body, whatever its inputs (TF's
    FuncGraph, where every tensor is symbolic and differentiable)."""

    gradient_tape = False

    def __init__(self, name="function", jit_compile=False):
        super().__init__(watch_accessed_variables=True)
        self.name, self.jit_compile = name, jit_compile

    def on_op(self, prim, inputs, params, out):
        self.tracked.update(x._id for x in inputs)
        super().on_op(prim, inputs, params, out)

    def on_read(self, variable, tensor):
        self.tracked.add(variable._id)
        super().on_read(variable, tensor)

    def on_custom(self, prim, inputs, outputs):
        self.tracked.update(x._id for x in inputs)
        super().on_custom(prim, inputs, outputs)


def function(
    func=None,
    input_signature=None,
    autograph=True,
    jit_compile=None,
    reduce_retracing=False,
    **unused_kwargs,
):
    """`tf.function`: runs `func` in graph-like mode (see the module doc).

    Args:
      func: the Python function (or None, to be used as a decorator factory).
      input_signature: TensorSpecs; arguments are converted to their dtypes.

      jit_compile: True compiles with XLA in TF; here it runs as without,
        except where TF's XLA differs (`_check_compilable`, and loops in
        `ops/control.py`).

    Returns:
      The wrapped function; Python-number results come back as Tensors.
    """
    if func is None:
        return lambda f: function(
            f, input_signature=input_signature, autograph=autograph, jit_compile=jit_compile
        )

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if input_signature is not None:
            args = _conform(args, input_signature)
        wrapper.traced[0] = True
        return call_in_graph(func, args, kwargs, bool(jit_compile), autograph)

    wrapper.python_function = func
    wrapper.input_signature = input_signature
    wrapper.traced = [False]  # whether a call has traced it (saved_model saves it then)
    return wrapper


def call_in_graph(func, args, kwargs, jit_compile=False, autograph=True):
    """Calls `func` with a new Graph recording; returns Tensors for numbers."""
    graph = Graph(getattr(func, "__name__", "function"), jit_compile)
    trace.graphs.append(graph)
    trace.push(graph)
    try:
        result = func(*args, **kwargs)
    except Exception as error:
        if not autograph or _autograph_keeps(type(error)) or not _autograph_converts(func):
            raise
        raise errors.StagingError(_in_user_code(error)) from error
    finally:
        trace.remove(graph)
        trace.graphs.remove(graph)
    result = nest.map_structure(_as_tensor, result)
    if jit_compile:
        _check_compilable(graph, result)
    return result


# NB: in TensorFlow, autograph (which converts a function whose source it can
# read) re-raises an exception from a tf.function body as its own type only
# for these, op errors, its own errors and classes that keep Exception's
# __init__; anything else (IndexError, say) becomes a StagingError whose
# message carries the original.
_KEPT_ERRORS = (
    AssertionError,
    AttributeError,
    NameError,
    NotImplementedError,
    RuntimeError,
    StopIteration,
    TypeError,
    UnboundLocalError,
    ValueError,
    KeyError,
    errors.StagingError,
)


def _autograph_converts(func):
    """Whether autograph converts `func`: only when it can read its source
    (a function compiled from a string without a file runs as it is)."""
    try:
        inspect.getsource(func)
    except (OSError, TypeError):
        return False
    return True


def _autograph_keeps(kind):
    return (
        kind in _KEPT_ERRORS
        or issubclass(kind, errors.OpError)
        or kind.__init__ is Exception.__init__
    )


def _in_user_code(error):
    return f"in user code:\n\n\n    {type(error).__name__}: {error}\n"


def _check_compilable(graph, result):
    """XLA has no string type: TF cannot compile a function returning a string tensor."""
    for index, value in enumerate(nest.flatten(result)):
        if isinstance(value, Tensor) and value.dtype == dtypes.string:
            node = "identity_RetVal" if index == 0 else f"identity_{index}_RetVal"
            raise errors.InvalidArgumentError(
                None,
                None,
                (
                    "Detected unsupported operations when trying to compile graph "
                    f"__inference_{graph.name}_0 on XLA_CPU_JIT: _Retval (No registered '_Retval' "
                    f"OpKernel for XLA_CPU_JIT devices compatible with node {{{{node {node}}}}}\n"
                    "\t (OpKernel was found, but attributes didn't match) Requested Attributes: "
                    f"T=DT_STRING, index={index}){{{{node {node}}}}}"
                ),
            )


def _as_tensor(x):
    """A traced function returns Tensors even for Python-number results, and
    the value (a Tensor) of a Variable it returns."""
    if isinstance(x, Variable):
        return x.read_value()
    is_number = isinstance(x, (int, float, builtins.complex, np.generic))
    if is_number and not isinstance(x, builtins.bool):
        return ops.convert_to_tensor(x)
    return x


def _conform(args, signature):
    """Converts the leading (non-self) arguments to the signature's dtypes."""
    offset = len(args) - len(signature)
    converted = [
        ops.convert_to_tensor(a, dtype=spec.dtype) if spec is not None else a
        for a, spec in zip(args[offset:], signature)
    ]
    return tuple(args[:offset]) + tuple(converted)


def gradients(
    ys,
    xs,
    grad_ys=None,
    name="gradients",
    gate_gradients=False,
    aggregation_method=None,
    stop_gradients=None,
    unconnected_gradients=UnconnectedGradients.NONE,
):
    """`tf.gradients`: symbolic gradients of the sum of `ys` w.r.t. `xs`.

    Only valid inside `tf.function`; eagerly TF raises RuntimeError.

    Returns:
      A list with one gradient (or None, if unconnected) per entry of `xs`.
    """
    if not trace.graphs:
        raise RuntimeError(_EAGER_GRADIENTS)
    graph = trace.graphs[-1]
    flat_ys, flat_xs = nest.flatten(ys), nest.flatten(xs)
    flat_g = nest.flatten(grad_ys) if grad_ys is not None else [None] * len(flat_ys)
    seeds = [
        (y._id, filled_like(y, 1) if g is None else ops.convert_to_tensor(g))
        for y, g in zip(flat_ys, flat_g)
        if y.dtype.is_differentiable
    ]
    grads = backprop.backward(graph, seeds, [x._id for x in flat_xs])
    unconnected = parse_unconnected(unconnected_gradients)
    return [source_gradient(grads, x, unconnected) for x in flat_xs]
