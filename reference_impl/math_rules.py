"""Element-wise primitives: forward (NumPy), VJP and JVP side by side.

Binary ops broadcast; their VJPs undo it with `unbroadcast`, their JVPs
broadcast tangents to the output with `broadcast_like`. Gradients of complex
ops follow TF's convention (multiply by the conjugate).
"""
import numpy as np

from . import ops
from .core import bind
from .primitives import (primitive, nondifferentiable, defvjp, defjvp,
                         unbroadcast, broadcast_like, conj, shape_only)


def _mask(cond, like):
    """1.0 where `cond` holds, else 0.0, in `like`'s dtype."""
    return ops.cast(cond, like.dtype)


# ------------------------------ binary ops ------------------------------

add_p = primitive('AddV2', np.add)
defvjp(add_p, lambda g, ans, x, y: unbroadcast(g, x),
              lambda g, ans, x, y: unbroadcast(g, y))
defjvp(add_p, lambda t, ans, x, y: broadcast_like(t, ans),
              lambda t, ans, x, y: broadcast_like(t, ans))
shape_only(add_p, inputs=True, output=True)

sub_p = primitive('Sub', np.subtract)
defvjp(sub_p, lambda g, ans, x, y: unbroadcast(g, x),
              lambda g, ans, x, y: unbroadcast(-g, y))
defjvp(sub_p, lambda t, ans, x, y: broadcast_like(t, ans),
              lambda t, ans, x, y: broadcast_like(-t, ans))
shape_only(sub_p, inputs=True, output=True)

mul_p = primitive('Mul', np.multiply)
defvjp(mul_p, lambda g, ans, x, y: unbroadcast(g * conj(y), x),
              lambda g, ans, x, y: unbroadcast(conj(x) * g, y))
defjvp(mul_p, lambda t, ans, x, y: broadcast_like(t * y, ans),
              lambda t, ans, x, y: broadcast_like(x * t, ans))

div_p = primitive('RealDiv', np.true_divide)
defvjp(div_p, lambda g, ans, x, y: unbroadcast(g / conj(y), x),
              lambda g, ans, x, y: unbroadcast(g * conj(-x / y / y), y))
defjvp(div_p, lambda t, ans, x, y: broadcast_like(t / y, ans),
              lambda t, ans, x, y: broadcast_like(t * (-x / y / y), ans))


def _pow_log_x(x):
    # NB: in TensorFlow d(x**y)/dy uses log(x) only where x > 0 and 0
    # elsewhere, so pow(0, y) has a 0 (not NaN) gradient for the exponent.
    positive = x > 0
    safe_x = ops.where(positive, x, ops.ones_like(x))
    return ops.where(positive, ops.log(safe_x), ops.zeros_like(x))


def pow_vjp_x(g, ans, x, y):
    return unbroadcast(g * y * ops.pow(x, y - ops.ones_like(y)), x)


def pow_vjp_y(g, ans, x, y):
    return unbroadcast(g * ans * _pow_log_x(x), y)


pow_p = primitive('Pow', np.power)
defvjp(pow_p, pow_vjp_x, pow_vjp_y)
defjvp(pow_p, lambda t, ans, x, y: broadcast_like(t * y * ops.pow(x, y - ops.ones_like(y)), ans),
              lambda t, ans, x, y: broadcast_like(t * ans * _pow_log_x(x), ans))


def _select_vjp(first_wins):
    """VJPs for maximum/minimum: the first argument wins ties, like TF."""
    def vjp_x(g, ans, x, y):
        return unbroadcast(g * _mask(first_wins(x, y), g), x)

    def vjp_y(g, ans, x, y):
        return unbroadcast(g * _mask(ops.logical_not(first_wins(x, y)), g), y)
    return vjp_x, vjp_y


def _select_jvp(first_wins):
    def jvp_x(t, ans, x, y):
        return broadcast_like(t * _mask(first_wins(x, y), t), ans)

    def jvp_y(t, ans, x, y):
        return broadcast_like(t * _mask(ops.logical_not(first_wins(x, y)), t), ans)
    return jvp_x, jvp_y


# NB: in TensorFlow tf.maximum/tf.minimum send a tie's whole gradient to the
# first argument (x >= y, resp. x <= y), unlike reduce_max which splits it.
maximum_p = primitive('Maximum', np.maximum)
defvjp(maximum_p, *_select_vjp(lambda x, y: x >= y))
defjvp(maximum_p, *_select_jvp(lambda x, y: x >= y))

minimum_p = primitive('Minimum', np.minimum)
defvjp(minimum_p, *_select_vjp(lambda x, y: x <= y))
defjvp(minimum_p, *_select_jvp(lambda x, y: x <= y))


def _div_no_nan(x, y):
    with np.errstate(divide='ignore', invalid='ignore'):
        return np.where(y == 0, np.zeros_like(x * y), x / np.where(y == 0, 1, y))


divnonan_p = primitive('DivNoNan', _div_no_nan)
defvjp(divnonan_p,
       lambda g, ans, x, y: unbroadcast(ops.divide_no_nan(g, y), x),
       lambda g, ans, x, y: unbroadcast(g * ops.divide_no_nan(ops.divide_no_nan(-x, y), y), y))
defjvp(divnonan_p,
       lambda t, ans, x, y: broadcast_like(ops.divide_no_nan(t, y), ans),
       lambda t, ans, x, y: broadcast_like(t * ops.divide_no_nan(ops.divide_no_nan(-x, y), y), ans))

sqdiff_p = primitive('SquaredDifference', lambda x, y: np.square(x - y))
defvjp(sqdiff_p, lambda g, ans, x, y: unbroadcast(g * (2.0 * (x - y)), x),
                 lambda g, ans, x, y: unbroadcast(-g * (2.0 * (x - y)), y))
defjvp(sqdiff_p, lambda t, ans, x, y: broadcast_like(t * (2.0 * (x - y)), ans),
                 lambda t, ans, x, y: broadcast_like(-t * (2.0 * (x - y)), ans))

floormod_p = primitive('FloorMod', np.mod)
defvjp(floormod_p, lambda g, ans, x, y: unbroadcast(g, x),
                   lambda g, ans, x, y: unbroadcast(-g * ops.floor(x / y), y))
defjvp(floormod_p, lambda t, ans, x, y: broadcast_like(t, ans),
                   lambda t, ans, x, y: broadcast_like(-t * ops.floor(x / y), ans))

complex_p = primitive('Complex', lambda re, im: re + 1j * im)
defvjp(complex_p, lambda g, ans, re, im: ops.real(g), lambda g, ans, re, im: ops.imag(g))
defjvp(complex_p, lambda t, ans, re, im: ops.cast(t, ans.dtype),
                  lambda t, ans, re, im: ops.complex(ops.zeros_like(t), t))

# ------------------------------ unary ops -------------------------------

neg_p = primitive('Neg', np.negative)
defvjp(neg_p, lambda g, ans, x: -g)
defjvp(neg_p, lambda t, ans, x: -t)
shape_only(neg_p, inputs=True, output=True)

square_p = primitive('Square', np.square)
defvjp(square_p, lambda g, ans, x: g * (2.0 * conj(x)))
defjvp(square_p, lambda t, ans, x: t * (2.0 * x))

# NB: in TensorFlow sqrt's gradient is 0.5 * dy / sqrt(x): +inf at 0.
sqrt_p = primitive('Sqrt', np.sqrt)
defvjp(sqrt_p, lambda g, ans, x: g * 0.5 / conj(ans))
defjvp(sqrt_p, lambda t, ans, x: t * 0.5 / ans)

rsqrt_p = primitive('Rsqrt', lambda x: 1 / np.sqrt(x))
defvjp(rsqrt_p, lambda g, ans, x: g * (-0.5 * ans * ans * ans))
defjvp(rsqrt_p, lambda t, ans, x: t * (-0.5 * ans * ans * ans))

exp_p = primitive('Exp', np.exp)
defvjp(exp_p, lambda g, ans, x: g * conj(ans))
defjvp(exp_p, lambda t, ans, x: t * ans)

expm1_p = primitive('Expm1', np.expm1)
defvjp(expm1_p, lambda g, ans, x: g * ops.exp(conj(x)))
defjvp(expm1_p, lambda t, ans, x: t * ops.exp(x))

log_p = primitive('Log', np.log)
defvjp(log_p, lambda g, ans, x: g * ops.reciprocal(conj(x)))
defjvp(log_p, lambda t, ans, x: t * ops.reciprocal(x))

log1p_p = primitive('Log1p', np.log1p)
defvjp(log1p_p, lambda g, ans, x: g * ops.reciprocal(1.0 + conj(x)))
defjvp(log1p_p, lambda t, ans, x: t * ops.reciprocal(1.0 + x))

reciprocal_p = primitive('Reciprocal', np.reciprocal)
defvjp(reciprocal_p, lambda g, ans, x: -g * conj(ans) * conj(ans))
defjvp(reciprocal_p, lambda t, ans, x: -t * ans * ans)

sin_p = primitive('Sin', np.sin)
defvjp(sin_p, lambda g, ans, x: g * ops.cos(conj(x)))
defjvp(sin_p, lambda t, ans, x: t * ops.cos(x))

cos_p = primitive('Cos', np.cos)
defvjp(cos_p, lambda g, ans, x: -g * ops.sin(conj(x)))
defjvp(cos_p, lambda t, ans, x: -t * ops.sin(x))

tan_p = primitive('Tan', np.tan)
defvjp(tan_p, lambda g, ans, x: g * ops.square(ops.reciprocal(ops.cos(conj(x)))))
defjvp(tan_p, lambda t, ans, x: t * ops.square(ops.reciprocal(ops.cos(x))))

tanh_p = primitive('Tanh', np.tanh)
defvjp(tanh_p, lambda g, ans, x: g * (1.0 - conj(ans) * conj(ans)))
defjvp(tanh_p, lambda t, ans, x: t * (1.0 - ans * ans))


def _sigmoid(x):
    with np.errstate(over='ignore'):
        return (1 / (1 + np.exp(-x))).astype(x.dtype, copy=False)


sigmoid_p = primitive('Sigmoid', _sigmoid)
defvjp(sigmoid_p, lambda g, ans, x: g * ans * (1.0 - ans))
defjvp(sigmoid_p, lambda t, ans, x: t * ans * (1.0 - ans))

def abs_vjp(g, ans, x):
    if x.dtype.is_complex:  # TF's ComplexAbs gradient: g * x / |x|
        zeros = ops.zeros_like(g)
        return ops.divide_no_nan(ops.complex(g, zeros) * x, ops.complex(ans, zeros))
    return g * ops.sign(x)


# NB: in TensorFlow abs'(0) = sign(0) = 0, in both modes.
abs_p = primitive('Abs', np.abs)
defvjp(abs_p, abs_vjp)
defjvp(abs_p, lambda t, ans, x: t * ops.sign(x))

# NB: in TensorFlow sign has a registered *zero* gradient (not None), unlike
# round/floor/ceil, which are registered non-differentiable.
sign_p = primitive('Sign', np.sign)
defvjp(sign_p, lambda g, ans, x: ops.zeros_like(x))
defjvp(sign_p, lambda t, ans, x: ops.zeros_like(t))

def _times_mask(g, mask):
    # A boolean mask multiplies in one pass; a numeric one must match g's dtype.
    return g * (mask if mask.dtype == np.bool_ else mask.astype(g.dtype))


def _masked_grad(name, mask):
    """A TF 'XxxGrad' op: g * mask(x). Its own gradient is mask-through for g
    and *zero* (but connected) for x, so second derivatives are 0, not None."""
    prim = primitive(name, lambda g, x, **params: _times_mask(g, mask(x, **params)))
    defvjp(prim, lambda gg, ans, g, x, **params: bind(prim, (gg, x), params),
                 lambda gg, ans, g, x, **params: ops.zeros_like(x))
    defjvp(prim, lambda t, ans, g, x, **params: bind(prim, (t, x), params),
                 lambda t, ans, g, x, **params: ops.zeros_like(ans))
    return prim


# NB: in TensorFlow relu'(0) = 0: ReluGrad multiplies by (output > 0).
relu_grad_p = _masked_grad('ReluGrad', lambda y: y > 0)
relu_p = primitive('Relu', lambda x: np.maximum(x, np.zeros((), x.dtype)))
defvjp(relu_p, lambda g, ans, x: bind(relu_grad_p, (g, ans)))
defjvp(relu_p, lambda t, ans, x: bind(relu_grad_p, (t, ans)))
shape_only(relu_p, inputs=True)

# NB: in TensorFlow relu6' is 0 at both kinks, 0 and 6.
relu6_grad_p = _masked_grad('Relu6Grad', lambda y: (y > 0) & (y < 6))
relu6_p = primitive('Relu6', lambda x: np.clip(x, 0, 6).astype(x.dtype, copy=False))
defvjp(relu6_p, lambda g, ans, x: bind(relu6_grad_p, (g, ans)))
defjvp(relu6_p, lambda t, ans, x: bind(relu6_grad_p, (t, ans)))

# NB: in TensorFlow leaky_relu'(0) = alpha, not 1.
leaky_grad_p = _masked_grad('LeakyReluGrad', lambda x, alpha: np.where(x > 0, 1, alpha))
leaky_relu_p = primitive('LeakyRelu', lambda x, alpha: np.where(x > 0, x, x * x.dtype.type(alpha)))
defvjp(leaky_relu_p, lambda g, ans, x, alpha: bind(leaky_grad_p, (g, x), {'alpha': alpha}))
defjvp(leaky_relu_p, lambda t, ans, x, alpha: bind(leaky_grad_p, (t, x), {'alpha': alpha}))

elu_p = primitive('Elu', lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))))
defvjp(elu_p, lambda g, ans, x: ops.where(ans < 0, g * (ans + 1.0), g))
defjvp(elu_p, lambda t, ans, x: ops.where(ans < 0, t * (ans + 1.0), t))

softplus_p = primitive('Softplus', lambda x: np.logaddexp(np.zeros((), x.dtype), x))
defvjp(softplus_p, lambda g, ans, x: g / (1.0 + ops.exp(-x)))
defjvp(softplus_p, lambda t, ans, x: t / (1.0 + ops.exp(-x)))

real_p = primitive('Real', np.real)
defvjp(real_p, lambda g, ans, x: ops.complex(g, ops.zeros_like(g)))
defjvp(real_p, lambda t, ans, x: ops.real(t))

imag_p = primitive('Imag', np.imag)
defvjp(imag_p, lambda g, ans, x: ops.complex(ops.zeros_like(g), g))
defjvp(imag_p, lambda t, ans, x: ops.imag(t))

conj_p = primitive('Conj', np.conj)
defvjp(conj_p, lambda g, ans, x: ops.conj(g))
defjvp(conj_p, lambda t, ans, x: ops.conj(t))

# --------------------------- no gradient at all ---------------------------

floor_p = nondifferentiable('Floor', np.floor)
ceil_p = nondifferentiable('Ceil', np.ceil)
round_p = nondifferentiable('Round', np.round)  # NumPy and TF both round half to even
floordiv_p = nondifferentiable('FloorDiv', np.floor_divide)
equal_p = nondifferentiable('Equal', np.equal)
not_equal_p = nondifferentiable('NotEqual', np.not_equal)
less_p = nondifferentiable('Less', np.less)
less_equal_p = nondifferentiable('LessEqual', np.less_equal)
greater_p = nondifferentiable('Greater', np.greater)
greater_equal_p = nondifferentiable('GreaterEqual', np.greater_equal)
logical_and_p = nondifferentiable('LogicalAnd', np.logical_and)
logical_or_p = nondifferentiable('LogicalOr', np.logical_or)
logical_not_p = nondifferentiable('LogicalNot', np.logical_not)
is_nan_p = nondifferentiable('IsNan', np.isnan)
is_finite_p = nondifferentiable('IsFinite', np.isfinite)
