"""The ``tensorflow`` engine: real TensorFlow, imported quietly on first use."""

from __future__ import annotations

import contextlib
import os
import tempfile
from typing import Iterator
from .base import ModuleEngine
from .tf_state import reset_tensorflow_counters


class TensorFlowEngine(ModuleEngine):
    """TensorFlow itself.

    Its reset clears TF's ``log_first_n`` counters and retracing detectors
    (`tf_state`): TF logs some warnings (for example "The dtype of the watched
    tensor must be floating") at most five times per call site and process,
    which would make a case's expected log disappear after it ran a few times
    in one process.
    """

    def __init__(self) -> None:
        super().__init__("tensorflow", name="tensorflow")

    def load(self) -> None:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        with _quiet_native_stderr():
            super().load()

    @property
    def tf_version(self) -> str | None:
        return self.version

    def reset(self) -> None:
        reset_tensorflow_counters()


@contextlib.contextmanager
def _quiet_native_stderr() -> Iterator[None]:
    """Hide the C++ start-up banner TF writes straight to file descriptor 2.

    Those lines (oneDNN notice, "Could not find cuda drivers") are printed
    before TF's own log level applies. If the import fails, its exception
    carries the reason, so nothing of value is lost.
    """
    try:
        saved = os.dup(2)
    except OSError:  # no usable stderr: nothing to hide
        yield
        return
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
