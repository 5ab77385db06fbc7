"""Every primitive without a gradient, with its NumPy forward.

Most are registered non-differentiable (TF's `ops.NotDifferentiable`): their
outputs are never connected, so a gradient through them is None. One,
AdjustContrastv2, simply has no rule: differentiating through it raises.
"""

import numpy as np

from ..core.registry import nondifferentiable, primitive

# NB: in TensorFlow StopGradient is registered non-differentiable, so a path
# through it contributes None in reverse mode and no tangent in forward mode.
stop_gradient_p = nondifferentiable("StopGradient", lambda x: x)

# ------------------------ rounding and comparisons ------------------------

floor_p = nondifferentiable("Floor", np.floor)
ceil_p = nondifferentiable("Ceil", np.ceil)
round_p = nondifferentiable("Round", np.round)  # NumPy and TF both round half to even
floordiv_p = nondifferentiable("FloorDiv", np.floor_divide)
equal_p = nondifferentiable("Equal", np.equal)
not_equal_p = nondifferentiable("NotEqual", np.not_equal)
less_p = nondifferentiable("Less", np.less)
less_equal_p = nondifferentiable("LessEqual", np.less_equal)
greater_p = nondifferentiable("Greater", np.greater)
greater_equal_p = nondifferentiable("GreaterEqual", np.greater_equal)
logical_and_p = nondifferentiable("LogicalAnd", np.logical_and)
logical_or_p = nondifferentiable("LogicalOr", np.logical_or)
logical_not_p = nondifferentiable("LogicalNot", np.logical_not)
is_nan_p = nondifferentiable("IsNan", np.isnan)
is_finite_p = nondifferentiable("IsFinite", np.isfinite)

# ---------------------- integer-valued and boolean ----------------------

argmax_p = nondifferentiable("ArgMax", lambda x, axis, dtype: np.argmax(x, axis).astype(dtype))
argmin_p = nondifferentiable("ArgMin", lambda x, axis, dtype: np.argmin(x, axis).astype(dtype))
one_hot_p = nondifferentiable(
    "OneHot",
    lambda i, depth, on, off, dtype: np.where(
        np.arange(depth) == np.asarray(i)[..., None], on, off
    ).astype(dtype),
)
any_p = nondifferentiable("Any", lambda x, axis, keepdims: np.any(x, axis=axis, keepdims=keepdims))
all_p = nondifferentiable("All", lambda x, axis, keepdims: np.all(x, axis=axis, keepdims=keepdims))

# ------------------------- strings and randomness -------------------------

string_length_p = nondifferentiable("StringLength", np.vectorize(len, otypes=[np.int32]))
as_string_p = nondifferentiable("AsString", np.vectorize(lambda v: b"%f" % v, otypes=[object]))
to_number_p = nondifferentiable(
    "StringToNumber", lambda s, dtype: np.vectorize(lambda b: float(b), otypes=[dtype])(s)
)
# NB: in TensorFlow 2.21 RandomShuffle is registered non-differentiable.
shuffle_p = nondifferentiable(
    "RandomShuffle", lambda x, seed: np.random.default_rng(seed).permutation(x)
)


def _adjust_contrast(images, factor):
    mean = np.mean(images, axis=(-3, -2), keepdims=True)
    return ((images - mean) * factor + mean).astype(images.dtype)


# NB: in TensorFlow AdjustContrastv2 has no registered gradient: differentiating
# through it raises LookupError (forward mode: already when the op runs).
adjust_contrast_p = primitive("AdjustContrastv2", _adjust_contrast)
