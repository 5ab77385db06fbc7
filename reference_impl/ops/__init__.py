"""The public ops, one module per family, re-exported here so rules and the
upper layers can say `ops.<name>`.

`convert` (conversion, `constant`, creation ops and the argument helpers every
op module shares), `array`, `math`, `reduce`, `linalg`, `control` and `misc`
(strings, random, image). Each op converts its arguments to Tensors and binds
one primitive of `prims/`; its rules are in `rules/`.
"""
from .convert import (  # noqa: F401, A004
    convert_to_tensor, constant, densify, as_tensor, tensor_pair, dtype_error, zeros, ones,
    zeros_like, ones_like, fill, range, linspace, eye, shape, size, rank
)
from .array import (  # noqa: F401, A004
    cast, identity, stop_gradient, reshape, transpose, squeeze, expand_dims, broadcast_to,
    tile, concat, stack, unstack, gather, unsorted_segment_sum, where, slice_index, unslice,
    getitem, permute, sort, gather_nd, scatter_nd, one_hot, argmax, argmin
)
from .math import (  # noqa: F401, A004
    add, subtract, multiply, divide, pow, maximum, minimum, divide_no_nan,
    squared_difference, floormod, floordiv, complex, negative, square, sqrt, rsqrt, exp,
    expm1, log, log1p, reciprocal, sin, cos, tan, tanh, sigmoid, abs, sign, relu, relu6,
    elu, softplus, real, imag, floor, ceil, round, logical_not, is_nan, is_finite, conj,
    leaky_relu, equal, not_equal, less, less_equal, greater, greater_equal, logical_and,
    logical_or, softmax, log_softmax, clip_by_value, add_n
)
from .reduce import (  # noqa: F401, A004
    axes, reduce_sum, reduce_mean, reduce_max, reduce_min, reduce_prod, reduce_any,
    reduce_all, cumsum, cumprod, count_nonzero
)
from .linalg import (  # noqa: F401, A004
    matmul, einsum, linalg_diag_part, linalg_diag, norm, clip_by_norm
)
from .control import (  # noqa: F401, A004
    cond, while_loop
)
from .misc import (  # noqa: F401, A004
    is_tensor, string_length, as_string, to_number, set_seed, shuffle, random_uniform,
    random_normal, adjust_contrast
)
