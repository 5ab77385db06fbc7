"""`fake`, but ``GradientTape.gradient`` allocates (and touches) memory without bound."""

import numpy as np

from tests.faulty_engines import fake
from tests.faulty_engines.fake import *  # noqa: F403


class GradientTape(fake.GradientTape):
    def gradient(self, target, source):
        hoard = []
        while True:
            hoard.append(np.ones(4_000_000))  # 32 MB, written so it is resident
