"""Control-flow primitives: the joins of `tf.cond`'s branches and of a
`tf.while_loop`'s outputs in graph mode.

The value is the taken branch's output; the tensors the untaken branch
captured are connected, with a zero gradient (see rules/control.py). Eager
`cond` and `while_loop` need no primitive: they run Python control flow and
record the ops they run.
"""

from ..core.registry import primitive

if_p = primitive("If", lambda taken, *captures: taken)
while_p = primitive("While", lambda value, *inits: value)
