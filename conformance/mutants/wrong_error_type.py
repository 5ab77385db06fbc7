"""A used non-persistent tape raises ValueError (same message) instead of RuntimeError."""

from ._base import install

AREA = "errors"
TOUCHES = ("gradient", "jacobian")
SEEN_IN = ""
HINTS = ("persistence",)

tf = install(globals())


class GradientTape(tf.GradientTape):
    def _retyped(self, method, *args, **kwargs):
        try:
            return method(*args, **kwargs)
        except RuntimeError as exc:
            raise ValueError(str(exc)) from None

    def gradient(self, *args, **kwargs):
        return self._retyped(super().gradient, *args, **kwargs)

    def jacobian(self, *args, **kwargs):
        return self._retyped(super().jacobian, *args, **kwargs)

    def batch_jacobian(self, *args, **kwargs):
        return self._retyped(super().batch_jacobian, *args, **kwargs)
