"""`fake`, but ``GradientTape.gradient`` aborts the process (SIGABRT)."""

import os

from tests.faulty_engines import fake
from tests.faulty_engines.fake import *  # noqa: F403


class GradientTape(fake.GradientTape):
    def gradient(self, target, source):
        os.abort()
