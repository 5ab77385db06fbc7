"""watch() silently ignores what is not a tensor (None, Python numbers, arrays) instead of raising ValueError."""  # noqa: E501 - the one-line description sensitivity prints

from ._base import install

AREA = "errors"
TOUCHES = ("watch",)
SEEN_IN = ""
HINTS = ("watch-none", "watch-non-tensor", "errors")

tf = install(globals())


class GradientTape(tf.GradientTape):
    def watch(self, tensor):
        kept = [
            t
            for t in tf.nest.flatten(tensor)
            if isinstance(t, (tf.Tensor, tf.Variable)) or tf.is_tensor(t)
        ]
        if kept:
            super().watch(kept)
