"""Element-wise and activation primitives with their NumPy forwards.

Binary ops broadcast. The `*Grad` primitives are TF's gradient ops of the
ReLU family (they have rules of their own, so second derivatives are exact).
"""

import numpy as np

from ..core.registry import primitive

# ------------------------------ binary ops ------------------------------

add_p = primitive("AddV2", np.add)
sub_p = primitive("Sub", np.subtract)
mul_p = primitive("Mul", np.multiply)
div_p = primitive("RealDiv", np.true_divide)


def _pow(x, y):
    # NB: TensorFlow's complex pow is exp(y * log(x)), so 0j ** 0j is NaN (not
    # NumPy's 1) and 0j ** -1 is inf+nanj; real pow is NumPy's.
    if x.dtype.kind == "c":
        return np.exp(y * np.log(x)).astype(x.dtype, copy=False)
    return np.power(x, y)


pow_p = primitive("Pow", _pow)
maximum_p = primitive("Maximum", np.maximum)
minimum_p = primitive("Minimum", np.minimum)


def _div_no_nan(x, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(y == 0, np.zeros_like(x * y), x / np.where(y == 0, 1, y))


divnonan_p = primitive("DivNoNan", _div_no_nan)
# TF's SquaredDifference of complex numbers is |x - y|**2 (a complex with no imaginary part).
sqdiff_p = primitive("SquaredDifference", lambda x, y: (x - y) * np.conj(x - y))
floormod_p = primitive("FloorMod", np.mod)
complex_p = primitive("Complex", lambda re, im: re + 1j * im)

# ------------------------------ unary ops -------------------------------

neg_p = primitive("Neg", np.negative)
square_p = primitive("Square", np.square)
sqrt_p = primitive("Sqrt", np.sqrt)
rsqrt_p = primitive("Rsqrt", lambda x: 1 / np.sqrt(x))
exp_p = primitive("Exp", np.exp)
expm1_p = primitive("Expm1", np.expm1)
log_p = primitive("Log", np.log)
log1p_p = primitive("Log1p", np.log1p)
reciprocal_p = primitive("Reciprocal", np.reciprocal)
sin_p = primitive("Sin", np.sin)
cos_p = primitive("Cos", np.cos)
tan_p = primitive("Tan", np.tan)
tanh_p = primitive("Tanh", np.tanh)
sinh_p = primitive("Sinh", np.sinh)
cosh_p = primitive("Cosh", np.cosh)
asin_p = primitive("Asin", np.arcsin)
acos_p = primitive("Acos", np.arccos)
atan_p = primitive("Atan", np.arctan)
asinh_p = primitive("Asinh", np.arcsinh)
acosh_p = primitive("Acosh", np.arccosh)
atanh_p = primitive("Atanh", np.arctanh)
atan2_p = primitive("Atan2", np.arctan2)


def _erf(x):
    import math

    return np.vectorize(math.erf, otypes=[x.dtype])(x) if x.size else x.copy()


erf_p = primitive("Erf", _erf)


def _masked(fn):
    """TF's Xlogy / Xdivy / Xlog1py: 0 wherever x == 0, whatever y is."""

    def impl(x, y):
        with np.errstate(divide="ignore", invalid="ignore"):
            out = fn(x, y)
        return np.where(x == 0, np.zeros_like(out), out)

    return impl


xlogy_p = primitive("Xlogy", _masked(lambda x, y: x * np.log(y)))
xdivy_p = primitive("Xdivy", _masked(lambda x, y: x / y))
xlog1py_p = primitive("Xlog1py", _masked(lambda x, y: x * np.log1p(y)))


def _sigmoid(x):
    with np.errstate(over="ignore"):
        return (1 / (1 + np.exp(-x))).astype(x.dtype, copy=False)


sigmoid_p = primitive("Sigmoid", _sigmoid)
abs_p = primitive("Abs", np.abs)
sign_p = primitive("Sign", np.sign)
real_p = primitive("Real", np.real)
imag_p = primitive("Imag", np.imag)
conj_p = primitive("Conj", np.conj)

# ----------------------------- activations -----------------------------


def _times_mask(g, mask):
    # A boolean mask multiplies in one pass; a numeric one must match g's dtype.
    return g * (mask if mask.dtype == np.bool_ else mask.astype(g.dtype))


def _kernel_grad(name, scale):
    """A TF "XxxGrad" kernel of y and dy: dy * scale(y), and 0 wherever dy is 0
    (even where scale(y) is inf or NaN)."""

    def impl(y, dy):
        value = dy * scale(y)
        return np.where(dy == 0, np.zeros((), value.dtype), value).astype(dy.dtype, copy=False)

    return primitive(name, impl)


sqrt_grad_p = _kernel_grad("SqrtGrad", lambda y: 0.5 / np.conj(y))
rsqrt_grad_p = _kernel_grad("RsqrtGrad", lambda y: -0.5 * np.conj(y) ** 3)
reciprocal_grad_p = _kernel_grad("ReciprocalGrad", lambda y: -(np.conj(y) ** 2))


def masked_grad(name, mask):
    """A TF "XxxGrad" op: g * mask(x) (its rules are in rules/math.py)."""
    return primitive(name, lambda g, x, **params: _times_mask(g, mask(x, **params)))


relu_grad_p = masked_grad("ReluGrad", lambda y: y > 0)
relu_p = primitive("Relu", lambda x: np.maximum(x, np.zeros((), x.dtype)))
relu6_grad_p = masked_grad("Relu6Grad", lambda y: (y > 0) & (y < 6))
relu6_p = primitive("Relu6", lambda x: np.clip(x, 0, 6).astype(x.dtype, copy=False))
leaky_grad_p = masked_grad("LeakyReluGrad", lambda x, alpha: np.where(x > 0, 1, alpha))
leaky_relu_p = primitive("LeakyRelu", lambda x, alpha: np.where(x > 0, x, x * x.dtype.type(alpha)))
elu_p = primitive("Elu", lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))))
softplus_p = primitive("Softplus", lambda x: np.logaddexp(np.zeros((), x.dtype), x))


def _softmax(x):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def _log_softmax(x):
    shifted = x - np.max(x, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


# Softmax and LogSoftmax work on the last axis (ops/math.py moves others there).
softmax_p = primitive("Softmax", _softmax)
log_softmax_p = primitive("LogSoftmax", _log_softmax)
