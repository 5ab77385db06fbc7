"""Public element-wise and activation ops (`tf.add`, `tf.exp`, `tf.nn.relu`,
`tf.nn.softmax`, comparisons, ...) and composites built from them exactly as
TF builds them (`clip_by_value`, `add_n`), so gradients at edge points match.
"""

import numpy as np

from ..core import dtypes, errors
from ..core.trace import bind
from ..prims import math as prims
from ..prims import nograd
from .array import cast, transpose, where
from .convert import as_tensor, dtype_error, tensor_pair


def _dims(t):
    return "[" + ",".join(str(d) for d in t._value.shape) + "]"


def _binary(prim, x, y):
    x, y = tensor_pair(x, y)
    if x._value.dtype != y._value.dtype:
        raise dtype_error(prim.name, x.dtype, y.dtype, 1)
    try:
        return bind(prim, (x, y))
    except ValueError:
        raise errors.invalid_argument(
            prim.name, f"Incompatible shapes: {_dims(x)} vs. {_dims(y)}"
        ) from None


def add(x, y, name=None):
    return _binary(prims.add_p, x, y)


def subtract(x, y, name=None):
    return _binary(prims.sub_p, x, y)


def multiply(x, y, name=None):
    return _binary(prims.mul_p, x, y)


def divide(x, y, name=None):
    """True division; integer inputs are first cast to float64, as in TF."""
    x, y = tensor_pair(x, y)
    if x.dtype.is_integer and y.dtype.is_integer:
        x, y = cast(x, dtypes.float64), cast(y, dtypes.float64)
    return _binary(prims.div_p, x, y)


def pow(x, y, name=None):
    return _binary(prims.pow_p, x, y)


def maximum(x, y, name=None):
    return _binary(prims.maximum_p, x, y)


def minimum(x, y, name=None):
    return _binary(prims.minimum_p, x, y)


def divide_no_nan(x, y, name=None):
    return _binary(prims.divnonan_p, x, y)


def squared_difference(x, y, name=None):
    return _binary(prims.sqdiff_p, x, y)


def floormod(x, y, name=None):
    return _binary(prims.floormod_p, x, y)


def floordiv(x, y, name=None):
    return _binary(nograd.floordiv_p, x, y)


def complex(real, imag, name=None):
    real, imag = tensor_pair(real, imag)
    return bind(prims.complex_p, (real, imag))


def _unary_op(prim, doc):
    def op(x, name=None):
        return bind(prim, (as_tensor(x),))

    op.__name__, op.__doc__ = prim.name.lower(), doc
    return op


negative = _unary_op(prims.neg_p, "Element-wise -x.")
square = _unary_op(prims.square_p, "Element-wise x * x.")
sqrt = _unary_op(prims.sqrt_p, "Element-wise square root.")
rsqrt = _unary_op(prims.rsqrt_p, "Element-wise 1 / sqrt(x).")
exp = _unary_op(prims.exp_p, "Element-wise e ** x.")
expm1 = _unary_op(prims.expm1_p, "Element-wise e ** x - 1.")
log = _unary_op(prims.log_p, "Element-wise natural logarithm.")
log1p = _unary_op(prims.log1p_p, "Element-wise log(1 + x).")
reciprocal = _unary_op(prims.reciprocal_p, "Element-wise 1 / x.")
sin = _unary_op(prims.sin_p, "Element-wise sine.")
cos = _unary_op(prims.cos_p, "Element-wise cosine.")
tan = _unary_op(prims.tan_p, "Element-wise tangent.")
tanh = _unary_op(prims.tanh_p, "Element-wise hyperbolic tangent.")
sigmoid = _unary_op(prims.sigmoid_p, "Element-wise 1 / (1 + exp(-x)).")
abs = _unary_op(prims.abs_p, "Element-wise absolute value.")
sign = _unary_op(prims.sign_p, "Element-wise sign (-1, 0 or 1).")
relu = _unary_op(prims.relu_p, "Element-wise max(x, 0).")
relu6 = _unary_op(prims.relu6_p, "Element-wise min(max(x, 0), 6).")
elu = _unary_op(prims.elu_p, "Element-wise x if x > 0 else exp(x) - 1.")
softplus = _unary_op(prims.softplus_p, "Element-wise log(1 + exp(x)).")
sinh = _unary_op(prims.sinh_p, "Element-wise hyperbolic sine.")
cosh = _unary_op(prims.cosh_p, "Element-wise hyperbolic cosine.")
asin = _unary_op(prims.asin_p, "Element-wise inverse sine.")
acos = _unary_op(prims.acos_p, "Element-wise inverse cosine.")
atan = _unary_op(prims.atan_p, "Element-wise inverse tangent.")
asinh = _unary_op(prims.asinh_p, "Element-wise inverse hyperbolic sine.")
acosh = _unary_op(prims.acosh_p, "Element-wise inverse hyperbolic cosine.")
atanh = _unary_op(prims.atanh_p, "Element-wise inverse hyperbolic tangent.")
erf = _unary_op(prims.erf_p, "Element-wise Gauss error function.")
real = _unary_op(prims.real_p, "Real part of a complex tensor.")
imag = _unary_op(prims.imag_p, "Imaginary part of a complex tensor.")
floor = _unary_op(nograd.floor_p, "Element-wise floor (no gradient).")
ceil = _unary_op(nograd.ceil_p, "Element-wise ceiling (no gradient).")
round = _unary_op(nograd.round_p, "Element-wise round half to even (no gradient).")
logical_not = _unary_op(nograd.logical_not_p, "Element-wise not.")
is_nan = _unary_op(nograd.is_nan_p, "Element-wise isnan.")
is_finite = _unary_op(nograd.is_finite_p, "Element-wise isfinite.")


def conj(x, name=None):
    x = as_tensor(x)
    return bind(prims.conj_p, (x,)) if x.dtype.is_complex else x


def leaky_relu(features, alpha=0.2, name=None):
    # NB: in TensorFlow alpha is a float attr of the LeakyRelu op, so it is
    # rounded to float32 first: on float64 inputs the slope 0.2 is 0.20000000298.
    alpha = float(np.float32(alpha))
    return bind(prims.leaky_relu_p, (as_tensor(features),), {"alpha": alpha})


def _comparison(prim):
    def op(x, y, name=None):
        return _binary(prim, x, y)

    op.__name__ = prim.name.lower()
    return op


equal = _comparison(nograd.equal_p)
not_equal = _comparison(nograd.not_equal_p)
less = _comparison(nograd.less_p)
less_equal = _comparison(nograd.less_equal_p)
greater = _comparison(nograd.greater_p)
greater_equal = _comparison(nograd.greater_equal_p)
logical_and = _comparison(nograd.logical_and_p)
logical_or = _comparison(nograd.logical_or_p)


def softmax(logits, axis=-1, name=None):
    return _last_axis_op(prims.softmax_p, logits, axis)


def log_softmax(logits, axis=-1, name=None):
    return _last_axis_op(prims.log_softmax_p, logits, axis)


def _last_axis_op(prim, x, axis):
    x = as_tensor(x)
    last = x._value.ndim - 1
    axis = int(axis) % max(x._value.ndim, 1)
    if axis == last:
        return bind(prim, (x,))
    perm = list(range(x._value.ndim))
    perm[axis], perm[last] = last, axis
    return transpose(bind(prim, (transpose(x, perm),)), perm)


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """min(max(t, lo), hi) as TF composes it: gradient 1 at both bounds."""
    # NB: in TensorFlow this is minimum(t, hi) then maximum(., lo); ties go
    # to the first argument, so the gradient at a bound is 1, not 0.
    return maximum(minimum(t, clip_value_max), clip_value_min)


def add_n(inputs, name=None):
    total = inputs[0]
    for x in inputs[1:]:
        total = total + x
    return as_tensor(total)


def atan2(y, x, name=None):
    """Element-wise angle of (x, y), broadcasting."""
    return _binary(prims.atan2_p, y, x)


# ------------------- composites of the primitives above -------------------
# Their gradients come from the primitives' rules and equal TF's (TF builds
# most of these from the same pieces); the `safe` operands keep the branch
# `where` does not select finite, so its zero gradient stays zero.


def erfc(x, name=None):
    return 1.0 - erf(as_tensor(x))


def softsign(features, name=None):
    x = as_tensor(features)
    return x / (abs(x) + 1.0)


def log_sigmoid(x, name=None):
    return negative(softplus(negative(as_tensor(x))))


def silu(features, beta=1.0, name=None):
    x = as_tensor(features)
    return x * sigmoid(beta * x)


def gelu(features, approximate=False, name=None):
    x = as_tensor(features)
    if approximate:
        return 0.5 * x * (1.0 + tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)))
    return 0.5 * x * (1.0 + erf(x * 0.7071067811865476))


def selu(features, name=None):
    x = as_tensor(features)
    # NB: TF's SeluGrad takes the linear branch at 0 (outputs < 0 picks the other)
    return 1.0507009873554805 * where(less(x, 0), 1.6732632423543772 * expm1(x), x)


def xlogy(x, y, name=None):
    """x * log(y), and 0 where x == 0 (even where y is 0)."""
    return _binary(prims.xlogy_p, x, y)


def xdivy(x, y, name=None):
    """x / y, and 0 where x == 0."""
    return _binary(prims.xdivy_p, x, y)


def xlog1py(x, y, name=None):
    """x * log1p(y), and 0 where x == 0."""
    return _binary(prims.xlog1py_p, x, y)
