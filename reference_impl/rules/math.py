"""VJP and JVP rules of the element-wise and activation primitives.

Binary ops broadcast; their VJPs undo it with `unbroadcast`, their JVPs
broadcast tangents to the output with `broadcast_like`. Gradients of complex
ops follow TF's convention (multiply by the conjugate).
"""

from .. import ops
from ..core.registry import defjvp, defjvp_joint, defvjp, shape_only
from ..core.trace import bind
from ..prims import math as prims
from .helpers import broadcast_like, conj, mask, unbroadcast

# ------------------------------ binary ops ------------------------------

defvjp(prims.add_p, lambda g, ans, x, y: unbroadcast(g, x), lambda g, ans, x, y: unbroadcast(g, y))
defjvp(
    prims.add_p,
    lambda t, ans, x, y: broadcast_like(t, ans),
    lambda t, ans, x, y: broadcast_like(t, ans),
)
shape_only(prims.add_p, inputs=True, output=True)

defvjp(prims.sub_p, lambda g, ans, x, y: unbroadcast(g, x), lambda g, ans, x, y: unbroadcast(-g, y))
defjvp(
    prims.sub_p,
    lambda t, ans, x, y: broadcast_like(t, ans),
    lambda t, ans, x, y: broadcast_like(-t, ans),
)
shape_only(prims.sub_p, inputs=True, output=True)

defvjp(
    prims.mul_p,
    lambda g, ans, x, y: unbroadcast(g * conj(y), x),
    lambda g, ans, x, y: unbroadcast(conj(x) * g, y),
)
defjvp(
    prims.mul_p,
    lambda t, ans, x, y: broadcast_like(t * y, ans),
    lambda t, ans, x, y: broadcast_like(x * t, ans),
)

defvjp(
    prims.div_p,
    lambda g, ans, x, y: unbroadcast(g / conj(y), x),
    lambda g, ans, x, y: unbroadcast(g * conj(-x / y / y), y),
)
defjvp(
    prims.div_p,
    lambda t, ans, x, y: broadcast_like(t / y, ans),
    lambda t, ans, x, y: broadcast_like(t * (-x / y / y), ans),
)


def _pow_log_x(x):
    # NB: in TensorFlow d(x**y)/dy uses log(x) only where x > 0 and 0
    # elsewhere, so pow(0, y) has a 0 (not NaN) gradient for the exponent.
    # For complex x the mask is x != 0 (complex numbers have no order).
    positive = ops.not_equal(x, 0) if x.dtype.is_complex else x > 0
    safe_x = ops.where(positive, x, ops.ones_like(x))
    return ops.where(positive, ops.log(safe_x), ops.zeros_like(x))


# NB: for complex operands TF's gradient uses conj(x), conj(y) and conj(x**y).
def pow_vjp_x(g, ans, x, y):
    return unbroadcast(g * conj(y * ops.pow(x, y - ops.ones_like(y))), x)


def pow_vjp_y(g, ans, x, y):
    return unbroadcast(g * conj(ans * _pow_log_x(x)), y)


defvjp(prims.pow_p, pow_vjp_x, pow_vjp_y)
defjvp(
    prims.pow_p,
    lambda t, ans, x, y: broadcast_like(t * y * ops.pow(x, y - ops.ones_like(y)), ans),
    lambda t, ans, x, y: broadcast_like(t * ans * _pow_log_x(x), ans),
)


def _select_vjp(first_wins):
    """VJPs for maximum/minimum: the first argument wins ties, like TF."""

    def vjp_x(g, ans, x, y):
        return unbroadcast(g * mask(first_wins(x, y), g), x)

    def vjp_y(g, ans, x, y):
        return unbroadcast(g * mask(ops.logical_not(first_wins(x, y)), g), y)

    return vjp_x, vjp_y


def _select_jvp(first_wins):
    def jvp_x(t, ans, x, y):
        return broadcast_like(t * mask(first_wins(x, y), t), ans)

    def jvp_y(t, ans, x, y):
        return broadcast_like(t * mask(ops.logical_not(first_wins(x, y)), t), ans)

    return jvp_x, jvp_y


# NB: in TensorFlow tf.maximum/tf.minimum send a tie's whole gradient to the
# first argument (x >= y, resp. x <= y), unlike reduce_max which splits it.
defvjp(prims.maximum_p, *_select_vjp(lambda x, y: x >= y))
defjvp(prims.maximum_p, *_select_jvp(lambda x, y: x >= y))

defvjp(prims.minimum_p, *_select_vjp(lambda x, y: x <= y))
defjvp(prims.minimum_p, *_select_jvp(lambda x, y: x <= y))

defvjp(
    prims.divnonan_p,
    lambda g, ans, x, y: unbroadcast(ops.divide_no_nan(g, conj(y)), x),
    lambda g, ans, x, y: unbroadcast(g * conj(ops.divide_no_nan(ops.divide_no_nan(-x, y), y)), y),
)
defjvp(
    prims.divnonan_p,
    lambda t, ans, x, y: broadcast_like(ops.divide_no_nan(t, y), ans),
    lambda t, ans, x, y: broadcast_like(t * ops.divide_no_nan(ops.divide_no_nan(-x, y), y), ans),
)

# NB: for complex inputs TF's gradient 2 g (x - y) treats |x - y|**2 as if it
# were holomorphic, so the imaginary part of a cotangent leaks through
# (cases/op_gradient_bugs.yaml). We follow TF.
defvjp(
    prims.sqdiff_p,
    lambda g, ans, x, y: unbroadcast(g * (2.0 * (x - y)), x),
    lambda g, ans, x, y: unbroadcast(-g * (2.0 * (x - y)), y),
)
defjvp(
    prims.sqdiff_p,
    lambda t, ans, x, y: broadcast_like(t * (2.0 * (x - y)), ans),
    lambda t, ans, x, y: broadcast_like(-t * (2.0 * (x - y)), ans),
)

defvjp(
    prims.floormod_p,
    lambda g, ans, x, y: unbroadcast(g, x),
    lambda g, ans, x, y: unbroadcast(-g * ops.floor(x / y), y),
)
defjvp(
    prims.floormod_p,
    lambda t, ans, x, y: broadcast_like(t, ans),
    lambda t, ans, x, y: broadcast_like(-t * ops.floor(x / y), ans),
)

defvjp(prims.complex_p, lambda g, ans, re, im: ops.real(g), lambda g, ans, re, im: ops.imag(g))
defjvp(
    prims.complex_p,
    lambda t, ans, re, im: ops.cast(t, ans.dtype),
    lambda t, ans, re, im: ops.complex(ops.zeros_like(t), t),
)

# ------------------------------ unary ops -------------------------------

defvjp(prims.neg_p, lambda g, ans, x: -g)
defjvp(prims.neg_p, lambda t, ans, x: -t)
shape_only(prims.neg_p, inputs=True, output=True)

defvjp(prims.square_p, lambda g, ans, x: g * (2.0 * conj(x)))
defjvp(prims.square_p, lambda t, ans, x: t * (2.0 * x))


# NB: TensorFlow's SqrtGrad, RsqrtGrad and ReciprocalGrad kernels return 0
# wherever the incoming gradient is 0, even where the derivative is inf or NaN
# (sqrt at 0 or below, 1/x at 0); elsewhere sqrt's gradient is 0.5 * dy / sqrt(x).
# Forward mode: rsqrt's and reciprocal's JVPs are those kernels applied to the
# tangent (a zero tangent gives 0), while sqrt's is 0.5 * t / sqrt(x) (NaN at 0).
def _zero_where_no_grad(g, value):
    return ops.where(ops.equal(g, 0), ops.zeros_like(value), value)


defvjp(prims.sqrt_p, lambda g, ans, x: bind(prims.sqrt_grad_p, (ans, g)))
defjvp(prims.sqrt_p, lambda t, ans, x: t * 0.5 / ans)

defvjp(prims.rsqrt_p, lambda g, ans, x: bind(prims.rsqrt_grad_p, (ans, g)))
defjvp(prims.rsqrt_p, lambda t, ans, x: _zero_where_no_grad(t, t * (-0.5 * ans * ans * ans)))


# The kernels' own rules are TF's (_SqrtGradGrad, _RsqrtGradGrad,
# _ReciprocalGradGrad) for y and dy; their JVPs are those gradients transposed.
# NB: SqrtGrad's JVP, (0.5 t_dy - conj(t_y) out) / conj(y), sums its two terms
# before it divides, so the zero tangent of an unwatched dy adds nothing even
# at y = 0 (forward over reverse of sqrt at 0 is inf, not NaN).
def _sqrt_grad_jvp(tangents, ans, y, dy):
    t_y, t_dy = (ops.zeros_like(x) if t is None else t for t, x in zip(tangents, (y, dy)))
    return (0.5 * t_dy - conj(t_y) * ans) / conj(y)


defvjp(
    prims.sqrt_grad_p,
    lambda g, ans, y, dy: -conj(g / y) * ans,
    lambda g, ans, y, dy: 0.5 * (g / y),
)
defjvp_joint(prims.sqrt_grad_p, _sqrt_grad_jvp)
defvjp(
    prims.rsqrt_grad_p,
    lambda g, ans, y, dy: -1.5 * conj(g) * dy * ops.square(conj(y)),
    lambda g, ans, y, dy: bind(prims.rsqrt_grad_p, (conj(y), g)),
)
defjvp(
    prims.rsqrt_grad_p,
    lambda t, ans, y, dy: -1.5 * dy * ops.square(conj(y)) * conj(t),
    lambda t, ans, y, dy: bind(prims.rsqrt_grad_p, (y, t)),
)
defvjp(
    prims.reciprocal_grad_p,
    lambda g, ans, y, dy: conj(g) * -2.0 * dy * conj(y),
    lambda g, ans, y, dy: bind(prims.reciprocal_grad_p, (conj(y), g)),
)
defjvp(
    prims.reciprocal_grad_p,
    lambda t, ans, y, dy: -2.0 * dy * conj(y) * conj(t),
    lambda t, ans, y, dy: bind(prims.reciprocal_grad_p, (y, t)),
)

defvjp(prims.exp_p, lambda g, ans, x: g * conj(ans))
defjvp(prims.exp_p, lambda t, ans, x: t * ans)

defvjp(prims.expm1_p, lambda g, ans, x: g * ops.exp(conj(x)))
defjvp(prims.expm1_p, lambda t, ans, x: t * ops.exp(x))

defvjp(prims.log_p, lambda g, ans, x: g * ops.reciprocal(conj(x)))
defjvp(prims.log_p, lambda t, ans, x: t * ops.reciprocal(x))

defvjp(prims.log1p_p, lambda g, ans, x: g * ops.reciprocal(1.0 + conj(x)))
defjvp(prims.log1p_p, lambda t, ans, x: t * ops.reciprocal(1.0 + x))

defvjp(prims.reciprocal_p, lambda g, ans, x: bind(prims.reciprocal_grad_p, (ans, g)))
defjvp(prims.reciprocal_p, lambda t, ans, x: _zero_where_no_grad(t, -t * ans * ans))

defvjp(prims.sin_p, lambda g, ans, x: g * ops.cos(conj(x)))
defjvp(prims.sin_p, lambda t, ans, x: t * ops.cos(x))

defvjp(prims.cos_p, lambda g, ans, x: -g * ops.sin(conj(x)))
defjvp(prims.cos_p, lambda t, ans, x: -t * ops.sin(x))

defvjp(prims.tan_p, lambda g, ans, x: g * ops.square(ops.reciprocal(ops.cos(conj(x)))))
defjvp(prims.tan_p, lambda t, ans, x: t * ops.square(ops.reciprocal(ops.cos(x))))

defvjp(prims.tanh_p, lambda g, ans, x: g * (1.0 - conj(ans) * conj(ans)))
defjvp(prims.tanh_p, lambda t, ans, x: t * (1.0 - ans * ans))

defvjp(prims.sigmoid_p, lambda g, ans, x: g * conj(ans * (1.0 - ans)))
defjvp(prims.sigmoid_p, lambda t, ans, x: t * ans * (1.0 - ans))


def abs_vjp(g, ans, x):
    if x.dtype.is_complex:  # TF's ComplexAbs gradient: g * x / |x|
        zeros = ops.zeros_like(g)
        return ops.divide_no_nan(ops.complex(g, zeros) * x, ops.complex(ans, zeros))
    return g * ops.sign(x)


# NB: in TensorFlow abs'(0) = sign(0) = 0, in both modes.
defvjp(prims.abs_p, abs_vjp)


def abs_jvp(t, ans, x):
    if x.dtype.is_complex:  # d|z| = Re(conj(z) dz) / |z|, a real tangent
        return ops.divide_no_nan(ops.real(ops.conj(x) * t), ans)
    return t * ops.sign(x)


defjvp(prims.abs_p, abs_jvp)


# NB: in TensorFlow sign has a registered *zero* gradient (not None), unlike
# round/floor/ceil, which are registered non-differentiable.
def _complex_sign_vjp(g, ans, x):
    # sign(z) = z / |z|: the adjoint of t -> t/r - z Re(conj(z) t) / r**3
    r = ops.complex(ops.abs(x), ops.zeros_like(ops.abs(x)))
    along = ops.complex(ops.real(ops.conj(g) * x), ops.zeros_like(ops.abs(x)))
    return ops.divide_no_nan(g, r) - ops.divide_no_nan(x * along, r * r * r)


def _complex_sign_jvp(t, ans, x):
    r = ops.complex(ops.abs(x), ops.zeros_like(ops.abs(x)))
    along = ops.complex(ops.real(ops.conj(x) * t), ops.zeros_like(ops.abs(x)))
    return ops.divide_no_nan(t, r) - ops.divide_no_nan(x * along, r * r * r)


defvjp(
    prims.sign_p,
    lambda g, ans, x: _complex_sign_vjp(g, ans, x) if x.dtype.is_complex else ops.zeros_like(x),
)
# NB: TF's forward mode gives sign a None tangent for real inputs (a constant op).
defjvp(prims.sign_p, lambda t, ans, x: _complex_sign_jvp(t, ans, x) if x.dtype.is_complex else None)


def _masked_grad_rules(prim):
    """Rules of a TF "XxxGrad" op g * mask(x): mask-through for g and *zero*
    (but connected) for x, so second derivatives are 0, not None."""
    defvjp(
        prim,
        lambda gg, ans, g, x, **params: bind(prim, (gg, x), params),
        lambda gg, ans, g, x, **params: ops.zeros_like(x),
    )
    defjvp(
        prim,
        lambda t, ans, g, x, **params: bind(prim, (t, x), params),
        lambda t, ans, g, x, **params: ops.zeros_like(ans),
    )


for _grad_p in (prims.relu_grad_p, prims.relu6_grad_p, prims.leaky_grad_p):
    _masked_grad_rules(_grad_p)

# NB: in TensorFlow relu'(0) = 0: ReluGrad multiplies by (output > 0).
defvjp(prims.relu_p, lambda g, ans, x: bind(prims.relu_grad_p, (g, ans)))
defjvp(prims.relu_p, lambda t, ans, x: bind(prims.relu_grad_p, (t, ans)))
shape_only(prims.relu_p, inputs=True)

# NB: in TensorFlow relu6' is 0 at both kinks, 0 and 6.
defvjp(prims.relu6_p, lambda g, ans, x: bind(prims.relu6_grad_p, (g, ans)))
defjvp(prims.relu6_p, lambda t, ans, x: bind(prims.relu6_grad_p, (t, ans)))

# NB: in TensorFlow leaky_relu'(0) = alpha, not 1.
defvjp(
    prims.leaky_relu_p, lambda g, ans, x, alpha: bind(prims.leaky_grad_p, (g, x), {"alpha": alpha})
)
defjvp(
    prims.leaky_relu_p, lambda t, ans, x, alpha: bind(prims.leaky_grad_p, (t, x), {"alpha": alpha})
)

defvjp(prims.elu_p, lambda g, ans, x: ops.where(ans < 0, g * (ans + 1.0), g))
defjvp(prims.elu_p, lambda t, ans, x: ops.where(ans < 0, t * (ans + 1.0), t))

defvjp(prims.softplus_p, lambda g, ans, x: g / (1.0 + ops.exp(-x)))
defjvp(prims.softplus_p, lambda t, ans, x: t / (1.0 + ops.exp(-x)))

defvjp(
    prims.real_p, lambda g, ans, x: ops.complex(g, ops.zeros_like(g)) if x.dtype.is_complex else g
)
defjvp(prims.real_p, lambda t, ans, x: ops.real(t))

defvjp(prims.imag_p, lambda g, ans, x: ops.complex(ops.zeros_like(g), g))
defjvp(prims.imag_p, lambda t, ans, x: ops.imag(t))

defvjp(prims.conj_p, lambda g, ans, x: ops.conj(g))
defjvp(prims.conj_p, lambda t, ans, x: ops.conj(t))

# ------------------------------ softmax -------------------------------

defvjp(prims.softmax_p, lambda g, ans, x: (g - ops.reduce_sum(g * ans, -1, keepdims=True)) * ans)
defjvp(prims.softmax_p, lambda t, ans, x: ans * (t - ops.reduce_sum(t * ans, -1, keepdims=True)))

defvjp(
    prims.log_softmax_p, lambda g, ans, x: g - ops.exp(ans) * ops.reduce_sum(g, -1, keepdims=True)
)
defjvp(
    prims.log_softmax_p, lambda t, ans, x: t - ops.reduce_sum(ops.exp(ans) * t, -1, keepdims=True)
)


# --------------------- hyperbolic and inverse trigonometric ---------------------
# d/dx of each, written once and used by both modes (the VJP conjugates it).


def _derivative_rules(prim, derivative):
    defvjp(prim, lambda g, ans, x: g * conj(derivative(x, ans)))
    defjvp(prim, lambda t, ans, x: t * derivative(x, ans))


def _one_minus_square(x):
    return ops.ones_like(x) - x * x


_derivative_rules(prims.sinh_p, lambda x, ans: ops.cosh(x))
_derivative_rules(prims.cosh_p, lambda x, ans: ops.sinh(x))
_derivative_rules(prims.asin_p, lambda x, ans: ops.rsqrt(_one_minus_square(x)))
_derivative_rules(prims.acos_p, lambda x, ans: -ops.rsqrt(_one_minus_square(x)))
_derivative_rules(prims.atan_p, lambda x, ans: ops.reciprocal(ops.ones_like(x) + x * x))
_derivative_rules(prims.asinh_p, lambda x, ans: ops.rsqrt(x * x + ops.ones_like(x)))
_derivative_rules(prims.acosh_p, lambda x, ans: ops.rsqrt(x * x - ops.ones_like(x)))
_derivative_rules(prims.atanh_p, lambda x, ans: ops.reciprocal(_one_minus_square(x)))
_derivative_rules(prims.erf_p, lambda x, ans: 1.1283791670955126 * ops.exp(-(x * x)))


def _atan2_scale(y, x):
    return ops.reciprocal(x * x + y * y)


defvjp(
    prims.atan2_p,
    lambda g, ans, y, x: unbroadcast(g * x * _atan2_scale(y, x), y),
    lambda g, ans, y, x: unbroadcast(-g * y * _atan2_scale(y, x), x),
)
defjvp(
    prims.atan2_p,
    lambda t, ans, y, x: broadcast_like(t * x * _atan2_scale(y, x), ans),
    lambda t, ans, y, x: broadcast_like(-t * y * _atan2_scale(y, x), ans),
)


# ------------------------------ xlogy family ------------------------------
# NB: TF's _XLogyGrad, _XDivyGrad and _XLog1pyGrad multiply by the raw
# partials, without conj: for complex inputs TF's gradient is the conjugate of
# the mathematical one (cases/op_gradient_bugs.yaml). We follow TF.


def _masked_rules(prim, partial_x, partial_y):
    def nonzero(x):
        return ops.cast(ops.not_equal(x, 0), x.dtype)

    defvjp(
        prim,
        lambda g, ans, x, y: unbroadcast(g * partial_x(nonzero(x), y), x),
        lambda g, ans, x, y: unbroadcast(g * partial_y(x, y), y),
    )
    defjvp(
        prim,
        lambda t, ans, x, y: broadcast_like(t * partial_x(nonzero(x), y), ans),
        lambda t, ans, x, y: broadcast_like(t * partial_y(x, y), ans),
    )


_masked_rules(prims.xlogy_p, lambda m, y: ops.xlogy(m, y), lambda x, y: ops.xdivy(x, y))
_masked_rules(prims.xdivy_p, lambda m, y: ops.xdivy(m, y), lambda x, y: ops.xdivy(-x, y * y))
_masked_rules(prims.xlog1py_p, lambda m, y: ops.xlog1py(m, y), lambda x, y: ops.xdivy(x, y + 1.0))
