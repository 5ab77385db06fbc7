"""A small NumPy automatic-differentiation engine with TensorFlow's API.

`import reference_impl as tf` runs short TF 2.x programs that use
`tf.GradientTape`, `tf.autodiff.ForwardAccumulator`, `tf.custom_gradient` and
the common ops, with the semantics TF 2.21 has (see `TF_VERSION`).

Layout, in import order (each layer imports only the ones before it):
`core` (tensor, dtypes, errors, nest, the trace with its Recorder base class
and recorder stack, the primitive registry) -> `prims` (primitives with their
NumPy forwards, by family: math, array, reduce, linalg, control, nograd) ->
`ops` (the public ops, one-line binds, by the same families plus convert and
misc) -> `rules` (VJP and JVP rules by family, with their helpers) ->
`autodiff` (backprop's flat core, tape, jacobian, forward mode,
custom_gradient) -> `state` (variables, module, stateful) -> `api`
(function, composite, keras, saved_model, operator overloads). This module
is only the `tf` namespace built from them.
"""

import types
import warnings

# TF computes inf/NaN silently; so do we (NumPy would warn from our modules).
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"reference_impl\.")

from . import ops as _ops  # noqa: E402
from . import rules as _rules  # noqa: E402,F401 - attaches every VJP/JVP rule
from .api import composite as _composite  # noqa: E402
from .api import keras as _keras  # noqa: E402
from .api import overloads as _overloads  # noqa: E402,F401 - attaches Tensor operators
from .api import saved_model as _saved_model  # noqa: E402
from .api.composite import RaggedTensor, SparseTensor  # noqa: E402
from .api.function import TensorSpec, function, gradients  # noqa: E402,F401
from .autodiff.backprop import UnconnectedGradients  # noqa: E402,F401
from .autodiff.custom_gradient import custom_gradient  # noqa: E402,F401
from .autodiff.forward import ForwardAccumulator  # noqa: E402
from .autodiff.tape import GradientTape  # noqa: E402,F401
from .core import dtypes, errors, nest, trace  # noqa: E402,F401
from .core.dtypes import (  # noqa: E402, F401
    DType,
    as_dtype,
    bfloat16,
    bool,
    complex64,
    complex128,
    double,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    string,
    uint8,
)
from .core.tensor import IndexedSlices, Tensor, TensorShape  # noqa: E402,F401
from .ops import (  # noqa: E402, F401
    abs,
    add,
    add_n,
    argmax,
    argmin,
    broadcast_to,
    cast,
    ceil,
    clip_by_norm,
    clip_by_value,
    complex,
    concat,
    cond,
    conj,
    constant,
    convert_to_tensor,
    cos,
    cumprod,
    cumsum,
    divide,
    divide_no_nan,
    einsum,
    equal,
    exp,
    expand_dims,
    expm1,
    eye,
    fill,
    floor,
    gather,
    gather_nd,
    getitem,
    greater,
    greater_equal,
    identity,
    imag,
    is_tensor,
    less,
    less_equal,
    linspace,
    log,
    log1p,
    logical_and,
    logical_not,
    logical_or,
    matmul,
    maximum,
    minimum,
    multiply,
    negative,
    norm,
    not_equal,
    one_hot,
    ones,
    ones_like,
    pow,
    range,
    rank,
    real,
    reciprocal,
    reduce_all,
    reduce_any,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_prod,
    reduce_sum,
    reshape,
    round,
    rsqrt,
    scatter_nd,
    shape,
    sigmoid,
    sign,
    sin,
    size,
    slice_index,
    softplus,
    sort,
    sqrt,
    square,
    squared_difference,
    squeeze,
    stack,
    stop_gradient,
    string_length,
    subtract,
    tan,
    tanh,
    tile,
    transpose,
    unslice,
    unsorted_segment_sum,
    unstack,
    where,
    while_loop,
    zeros,
    zeros_like,
)
from .state import stateful as _stateful  # noqa: E402
from .state.module import Module  # noqa: E402,F401
from .state.variables import Variable  # noqa: E402,F401

__version__ = "0.1.0"
TF_VERSION = "2.21.0"  # the TensorFlow release whose semantics this follows
newaxis = None
truediv = divide
realdiv = divide


def _reset_state():
    """Clears global state (active tapes/accumulators, log counters)."""
    trace.reset()


def _namespace(name, **members):
    module = types.ModuleType(f"{__name__}.{name}")
    module.__dict__.update(members)
    return module


def _op_table(names):
    """name -> public op, for the names the ops package has."""
    return {n: getattr(_ops, n) for n in names if hasattr(_ops, n)}


_MATH_NAMES = [
    "add",
    "subtract",
    "multiply",
    "divide",
    "pow",
    "maximum",
    "minimum",
    "negative",
    "square",
    "sqrt",
    "rsqrt",
    "exp",
    "expm1",
    "log",
    "log1p",
    "reciprocal",
    "sin",
    "cos",
    "tan",
    "tanh",
    "sigmoid",
    "abs",
    "sign",
    "round",
    "floor",
    "ceil",
    "equal",
    "not_equal",
    "less",
    "less_equal",
    "greater",
    "greater_equal",
    "logical_and",
    "logical_or",
    "logical_not",
    "reduce_sum",
    "reduce_mean",
    "reduce_max",
    "reduce_min",
    "reduce_prod",
    "cumsum",
    "cumprod",
    "divide_no_nan",
    "squared_difference",
    "real",
    "imag",
    "conj",
    "softplus",
    "is_nan",
    "is_finite",
    "argmax",
    "argmin",
    "add_n",
    "floormod",
    "floordiv",
    "reduce_any",
    "reduce_all",
    "count_nonzero",
    "softmax",
    "log_softmax",
    "sinh",
    "cosh",
    "asin",
    "acos",
    "atan",
    "asinh",
    "acosh",
    "atanh",
    "erf",
    "erfc",
    "atan2",
    "softsign",
    "log_sigmoid",
    "xlogy",
    "xdivy",
    "xlog1py",
    "unsorted_segment_sum",
]
math = _namespace("math", truediv=divide, **_op_table(_MATH_NAMES))
nn = _namespace(
    "nn",
    **_op_table(
        [
            "relu",
            "relu6",
            "elu",
            "leaky_relu",
            "softplus",
            "sigmoid",
            "tanh",
            "softmax",
            "log_softmax",
            "softsign",
            "silu",
            "gelu",
            "selu",
        ]
    ),
    embedding_lookup=lambda params, ids, **kw: gather(params, ids),
)
linalg = _namespace(
    "linalg",
    matmul=matmul,
    norm=norm,
    einsum=einsum,
    diag_part=_ops.linalg_diag_part,
    diag=_ops.linalg_diag,
)
autodiff = _namespace("autodiff", ForwardAccumulator=ForwardAccumulator)
strings = _namespace(
    "strings", length=string_length, as_string=_ops.as_string, to_number=_ops.to_number
)
random = _namespace(
    "random",
    shuffle=_ops.shuffle,
    set_seed=_ops.set_seed,
    uniform=_ops.random_uniform,
    normal=_ops.random_normal,
)
image = _namespace("image", adjust_contrast=_ops.adjust_contrast)
data = _namespace("data", Dataset=_stateful.Dataset)
queue = _namespace("queue", FIFOQueue=_stateful.FIFOQueue)
sparse = _namespace(
    "sparse",
    SparseTensor=SparseTensor,
    to_dense=_composite.sparse_to_dense,
    reduce_sum=_composite.sparse_reduce_sum,
)
ragged = _namespace("ragged", constant=_composite.ragged_constant, RaggedTensor=RaggedTensor)
keras = _namespace(
    "keras",
    Variable=_keras.Variable,
    layers=_namespace("keras.layers", Layer=_keras.Layer, Dense=_keras.Dense),
)
saved_model = _namespace(
    "saved_model",
    save=_saved_model.save,
    load=_saved_model.load,
    SaveOptions=_saved_model.SaveOptions,
)
