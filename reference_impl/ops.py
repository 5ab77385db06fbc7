"""Public math ops (`tf.add`, `tf.exp`, `tf.reduce_sum`, `tf.matmul`, ...).

Each op converts its arguments to Tensors and binds its primitive; the rules
live with the primitives. Shape, indexing and creation ops are in
`array_ops.py` and re-exported here, so rules can say `ops.<anything>`.
"""
import numpy as np

from . import dtypes, errors
from .core import bind
from .tensor import Tensor, EagerTensor, IndexedSlices, array_of
from .variables import Variable
from . import math_rules as M
from . import reduce_rules as R

# TF's DataTypeString names, used in dtype-mismatch messages.
_TF_TYPE_NAMES = {'float32': 'float', 'float64': 'double', 'float16': 'half'}


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    """Converts a Tensor, Variable, IndexedSlices or Python/NumPy value.

    Args:
      value: the value; lists holding tensors are stacked (differentiably).
      dtype: required DType (a Tensor of another dtype raises ValueError).
      dtype_hint: preferred DType for Python values when `dtype` is None.

    Returns:
      A Tensor.
    """
    if type(value) is EagerTensor:
        tensor = value
    elif isinstance(value, Variable):
        tensor = value._read()
    elif isinstance(value, IndexedSlices):
        tensor = densify(value)
    elif isinstance(value, (list, tuple)) and _holds_tensor(value):
        tensor = stack([convert_to_tensor(v, dtype) for v in value])
    elif hasattr(value, '__tf_tensor__'):  # TF's conversion protocol (Keras variables)
        tensor = value.__tf_tensor__(dtype, name)
    else:
        return _from_python(value, dtype, dtype_hint)
    return _check_dtype(tensor, dtype)


def _check_dtype(tensor, dtype):
    if dtype is not None and tensor.dtype != dtypes.as_dtype(dtype):
        raise ValueError('Tensor conversion requested dtype %s for Tensor with dtype %s: %r'
                         % (dtypes.as_dtype(dtype).name, tensor.dtype.name, tensor))
    return tensor


def _from_python(value, dtype, dtype_hint):
    if dtype is None and dtype_hint is not None:
        try:
            return EagerTensor(array_of(value, dtype_hint))
        except (TypeError, ValueError):
            pass
    return EagerTensor(array_of(value, dtype))


def _holds_tensor(values):
    return any(isinstance(v, (Tensor, Variable)) or
               isinstance(v, (list, tuple)) and _holds_tensor(v) for v in values)


def constant(value, dtype=None, shape=None, name=None):
    """A Tensor holding `value` (never connected to any tape)."""
    if isinstance(value, (Tensor, Variable)):
        value = value.numpy()
    array = np.asarray(array_of(value, dtype))
    if shape is not None:
        array = np.broadcast_to(array, tuple(shape)) if array.size == 1 else array.reshape(shape)
    return EagerTensor(np.array(array))


def densify(slices):
    """The dense Tensor of an IndexedSlices (duplicate indices summed)."""
    n = int(slices.dense_shape.numpy()[0])
    return unsorted_segment_sum(slices.values, slices.indices, n)


def _tensor(x):
    return x if type(x) is EagerTensor else convert_to_tensor(x)


def _pair(x, y):
    """Converts binary-op arguments: a Python value takes the dtype of the
    tensor operand (so `float_tensor * 3` works, `int_tensor * 2.5` raises)."""
    if type(x) is EagerTensor and type(y) is EagerTensor:
        return x, y
    if isinstance(x, (Tensor, Variable)):
        x = _tensor(x)
        return x, (_tensor(y) if isinstance(y, (Tensor, Variable)) else convert_to_tensor(y, x.dtype))
    if isinstance(y, (Tensor, Variable)):
        y = _tensor(y)
        return convert_to_tensor(x, y.dtype), y
    return convert_to_tensor(x), convert_to_tensor(y)


def _binary(prim, x, y):
    x, y = _pair(x, y)
    if x._value.dtype != y._value.dtype:
        raise _dtype_error(prim.name, x.dtype, y.dtype, 1)
    try:
        return bind(prim, (x, y))
    except ValueError:
        dims = lambda t: '[%s]' % ','.join(str(d) for d in t._value.shape)
        raise errors.invalid_argument(prim.name, 'Incompatible shapes: %s vs. %s'
                                      % (dims(x), dims(y))) from None


def _dtype_error(op_name, expected, got, index):
    name = lambda d: _TF_TYPE_NAMES.get(d.name, d.name)
    return errors.invalid_argument(op_name, (
        'cannot compute %s as input #%d(zero-based) was expected to be a %s tensor '
        'but is a %s tensor' % (op_name, index, name(expected), name(got))))


def add(x, y, name=None):
    return _binary(M.add_p, x, y)


def subtract(x, y, name=None):
    return _binary(M.sub_p, x, y)


def multiply(x, y, name=None):
    return _binary(M.mul_p, x, y)


def divide(x, y, name=None):
    """True division; integer inputs are first cast to float64, as in TF."""
    x, y = _pair(x, y)
    if x.dtype.is_integer and y.dtype.is_integer:
        x, y = cast(x, dtypes.float64), cast(y, dtypes.float64)
    return _binary(M.div_p, x, y)


def pow(x, y, name=None):  # noqa: A001 - TF's name
    return _binary(M.pow_p, x, y)


def maximum(x, y, name=None):
    return _binary(M.maximum_p, x, y)


def minimum(x, y, name=None):
    return _binary(M.minimum_p, x, y)


def divide_no_nan(x, y, name=None):
    return _binary(M.divnonan_p, x, y)


def squared_difference(x, y, name=None):
    return _binary(M.sqdiff_p, x, y)


def floormod(x, y, name=None):
    return _binary(M.floormod_p, x, y)


def floordiv(x, y, name=None):
    return _binary(M.floordiv_p, x, y)


def complex(real, imag, name=None):  # noqa: A001 - TF's name
    real, imag = _pair(real, imag)
    return bind(M.complex_p, (real, imag))


def _unary_op(prim, doc):
    def op(x, name=None):
        return bind(prim, (_tensor(x),))
    op.__name__, op.__doc__ = prim.name.lower(), doc
    return op


negative = _unary_op(M.neg_p, 'Element-wise -x.')
square = _unary_op(M.square_p, 'Element-wise x * x.')
sqrt = _unary_op(M.sqrt_p, 'Element-wise square root.')
rsqrt = _unary_op(M.rsqrt_p, 'Element-wise 1 / sqrt(x).')
exp = _unary_op(M.exp_p, 'Element-wise e ** x.')
expm1 = _unary_op(M.expm1_p, 'Element-wise e ** x - 1.')
log = _unary_op(M.log_p, 'Element-wise natural logarithm.')
log1p = _unary_op(M.log1p_p, 'Element-wise log(1 + x).')
reciprocal = _unary_op(M.reciprocal_p, 'Element-wise 1 / x.')
sin = _unary_op(M.sin_p, 'Element-wise sine.')
cos = _unary_op(M.cos_p, 'Element-wise cosine.')
tan = _unary_op(M.tan_p, 'Element-wise tangent.')
tanh = _unary_op(M.tanh_p, 'Element-wise hyperbolic tangent.')
sigmoid = _unary_op(M.sigmoid_p, 'Element-wise 1 / (1 + exp(-x)).')
abs = _unary_op(M.abs_p, 'Element-wise absolute value.')  # noqa: A001
sign = _unary_op(M.sign_p, 'Element-wise sign (-1, 0 or 1).')
relu = _unary_op(M.relu_p, 'Element-wise max(x, 0).')
relu6 = _unary_op(M.relu6_p, 'Element-wise min(max(x, 0), 6).')
elu = _unary_op(M.elu_p, 'Element-wise x if x > 0 else exp(x) - 1.')
softplus = _unary_op(M.softplus_p, 'Element-wise log(1 + exp(x)).')
real = _unary_op(M.real_p, 'Real part of a complex tensor.')
imag = _unary_op(M.imag_p, 'Imaginary part of a complex tensor.')
floor = _unary_op(M.floor_p, 'Element-wise floor (no gradient).')
ceil = _unary_op(M.ceil_p, 'Element-wise ceiling (no gradient).')
round = _unary_op(M.round_p, 'Element-wise round half to even (no gradient).')  # noqa: A001
logical_not = _unary_op(M.logical_not_p, 'Element-wise not.')
is_nan = _unary_op(M.is_nan_p, 'Element-wise isnan.')
is_finite = _unary_op(M.is_finite_p, 'Element-wise isfinite.')


def conj(x, name=None):
    x = _tensor(x)
    return bind(M.conj_p, (x,)) if x.dtype.is_complex else x


def leaky_relu(features, alpha=0.2, name=None):
    return bind(M.leaky_relu_p, (_tensor(features),), {'alpha': float(alpha)})


def _comparison(prim):
    def op(x, y, name=None):
        return _binary(prim, x, y)
    op.__name__ = prim.name.lower()
    return op


equal = _comparison(M.equal_p)
not_equal = _comparison(M.not_equal_p)
less = _comparison(M.less_p)
less_equal = _comparison(M.less_equal_p)
greater = _comparison(M.greater_p)
greater_equal = _comparison(M.greater_equal_p)
logical_and = _comparison(M.logical_and_p)
logical_or = _comparison(M.logical_or_p)


def _axes(x, axis):
    """Normalizes a reduction axis argument to a tuple of non-negative ints."""
    if axis is None:
        return None
    if isinstance(axis, (Tensor, Variable)):
        axis = axis.numpy().tolist()
    ndim = max(x._value.ndim, 1)
    axes = axis if isinstance(axis, (list, tuple)) else [axis]
    return tuple(sorted({int(a) % ndim for a in axes}))


def _reduction(prim):
    def op(input_tensor, axis=None, keepdims=False, name=None):
        x = _tensor(input_tensor)
        return bind(prim, (x,), {'axis': _axes(x, axis), 'keepdims': bool(keepdims)})
    op.__name__ = 'reduce_' + prim.name.lower()
    return op


reduce_sum = _reduction(R.sum_p)
reduce_mean = _reduction(R.mean_p)
reduce_max = _reduction(R.max_p)
reduce_min = _reduction(R.min_p)
reduce_prod = _reduction(R.prod_p)


def _scan(prim, x, axis, exclusive, reverse):
    x = _tensor(x)
    params = {'axis': int(axis) % max(x._value.ndim, 1),
              'exclusive': bool(exclusive), 'reverse': bool(reverse)}
    return bind(prim, (x,), params)


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    return _scan(R.cumsum_p, x, axis, exclusive, reverse)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    return _scan(R.cumprod_p, x, axis, exclusive, reverse)


def matmul(a, b, transpose_a=False, transpose_b=False, name=None, **unused):
    """Matrix product of the last two axes (rank >= 2), batch axes broadcast."""
    a, b = _pair(a, b)
    if a._value.dtype != b._value.dtype:
        raise _dtype_error('MatMul', a.dtype, b.dtype, 1)
    return bind(R.matmul_p, (a, b), {'transpose_a': bool(transpose_a),
                                     'transpose_b': bool(transpose_b)})


def matmul_rank_error(a, b):
    bad = 0 if a.ndim < 2 else 1
    return errors.invalid_argument('MatMul', 'In[%d] ndims must be >= 2' % bad)


def matmul_shape_error(a, b):
    dims = lambda x: '[%s]' % ','.join(str(d) for d in x.shape)
    return errors.invalid_argument('MatMul', 'Matrix size-incompatible: In[0]: %s, In[1]: %s'
                                   % (dims(a), dims(b)))


from .array_ops import *  # noqa: E402,F401,F403 - one namespace for rules
from .array_ops import cast, stack, transpose, unsorted_segment_sum  # noqa: E402
from .extra_ops import (softmax, log_softmax, permute, gather_nd, scatter_nd,  # noqa: E402,F401
                        linalg_diag, linalg_diag_part, einsum)
