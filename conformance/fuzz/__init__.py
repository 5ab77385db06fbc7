"""Differential fuzzing: random autodiff programs on an engine and on TensorFlow.

Pipeline (one module each): `program` (a program as data) → `ops` (the op
catalog) → `generate` (Hypothesis strategies, the seeded sequence) →
`render` (Python source) → `runner` (worker batches, field-level comparison,
signatures) → `session` (a stream of programs, counts) → `shrink`
(Hypothesis search over reductions) → `casewrite` (a YAML case from
TensorFlow's outcome) → `campaign` (the whole run) → `report` and `cli`
(``conformance fuzz``).
"""

from typing import Any

__all__ = ["FuzzConfig", "FuzzResult", "fuzz"]


def __getattr__(name: str) -> Any:
    """The campaign's names, imported on first use (the CLI loads this package for
    every command; Hypothesis is only needed to fuzz)."""
    if name in __all__:
        from . import campaign

        return getattr(campaign, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
