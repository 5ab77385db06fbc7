"""What a case may change in its process, and how the harness undoes it.

`contract.CaseGuard` is the per-case isolation contract (restore what can be
restored, verify and name what cannot); `state` holds its building blocks,
`tf_state` TensorFlow's globals and `processes` the processes a case starts.
Both executors use it: worker processes (`isolation.worker`) and the
in-process runner (`runner.InProcess`).
"""
