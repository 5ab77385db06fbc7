"""The remaining public ops, all without gradients: `tf.is_tensor`, the
`tf.strings`, `tf.random` and `tf.image` helpers the covered programs use."""

import numpy as np

from ..core import dtypes
from ..core.tensor import EagerTensor, Tensor, VariableBase
from ..core.trace import bind
from ..prims import nograd
from .convert import as_tensor, convert_to_tensor


def is_tensor(x):
    return isinstance(x, (Tensor, VariableBase))


def string_length(input, name=None, unit="BYTE"):
    return bind(nograd.string_length_p, (convert_to_tensor(input),))


def as_string(input, name=None, **unused):
    return bind(nograd.as_string_p, (as_tensor(input),))


def to_number(string_tensor, out_type=dtypes.float32, name=None):
    dtype = dtypes.as_dtype(out_type).np_dtype
    return bind(nograd.to_number_p, (as_tensor(string_tensor),), {"dtype": dtype})


# The global seed of `tf.random.set_seed` (None: unseeded).
_seed: list = [None]


def set_seed(seed):
    _seed[0] = seed


def _rng(seed):
    return np.random.default_rng(seed if seed is not None else _seed[0])


def shuffle(value, seed=None, name=None):
    seed = seed if seed is not None else _seed[0]
    return bind(nograd.shuffle_p, (as_tensor(value),), {"seed": seed})


def random_uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    high = 1 if maxval is None else maxval
    values = _rng(seed).uniform(minval, high, tuple(shape))
    return EagerTensor(values.astype(dtypes.as_dtype(dtype).np_dtype))


def random_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    values = _rng(seed).normal(mean, stddev, tuple(shape))
    return EagerTensor(values.astype(dtypes.as_dtype(dtype).np_dtype))


def adjust_contrast(images, contrast_factor):
    images = as_tensor(images)
    factor = convert_to_tensor(contrast_factor, images.dtype)
    return bind(nograd.adjust_contrast_p, (images, factor))
