"""The RuntimeError for a used non-persistent tape says something else than TF's message."""

from ._base import install

AREA = "errors"
TOUCHES = ("gradient", "jacobian")
SEEN_IN = ""
HINTS = ("persistence",)

tf = install(globals())
MESSAGE = "This tape was already used; create it with persistent=True to reuse it."


class GradientTape(tf.GradientTape):
    def _reworded(self, method, *args, **kwargs):
        try:
            return method(*args, **kwargs)
        except RuntimeError as exc:
            if "non-persistent" not in str(exc):
                raise
            raise RuntimeError(MESSAGE) from None

    def gradient(self, *args, **kwargs):
        return self._reworded(super().gradient, *args, **kwargs)

    def jacobian(self, *args, **kwargs):
        return self._reworded(super().jacobian, *args, **kwargs)

    def batch_jacobian(self, *args, **kwargs):
        return self._reworded(super().batch_jacobian, *args, **kwargs)
