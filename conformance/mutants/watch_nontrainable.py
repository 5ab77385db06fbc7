"""Reading a non-trainable Variable under a tape watches it, as if it were trainable."""

from tensorflow.python.eager import tape as _tape
from tensorflow.python.ops import resource_variable_ops as _rv

from ._base import install

AREA = "watch"
TOUCHES = ("trainable",)
SEEN_IN = ""

tf = install(globals())


class Variable(_rv.ResourceVariable):
    """A resource variable whose every read is reported to the tapes."""

    def _read_variable_op(self, no_copy=False):
        if not self.trainable:
            _tape.variable_accessed(self)
        return super()._read_variable_op(no_copy=no_copy)
