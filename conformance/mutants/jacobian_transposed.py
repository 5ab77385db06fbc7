"""jacobian() has shape source.shape + target.shape instead of target.shape + source.shape."""

from ._base import install

AREA = "jacobians"
TOUCHES = ("jacobian",)
SEEN_IN = ""
HINTS = ("shape",)

tf = install(globals())


def _transposed(jac, target):
    if jac is None or not isinstance(jac, tf.Tensor):
        return jac
    split = len(target.shape)
    rank = len(jac.shape)
    return tf.transpose(jac, list(range(split, rank)) + list(range(split)))


class GradientTape(tf.GradientTape):
    def jacobian(self, target, sources, *args, **kwargs):
        result = super().jacobian(target, sources, *args, **kwargs)
        return tf.nest.map_structure(lambda j: _transposed(j, target), result)
