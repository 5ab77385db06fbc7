"""tf.cond and tf.while_loop results carry no gradient (as if their outputs were stop_gradient'ed)."""  # noqa: E501 - the one-line description sensitivity prints

from ._base import install

AREA = "none-vs-zeros"
TOUCHES = ("cond", "while_loop")
SEEN_IN = ""
HINTS = ("control_flow", "while", "cond")

tf = install(globals())


def cond(pred, true_fn=None, false_fn=None, name=None):
    return tf.nest.map_structure(tf.stop_gradient, tf.cond(pred, true_fn, false_fn, name=name))


def while_loop(cond, body, loop_vars, **kwargs):
    return tf.nest.map_structure(tf.stop_gradient, tf.while_loop(cond, body, loop_vars, **kwargs))
