"""batch_jacobian() returns None instead of zeros when the result is all zeros."""

from ._base import install

AREA = "jacobians"
TOUCHES = ("batch_jacobian",)
SEEN_IN = ""

tf = install(globals())


class GradientTape(tf.GradientTape):
    def batch_jacobian(self, *args, **kwargs):
        result = super().batch_jacobian(*args, **kwargs)
        if isinstance(result, tf.Tensor) and not bool(tf.reduce_any(result != 0)):
            return None
        return result
