"""`fake`, but ``GradientTape.gradient`` takes a while (for interrupting runs)."""

import time

from tests.faulty_engines import fake
from tests.faulty_engines.fake import *  # noqa: F403

DELAY = 0.25


class GradientTape(fake.GradientTape):
    def gradient(self, target, source):
        time.sleep(DELAY)
        return super().gradient(target, source)
