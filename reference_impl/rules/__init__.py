"""VJP and JVP rules, one module per primitive family (`math`, `array`,
`reduce`, `linalg`, `control`), with the shared `helpers`.

Importing this package attaches every rule to its primitive in `prims/`; the
`tf` namespace (the package's `__init__`) does so once. Rules are one-liners
written with the public ops, next to `# NB: in TensorFlow ...` notes where TF's
choice is not the obvious one.
"""

from . import array, control, linalg, math, reduce  # noqa: F401 - registers the rules
