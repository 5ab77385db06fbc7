"""GradientTape(watch_accessed_variables=False) still watches every variable it reads."""

from ._base import install

AREA = "watch"
TOUCHES = ("watch_accessed_variables",)
SEEN_IN = ""

tf = install(globals())


class GradientTape(tf.GradientTape):
    def __init__(self, persistent=False, watch_accessed_variables=True):
        super().__init__(persistent=persistent, watch_accessed_variables=True)
