"""`tf.custom_gradient`: a function whose gradient is given by the user.

The decorated function runs normally (so forward mode and the values are
those of its own ops); its outputs are then re-issued through `identity` and
recorded on active tapes as one op whose VJP is the user's `grad_fn`.
"""

import functools
import inspect

from .. import ops
from ..core import nest, trace
from ..core.trace import Primitive, Recorder


class VariableWatcher(Recorder):
    """Recorder that lists the variables read while it is active."""

    def __init__(self):
        self.variables = []

    def __enter__(self):
        trace.push(self)
        return self

    def __exit__(self, *exc):
        trace.remove(self)

    def on_read(self, variable, tensor):
        if all(v is not variable for v in self.variables):
            self.variables.append(variable)


def custom_gradient(f=None):
    """Decorator: `f(*args)` returns `(outputs, grad_fn)`.

    `grad_fn(*upstream)` returns one gradient per argument; if `f` read
    variables, it is called as `grad_fn(*upstream, variables=[...])` and
    returns `(input_grads, variable_grads)`.

    Args:
      f: the function to decorate.

    Returns:
      The decorated function.
    """
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def decorated(*args, **kwargs):
        return _call(f, args, kwargs)

    return decorated


def _call(f, args, kwargs):
    """Runs f, then records its outputs as one op with f's gradient."""
    with VariableWatcher() as watcher:
        result, grad_fn = f(*args, **kwargs)
    flat_args = nest.flatten(args)
    all_inputs = flat_args + nest.flatten(kwargs)
    variables = [v for v in watcher.variables if all(v is not x for x in all_inputs)]
    _check_accepts_variables(grad_fn, variables)
    flat_result = [ops.identity(x) for x in nest.flatten(result)]
    inputs = [ops.convert_to_tensor(x) for x in flat_args + variables]
    prim = Primitive(f.__name__, _backward_fn(grad_fn, variables, len(flat_args)))
    trace.notify_custom(prim, inputs, flat_result)
    return nest.pack_sequence_as(result, flat_result)


def _check_accepts_variables(grad_fn, variables):
    spec = inspect.getfullargspec(grad_fn)
    if variables and "variables" not in spec.args + spec.kwonlyargs and not spec.varkw:
        raise TypeError(
            "@tf.custom_gradient grad_fn must accept keyword argument "
            f"'variables', since function uses variables: {variables}"
        )


def _backward_fn(grad_fn, variables, arg_count):
    """Wraps grad_fn to return one gradient per recorded input."""

    def backward(*upstream):
        if variables:
            input_grads, variable_grads = grad_fn(*upstream, variables=variables)
            if len(variable_grads) != len(variables):
                raise ValueError(
                    "Must return gradient for each variable from @custom_gradient grad_fn."
                )
        else:
            input_grads, variable_grads = grad_fn(*upstream), []
        flat = nest.flatten(input_grads)
        if len(flat) != arg_count:
            raise ValueError(
                f"custom_gradient function expected to return {arg_count} gradients, "
                f"but returned {len(flat)} instead."
            )
        return flat + list(variable_grads)

    return backward
