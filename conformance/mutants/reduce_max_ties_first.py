"""reduce_max / reduce_min give a tie's whole gradient to the first tied element instead of splitting it."""  # noqa: E501 - the one-line description sensitivity prints

from ._base import Overlay, install

AREA = "numerics"
TOUCHES = ("reduce_max", "reduce_min")
SEEN_IN = "https://github.com/pytorch/pytorch/pull/155071"

tf = install(globals())


def _first_wins(reduce, arg):
    def first(input_tensor, axis=None, keepdims=False, name=None):
        x = tf.convert_to_tensor(input_tensor)
        if not x.dtype.is_floating or (axis is not None and not isinstance(axis, int)):
            return reduce(x, axis=axis, keepdims=keepdims, name=name)
        flat = x if axis is not None else tf.reshape(x, [-1])
        along = axis if axis is not None else 0
        chosen = tf.one_hot(
            arg(flat, axis=along), tf.shape(flat)[along], axis=along, on_value=True, off_value=False
        )
        picked = tf.where(chosen, flat, tf.zeros_like(flat))
        return tf.reduce_sum(picked, axis=along, keepdims=keepdims and axis is not None)

    first.__name__ = reduce.__name__
    return first


reduce_max = _first_wins(tf.reduce_max, tf.argmax)
reduce_min = _first_wins(tf.reduce_min, tf.argmin)
math = Overlay(tf.math, reduce_max=reduce_max, reduce_min=reduce_min)
