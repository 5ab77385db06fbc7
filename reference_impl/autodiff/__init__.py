"""Automatic differentiation on top of the ops and rules.

`backprop` (the flat core: `Tape`, the record of one GradientTape, and the
backward pass), `tape` (`tf.GradientTape`, which owns the life cycle and the
begin/end of every gradient and jacobian call), `jacobian` (row loops over the
flat core), `forward` (`tf.autodiff.ForwardAccumulator`, a recorder) and
`custom_gradient` (`tf.custom_gradient`, recorded through the trace).
"""
