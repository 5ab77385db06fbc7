"""VJP and JVP rules of the control-flow primitives (graph mode's `cond` and
`while_loop` joins)."""

from .. import ops
from ..core.registry import defjvp_argnum, defvjp_argnum
from ..core.trace import bind
from ..prims import control as prims


# The join of tf.cond's two branches in graph mode: If(taken output, *the
# untaken branch's captures). The value is the taken branch's output; the
# captures are connected, with a zero gradient and no tangent. As TF's
# gradient is an If op fed by all of them, that zero gradient is itself
# connected to them (a second derivative is zeros, not None).
def _if_vjp(argnum, g, ans, *inputs):
    if argnum == 0:
        return g
    return bind(prims.if_p, (ops.zeros_like(inputs[argnum]), *inputs))


defvjp_argnum(prims.if_p, _if_vjp)
defjvp_argnum(prims.if_p, lambda argnum, t, ans, *inputs: t if argnum == 0 else None)

# A while_loop output in graph mode: While(output, *the loop's initial values).
# The gradient passes to the output tied (by an If) to the initial values, so
# it is connected to them with a zero second derivative.
defvjp_argnum(
    prims.while_p,
    lambda argnum, g, ans, *inputs: bind(prims.if_p, (g, *inputs[1:])) if argnum == 0 else None,
)
defjvp_argnum(prims.while_p, lambda argnum, t, ans, *inputs: t if argnum == 0 else None)
