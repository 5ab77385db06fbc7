"""`fake`, but ``GradientTape.gradient`` dereferences NULL (SIGSEGV)."""

import ctypes

from tests.faulty_engines.fake import *  # noqa: F401,F403
from tests.faulty_engines import fake


class GradientTape(fake.GradientTape):
    def gradient(self, target, source):
        return ctypes.string_at(0)
