"""What rule authors need besides the ops: undoing and doing broadcasting
(`unbroadcast`, `broadcast_like`), TF's conjugation convention (`conj`), and
`mask`."""

from .. import ops


def unbroadcast(g, x):
    """Sums `g` over the axes along which `x` was broadcast.

    Args:
      g: the gradient, shaped like the broadcast result.
      x: the op input the gradient is for.

    Returns:
      `g` reduced to `x`'s shape.
    """
    g_shape, x_shape = g._value.shape, x._value.shape
    if g_shape == x_shape:
        return g
    lead = len(g_shape) - len(x_shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, d in enumerate(x_shape) if d == 1 and g_shape[lead + i] != 1
    )
    if axes:
        g = ops.reduce_sum(g, axes)
    return ops.reshape(g, x_shape) if g._value.shape != x_shape else g


def broadcast_like(t, ans):
    """Broadcasts a tangent to the output's shape (for JVPs of broadcasting ops)."""
    if t._value.shape == ans._value.shape:
        return t
    return ops.broadcast_to(t, ans._value.shape)


def conj(x):
    """Complex conjugate; free for real tensors. TF's gradients use conj(x)."""
    return ops.conj(x) if x._value.dtype.kind == "c" else x


def mask(cond, like):
    """1.0 where `cond` holds, else 0.0, in `like`'s dtype."""
    return ops.cast(cond, like.dtype)
