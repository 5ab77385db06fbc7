"""A non-persistent tape can compute gradients more than once."""

from ._base import install

AREA = "persistence"
TOUCHES = ("GradientTape",)
SEEN_IN = ""
HINTS = ("persistence",)

tf = install(globals())


class GradientTape(tf.GradientTape):
    def __init__(self, persistent=False, watch_accessed_variables=True):
        super().__init__(persistent=True, watch_accessed_variables=watch_accessed_variables)
