"""The ``tensorflow`` engine: real TensorFlow, imported quietly on first use."""

from __future__ import annotations

import os

from .base import ModuleEngine
from .tf_state import reset_tensorflow_counters


class TensorFlowEngine(ModuleEngine):
    """TensorFlow itself, loaded like every module engine without its native
    start-up lines (`conformance.engines.quiet`).

    Its reset clears TF's ``log_first_n`` counters and retracing detectors
    (`tf_state`): TF logs some warnings (for example "The dtype of the watched
    tensor must be floating") at most five times per call site and process,
    which would make a case's expected log disappear after it ran a few times
    in one process.
    """

    def __init__(self) -> None:
        super().__init__("tensorflow", name="tensorflow")

    def load(self) -> None:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # later native logs too
        super().load()

    @property
    def tf_version(self) -> str | None:
        return self.version

    def reset(self) -> None:
        reset_tensorflow_counters()
