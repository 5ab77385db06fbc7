"""The one table of primitives, and the helpers rule authors need.

Each op is registered in `PRIMITIVES` by name. Its rules live next to its
NumPy forward in `math_rules.py`, `array_rules.py` or `reduce_rules.py`:

    exp_p = primitive('Exp', np.exp)
    def exp_vjp(g, ans, x): return g * conj(ans)
    def exp_jvp(t, ans, x): return t * ans
    defvjp(exp_p, exp_vjp)
    defjvp(exp_p, exp_jvp)

A VJP rule for argument i is called as `rule(g, ans, *inputs, **params)` and
returns the gradient for that argument (or None); a JVP rule is called as
`rule(t, ans, *inputs, **params)` with the tangent `t` of argument i and
returns that argument's contribution to the output tangent. Rules are written
with the engine's own ops, so gradients of gradients come for free.
"""
import functools

from .core import Primitive
from . import ops

PRIMITIVES = {}

# Ops registered as having no gradient (TF's `ops.NotDifferentiable`): their
# outputs are never connected, so gradients through them are None.
NONDIFFERENTIABLE = []


def primitive(name, impl):
    """Creates a Primitive and enters it in the table."""
    prim = Primitive(name, impl)
    PRIMITIVES[name] = prim
    return prim


def nondifferentiable(name, impl):
    """Creates a Primitive whose outputs never carry gradients."""
    NONDIFFERENTIABLE.append(name)
    prim = primitive(name, impl)
    prim.nondiff = True
    return prim


def defvjp(prim, *rules, passes_slices=False):
    """Registers one VJP rule per argument (None: no gradient for it)."""
    prim.vjps = list(rules)
    prim.passes_slices = passes_slices


def defjvp(prim, *rules):
    """Registers one JVP rule per argument (None: no tangent through it)."""
    prim.jvps = list(rules)


def shape_only(prim, inputs=False, output=False):
    """Declares that `prim`'s VJP rules read only the shapes and dtypes of its
    inputs and/or output, so tapes keep data-less stand-ins for them.

    # NB: TensorFlow's tape does the same for the ops it lists in
    # `ops_which_dont_need_inputs` / `_outputs` (AddV2, MatMul's output, ...):
    # a value no gradient needs is freed as soon as the program drops it.
    """
    prim.drops_inputs, prim.drops_output = inputs, output


class _ByArgnum:
    """Rule table for ops with any number of inputs (concat, stack):
    `rule(argnum, g, ans, *inputs, **params)` serves every argument."""

    def __init__(self, rule):
        self.rule = rule

    def __getitem__(self, argnum):
        return functools.partial(self.rule, argnum)


def defvjp_argnum(prim, rule):
    prim.vjps = _ByArgnum(rule)


def defjvp_argnum(prim, rule):
    prim.jvps = _ByArgnum(rule)


# ----------------------------- rule helpers -----------------------------

def unbroadcast(g, x):
    """Sums `g` over the axes along which `x` was broadcast.

    Args:
      g: the gradient, shaped like the broadcast result.
      x: the op input the gradient is for.

    Returns:
      `g` reduced to `x`'s shape.
    """
    g_shape, x_shape = g._value.shape, x._value.shape
    if g_shape == x_shape:
        return g
    lead = len(g_shape) - len(x_shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, d in enumerate(x_shape) if d == 1 and g_shape[lead + i] != 1)
    if axes:
        g = ops.reduce_sum(g, axes)
    return ops.reshape(g, x_shape) if g._value.shape != x_shape else g


def broadcast_like(t, ans):
    """Broadcasts a tangent to the output's shape (for JVPs of broadcasting ops)."""
    if t._value.shape == ans._value.shape:
        return t
    return ops.broadcast_to(t, ans._value.shape)


def conj(x):
    """Complex conjugate; free for real tensors. TF's gradients use conj(x)."""
    return ops.conj(x) if x._value.dtype.kind == 'c' else x


def zeros_like(x):
    return ops.zeros_like(x)
