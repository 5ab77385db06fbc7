"""watched_variables() is not in order of construction (it is reversed)."""

from ._base import install

AREA = "watch"
TOUCHES = ("watched_variables",)
SEEN_IN = ""

tf = install(globals())


class GradientTape(tf.GradientTape):
    def watched_variables(self):
        return tuple(reversed(super().watched_variables()))
