"""Primitives with their NumPy forwards, one module per family.

`math` (element-wise and activation ops), `array` (shape, indexing, selection),
`reduce` (reductions and scans), `linalg` (matmul, einsum, diagonals),
`control` (the graph-mode join of `tf.cond`) and `nograd` (every primitive
without a gradient: non-differentiable ops and ops with no registered rule).
Their rules are in `rules/` under the same family names.
"""
