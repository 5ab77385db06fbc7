"""The ``reference`` engine: the suite's own NumPy engine, `reference_impl`.

Its per-case reset is `ModuleEngine.reset`, which calls the module's
``_reset_state()`` (tape stacks, accumulators, graph recorder).
"""

from __future__ import annotations

from .base import ModuleEngine


class ReferenceEngine(ModuleEngine):
    """`reference_impl` as an engine."""

    def __init__(self) -> None:
        super().__init__("reference_impl", name="reference")
