"""Public control flow: `tf.cond` and `tf.while_loop`, run eagerly as Python
control flow (each op recorded as it runs), plus graph mode's `cond` join."""

from ..core import errors, nest, trace
from ..core.tensor import Tensor, VariableBase
from ..core.trace import bind
from ..prims import control as prims
from .convert import as_tensor


def cond(pred, true_fn=None, false_fn=None, name=None):
    """tf.cond. Eagerly it runs only the taken branch (so only it is recorded).

    # NB: in TensorFlow, inside tf.function, cond is one graph op holding both
    # branches: a source used only in the untaken branch is connected to it
    # and gets a zero gradient, not None. In a function body the reference
    # runs both branches (the untaken one's variable assignments discarded)
    # and joins the outputs with an `If` op whose VJP gives the untaken
    # branch zeros.
    """
    taken, untaken = (true_fn, false_fn) if bool(pred) else (false_fn, true_fn)
    if not trace.graphs:
        return taken()
    result = taken()
    with trace.assignments_discarded():
        other = untaken()
    return nest.map_structure(_join_branches, result, other)


def _join_branches(taken, untaken):
    if not isinstance(taken, (Tensor, VariableBase)):
        return taken
    return bind(prims.if_p, (as_tensor(taken), as_tensor(untaken)))


def while_loop(
    cond,
    body,
    loop_vars,
    shape_invariants=None,
    parallel_iterations=10,
    back_prop=True,
    swap_memory=False,
    maximum_iterations=None,
    name=None,
):
    """Eager tf.while_loop: a Python loop, each iteration recorded as it runs."""
    if back_prop:
        _check_compilable_loop(maximum_iterations)
    single = not isinstance(loop_vars, (list, tuple))
    values = [loop_vars] if single else list(loop_vars)
    # NB: TF reads Variable loop vars up front, even for zero iterations: the
    # tape sees the read (watched_variables) and the result is a Tensor.
    values = [as_tensor(v) if isinstance(v, VariableBase) else v for v in values]
    count = 0
    while bool(cond(*values)) and (maximum_iterations is None or count < maximum_iterations):
        result = body(*values)
        values = [result] if single or not isinstance(result, (list, tuple)) else list(result)
        count += 1
    return values[0] if single else type(loop_vars)(values)


_UNBOUNDED = (
    "XLA compilation requires a fixed tensor list size. Set the max number of "
    "elements. This could also happen if you're using a TensorArray in a while loop "
    "that does not have its maximum_iteration set, you can fix this by setting "
    "maximum_iteration to a suitable value."
)


def _check_compilable_loop(maximum_iterations):
    """What TF's XLA bridge refuses for a differentiated loop in tf.function(jit_compile=True).

    # NB: a gradient tape keeps each iteration's intermediates in a TensorList;
    # XLA compiles only lists of a size known at compile time (InvalidArgumentError
    # without maximum_iterations), and cannot hand one to a tape outside the compiled
    # function (UnimplementedError). TF refuses when it compiles the function, before
    # its body runs; the reference refuses when the body reaches the loop.
    """
    compiled = [g for g in trace.graphs if getattr(g, "jit_compile", False)]
    if not compiled:
        return
    stack = trace.active()
    inner = stack.index(compiled[-1]) if compiled[-1] in stack else len(stack)
    tapes = [i for i, r in enumerate(stack) if getattr(r, "gradient_tape", False)]
    if not tapes:
        return
    if maximum_iterations is None:
        raise errors.InvalidArgumentError(None, None, _UNBOUNDED)
    if tapes[0] < inner:
        raise errors.UnimplementedError(
            None,
            None,
            "Support for TensorList crossing the XLA/TF boundary is not "
            f"implemented [Op:__forward_{compiled[-1].name}_0]",
        )
