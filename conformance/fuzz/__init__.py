"""Differential fuzzing: random autodiff programs on an engine and on TensorFlow.

Pipeline (one module each): `program` (a program as data) → `ops` (the op
catalog) → `generate` (Hypothesis strategies, the seeded sequence) →
`render` (Python source) → `runner` (worker batches, field-level comparison,
signatures) → `session` (a stream of programs, counts) → `shrink`
(Hypothesis search over reductions) → `casewrite` (a YAML case from
TensorFlow's outcome) → `campaign` (the whole run) → `report` and `cli`
(``conformance fuzz``).
"""

from .campaign import FuzzConfig, FuzzResult, fuzz

__all__ = ["FuzzConfig", "FuzzResult", "fuzz"]
