"""`fake`, but ``GradientTape.gradient`` dereferences NULL (SIGSEGV)."""

import ctypes

from tests.faulty_engines import fake
from tests.faulty_engines.fake import *  # noqa: F403


class GradientTape(fake.GradientTape):
    def gradient(self, target, source):
        return ctypes.string_at(0)
