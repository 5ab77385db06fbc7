"""watch() of an integer (or string) tensor logs no "must be floating" warning."""

from ._base import dropped_logs, install

AREA = "watch"
TOUCHES = ("watch",)
SEEN_IN = ""
HINTS = ("integer", "int-")

tf = install(globals())


class GradientTape(tf.GradientTape):
    def watch(self, tensor):
        with dropped_logs("The dtype of the watched tensor must be floating"):
            return super().watch(tensor)
