"""The ``tensorflow`` engine: real TensorFlow, imported quietly on first use."""

from __future__ import annotations

import os

from .base import ModuleEngine


class TensorFlowEngine(ModuleEngine):
    """TensorFlow itself (loaded like every module engine, without its native
    start-up lines: see `conformance.engines.quiet`; its reset clears TF's
    once-per-process log counters, see `base.reset_tensorflow_logs`)."""

    def __init__(self) -> None:
        super().__init__("tensorflow", name="tensorflow")

    def load(self) -> None:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # later native logs too
        super().load()

    @property
    def tf_version(self) -> str | None:
        return self.version
