"""An engine whose import kills the process (as a broken native extension would)."""

import os

os.abort()
