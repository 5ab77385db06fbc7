"""tape.reset() does nothing: operations recorded before it still count."""

from ._base import install

AREA = "persistence"
TOUCHES = ("reset",)
SEEN_IN = ""

tf = install(globals())


class GradientTape(tf.GradientTape):
    def reset(self):
        return None
