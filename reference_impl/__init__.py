"""A small NumPy automatic-differentiation engine with TensorFlow's API.

`import reference_impl as tf` runs short TF 2.x programs that use
`tf.GradientTape`, `tf.autodiff.ForwardAccumulator`, `tf.custom_gradient` and
the common ops, with the semantics TF 2.21 has (see `TF_VERSION`).

Layout: `core` (bind, recorders) -> `primitives` + `*_rules` (the op table:
forward, VJP, JVP) -> `ops`/`array_ops` (public ops) -> `backprop`/`tape`/
`jacobian` (reverse mode), `forward` (forward mode), `custom_gradient`;
`function` (tf.function's graph-like mode, tf.gradients), `composite`
(SparseTensor, RaggedTensor), `stateful` (tf.data, tf.queue), `keras` (a
tiny Dense) and `saved_model` (in-process save/load) sit on top.
"""
import types
import warnings


# TF computes inf/NaN silently; so do we (NumPy would warn from our modules).
warnings.filterwarnings('ignore', category=RuntimeWarning, module=r'reference_impl\.')

from . import core, dtypes, errors, nest
from . import ops as _ops
from . import overloads as _overloads  # noqa: F401 - attaches Tensor operators
from .array_ops import *  # noqa: F401,F403
from .ops import (convert_to_tensor, constant, add, subtract, multiply, divide, pow,
                  maximum, minimum, negative, square, sqrt, exp, log, sin, cos, tan,
                  tanh, sigmoid, abs, sign, round, floor, ceil, equal, not_equal,
                  less, less_equal, greater, greater_equal, logical_and, logical_or,
                  logical_not, reduce_sum, reduce_mean, reduce_max, reduce_min,
                  reduce_prod, matmul, complex, real, imag, conj, cumsum, cumprod,
                  divide_no_nan, squared_difference, reciprocal, rsqrt, log1p, expm1)
from .dtypes import (DType, float16, bfloat16, float32, float64, int8, int16, int32,
                     int64, uint8, bool, string, complex64, complex128, half, double,
                     as_dtype)
from .tensor import Tensor, TensorShape, IndexedSlices
from .variables import Variable
from .tape import GradientTape
from .backprop import UnconnectedGradients
from .forward import ForwardAccumulator
from .custom_gradient import custom_gradient
from .module import Module
from .extra_ops import (cond, while_loop, clip_by_norm, sort, gather_nd, scatter_nd,
                        reduce_any, reduce_all, is_tensor, einsum)
from . import extra_ops as _extra
from .function import function, gradients, TensorSpec
from . import composite as _composite, stateful as _stateful, keras as _keras
from . import saved_model as _saved_model
from .composite import SparseTensor, RaggedTensor

__version__ = '0.1.0'
TF_VERSION = '2.21.0'  # the TensorFlow release whose semantics this follows
newaxis = None
truediv = divide
realdiv = divide


def _reset_state():
    """Clears global state (active tapes/accumulators, log counters)."""
    core.reset()


def _namespace(name, **members):
    module = types.ModuleType(__name__ + '.' + name)
    module.__dict__.update(members)
    return module


def _op_table(names, *sources):
    """name -> function, looked up in `sources` (default: the ops module)."""
    return {n: getattr(s, n) for s in reversed(sources or (_ops,)) for n in names
            if hasattr(s, n)}


_MATH_NAMES = ['add', 'subtract', 'multiply', 'divide', 'pow', 'maximum', 'minimum',
               'negative', 'square', 'sqrt', 'rsqrt', 'exp', 'expm1', 'log', 'log1p',
               'reciprocal', 'sin', 'cos', 'tan', 'tanh', 'sigmoid', 'abs', 'sign',
               'round', 'floor', 'ceil', 'equal', 'not_equal', 'less', 'less_equal',
               'greater', 'greater_equal', 'logical_and', 'logical_or', 'logical_not',
               'reduce_sum', 'reduce_mean', 'reduce_max', 'reduce_min', 'reduce_prod',
               'cumsum', 'cumprod', 'divide_no_nan', 'squared_difference', 'real',
               'imag', 'conj', 'softplus', 'is_nan', 'is_finite', 'argmax', 'argmin',
               'add_n', 'floormod', 'floordiv', 'reduce_any', 'reduce_all', 'count_nonzero',
               'softmax', 'log_softmax']
math = _namespace('math', truediv=divide, **_op_table(_MATH_NAMES, _ops, _extra))
nn = _namespace('nn', **_op_table(['relu', 'relu6', 'elu', 'leaky_relu', 'softplus',
                                   'sigmoid', 'tanh', 'softmax', 'log_softmax']),
                embedding_lookup=lambda params, ids, **kw: gather(params, ids))  # noqa: F405
linalg = _namespace('linalg', matmul=matmul, norm=norm, einsum=einsum,  # noqa: F405
                    diag_part=_extra.linalg_diag_part, diag=_extra.linalg_diag)
autodiff = _namespace('autodiff', ForwardAccumulator=ForwardAccumulator)
strings = _namespace('strings', length=string_length,  # noqa: F405
                     as_string=_extra.as_string, to_number=_extra.to_number)
random = _namespace('random', shuffle=_extra.shuffle, set_seed=_extra.set_seed,
                    uniform=_extra.random_uniform, normal=_extra.random_normal)
image = _namespace('image', adjust_contrast=_extra.adjust_contrast)
softplus = _ops.softplus
sigmoid = _ops.sigmoid
data = _namespace('data', Dataset=_stateful.Dataset)
queue = _namespace('queue', FIFOQueue=_stateful.FIFOQueue)
sparse = _namespace('sparse', SparseTensor=SparseTensor, to_dense=_composite.sparse_to_dense,
                    reduce_sum=_composite.sparse_reduce_sum)
ragged = _namespace('ragged', constant=_composite.ragged_constant, RaggedTensor=RaggedTensor)
keras = _namespace('keras', Variable=_keras.Variable,
                   layers=_namespace('keras.layers', Layer=_keras.Layer, Dense=_keras.Dense))
saved_model = _namespace('saved_model', save=_saved_model.save, load=_saved_model.load,
                         SaveOptions=_saved_model.SaveOptions)
