"""`fake`, but it prints garbage to stdout and stderr, in Python and natively.

At import and in every ``gradient`` call, it writes bytes that are not
UTF-8, control characters and fake summary lines to file descriptors 1 and 2
and to ``sys.stdout``/``sys.stderr``; its results are still right.
"""

import os
import sys

from tests.faulty_engines import fake
from tests.faulty_engines.fake import *  # noqa: F403

GARBAGE = b'\x00\xff\xfe garbage \x1b[2J\r{"json": broken\npassed: 999 failed: 0\n'


def _spew() -> None:
    os.write(1, GARBAGE)
    os.write(2, GARBAGE)
    print("stdout garbage \u0000\u2603", flush=True)
    print("stderr garbage \u0007", file=sys.stderr, flush=True)


_spew()


class GradientTape(fake.GradientTape):
    def gradient(self, target, source):
        _spew()
        return super().gradient(target, source)
