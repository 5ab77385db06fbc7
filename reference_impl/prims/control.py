"""Control-flow primitives: the join of `tf.cond`'s two branches in graph mode.

The value is the taken branch's; the untaken branch is connected, with a zero
gradient (see rules/control.py). Eager `cond` and `while_loop` need no
primitive: they run Python control flow and record the ops they run.
"""

from ..core.registry import primitive

if_p = primitive("If", lambda taken, untaken: taken)
