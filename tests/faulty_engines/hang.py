"""`fake`, but ``GradientTape.gradient`` never returns."""

import time

from tests.faulty_engines import fake
from tests.faulty_engines.fake import *  # noqa: F403


class GradientTape(fake.GradientTape):
    def gradient(self, target, source):
        while True:
            time.sleep(0.05)
