"""Conformance suite for TensorFlow's automatic differentiation.

Pipeline: `loader` (YAML case files → `Case`) → `runner` (run each case on
each engine, via `execute` and `observe`) → `compare` (expectation vs
observation, engine vs engine) → `report` (JSON record, HTML page). Fronts:
`cli` (the ``conformance`` command) and `plugin` (pytest).
"""

__version__ = "0.1.0"
