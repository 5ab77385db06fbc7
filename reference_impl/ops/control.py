"""Public control flow: `tf.cond` and `tf.while_loop`, run eagerly as Python
control flow (each op recorded as it runs), plus graph mode's `cond` join."""

from ..core import errors, nest, trace
from ..core.tensor import Tensor, VariableBase
from ..core.trace import bind
from ..prims import control as prims
from .convert import as_tensor, ones_like


def cond(pred, true_fn=None, false_fn=None, name=None):
    """tf.cond. Eagerly it runs only the taken branch (so only it is recorded).

    # NB: in TensorFlow, inside tf.function, cond is one graph op holding both
    # branches, whose inputs are the tensors either branch captures: a source
    # used only in the untaken branch is connected to it and gets a zero
    # gradient, not None. Its gradient runs only the taken branch's backward
    # function, so nothing flows back through the untaken branch's ops (no
    # 0 * inf there). In a function body the reference runs both branches
    # (the untaken one's variable assignments discarded) and joins each
    # output with the untaken branch's captures in an `If` op whose VJP
    # gives those captures zeros.
    """
    taken, untaken = (true_fn, false_fn) if bool(pred) else (false_fn, true_fn)
    if not trace.graphs:
        return taken()
    branch, captures = _Captures(), _Captures()
    with trace.recording(branch):
        result = taken()
    if _forward_over_taped(trace.active()):
        _check_forward_capture(branch)
    with trace.recording(captures), trace.assignments_discarded():
        untaken()
    return nest.map_structure(lambda t: _join_branches(t, captures.inputs), result)


class _Captures(trace.Recorder):
    """Collects the differentiable tensors a branch uses from outside it, and
    the ops it runs."""

    def __init__(self):
        self.made, self.inputs, self.ops, self.reads = set(), {}, [], []

    def _use(self, tensors, outputs):
        for x in tensors:
            if x._id not in self.made and x.dtype.is_differentiable:
                self.inputs.setdefault(x._id, x)
        self.made.update(o._id for o in outputs)

    def on_op(self, prim, inputs, params, out):
        self.ops.append((prim, inputs, params, out))
        self._use(inputs, out if type(out) is tuple else (out,))

    def on_custom(self, prim, inputs, outputs):
        self._use(inputs, outputs)

    def on_read(self, variable, tensor):
        self.reads.append(tensor)
        self._use((tensor,), ())


def _forward_over_taped(stack):
    """Whether a forward accumulator and a tape that watches something are active."""
    tapes = [r for r in stack if getattr(r, "gradient_tape", False) and r.tracked]
    return bool(tapes) and any(getattr(r, "forward_mode", False) for r in stack)


def _check_forward_capture(branch):
    """TF's TypeError for a cond whose taken branch's backward function reads
    a tensor computed in the branch that carries a tangent.

    NB: in TensorFlow, inside tf.function with a tape and an accumulator
    active, forward mode of a cond builds its gradient, which captures such
    intermediates as variant Optionals and then fails on their tangents
    (trace.traced_forward_capture_error). TF fails in other ways too
    (AssertionError when the gradient reads no such tensor; an
    InvalidArgumentError once a tangent of a variable read in the branch is
    asked for); the reference raises only this one.
    """
    if any(trace.tangent_held(t) for t in branch.reads):
        return
    hot = {o._id for *_, o in branch.ops if type(o) is not tuple and trace.tangent_held(o)}
    if not hot:
        return
    probe = trace.RaiseOnUse(lambda t: t._id in hot)
    with trace.paused(), trace.recording(probe):
        for prim, inputs, params, out in branch.ops:
            _run_vjps(prim, inputs, params or {}, out)


def _run_vjps(prim, inputs, params, out):
    if type(out) is tuple or prim.vjps is None or not out.dtype.is_differentiable:
        return
    g = ones_like(out)
    for i, x in enumerate(inputs):
        rule = prim.vjps[i]
        if rule is not None and x.dtype.is_differentiable:
            rule(g, out, *inputs, **params)


def _join_branches(taken, captures):
    if not isinstance(taken, (Tensor, VariableBase)):
        return taken
    return bind(prims.if_p, (as_tensor(taken), *captures.values()))


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
    inits = [v for v in values if isinstance(v, Tensor) and v.dtype.is_differentiable]
    count = 0
    while bool(cond(*values)) and (maximum_iterations is None or count < maximum_iterations):
        result = body(*values)
        values = [result] if single or not isinstance(result, (list, tuple)) else list(result)
        count += 1
    if trace.graphs and back_prop:
        values = [_join_loop(v, inits) for v in values]
    return values[0] if single else type(loop_vars)(values)


def _join_loop(value, inits):
    # NB: in TensorFlow, inside tf.function, a while_loop's gradient is a
    # While op fed by the forward loop's inputs, so a gradient through the loop
    # is itself connected to them (even after zero iterations): a second
    # derivative is zeros, not None. The `While` join passes the value through
    # and ties the upstream gradient to the loop's initial values.
    if not isinstance(value, Tensor) or not value.dtype.is_differentiable:
        return value
    return bind(prims.while_p, (value, *inits))


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
