"""The ``reference`` engine: the suite's own NumPy engine, `reference_impl`."""

from __future__ import annotations

from .base import ModuleEngine


class ReferenceEngine(ModuleEngine):
    """`reference_impl` as an engine; resets its global tape state per case."""

    def __init__(self) -> None:
        super().__init__("reference_impl", name="reference")

    def reset(self) -> None:
        reset = getattr(self.namespace, "_reset_state", None)
        if reset is not None:
            reset()
