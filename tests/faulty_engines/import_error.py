"""An engine whose import fails."""

raise ImportError("this engine needs libfake.so, which is not installed")
