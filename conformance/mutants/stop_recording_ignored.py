"""tape.stop_recording() does not pause the tape: operations inside it are recorded."""

import contextlib

from ._base import install

AREA = "watch"
TOUCHES = ("stop_recording",)
SEEN_IN = ""

tf = install(globals())


class GradientTape(tf.GradientTape):
    def stop_recording(self):
        return contextlib.nullcontext()
