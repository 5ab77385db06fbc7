"""ForwardAccumulator ignores the tangent values given and pushes forward ones instead."""

from ._base import Overlay, install

AREA = "forward-mode"
TOUCHES = ("ForwardAccumulator",)
SEEN_IN = ""

tf = install(globals())


def _ones(tangent):
    return tf.ones_like(tangent) if tangent is not None else None


class ForwardAccumulator(tf.autodiff.ForwardAccumulator):
    def __init__(self, primals, tangents):
        super().__init__(primals, tf.nest.map_structure(_ones, tangents))


autodiff = Overlay(tf.autodiff, ForwardAccumulator=ForwardAccumulator)
