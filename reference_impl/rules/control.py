"""VJP and JVP rules of the control-flow primitives (graph mode's `cond` join)."""

from .. import ops
from ..core.registry import defjvp, defvjp
from ..prims import control as prims

# The join of tf.cond's two branches in graph mode: the value is the taken
# branch's; the untaken branch is connected, with a zero gradient.
defvjp(
    prims.if_p,
    lambda g, ans, taken, untaken: g,
    lambda g, ans, taken, untaken: ops.zeros_like(untaken),
)
defjvp(prims.if_p, lambda t, ans, taken, untaken: t, None)
