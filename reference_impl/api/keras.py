"""A deliberately tiny `tf.keras`: `layers.Dense` and the Keras variable.

It reproduces what Keras 3 (which TF 2.21 resolves `tf.keras` to) makes
observable to the tape, and nothing more:

  * layers build lazily on their first call, so an unbuilt layer has no
    variables (`layer.variables == []`);
  * a layer's variables are Keras `Variable`s named 'kernel' and 'bias'
    (path 'dense/kernel'), wrapping a `tf.Variable` named 'dense/kernel:0',
    which is what `tape.watched_variables()` returns;
  * a Keras variable's `dtype` is the *string* 'float32'.
"""

import itertools
import math

import numpy as np

from .. import ops
from ..core import dtypes
from ..state.variables import Variable as TFVariable

_name_counters = {}


def _unique_name(prefix):
    """Keras's automatic names: 'dense', then 'dense_1', 'dense_2', ..."""
    count = next(_name_counters.setdefault(prefix, itertools.count()))
    return prefix if count == 0 else f"{prefix}_{count}"


class Variable:
    """A Keras 3 variable: a named wrapper around a `tf.Variable` (`.value`).

    # NB: in TensorFlow 2.21 with Keras 3, `dtype` is the string 'float32',
    # so TF APIs that ask it for `is_floating` (ForwardAccumulator) fail.
    # The tape accepts it as a source because it "acts as a resource
    # variable": gradients are taken w.r.t. `.value`.
    """

    _should_act_as_resource_variable = True

    def __init__(self, initial_value, name, path, trainable=True):
        self.name, self.path, self.trainable = name, path, trainable
        self.value = TFVariable(initial_value, trainable=trainable, name=path)

    dtype = property(lambda self: self.value.dtype.name)
    shape = property(lambda self: tuple(self.value.shape))

    def __tf_tensor__(self, dtype=None, name=None):
        return ops.convert_to_tensor(self.value, dtype=dtype)

    def numpy(self):
        return self.value.numpy()

    def assign(self, value):
        self.value.assign(value)
        return self

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.numpy(), dtype=dtype)

    def __add__(self, other):
        return ops.add(self.__tf_tensor__(), other)

    def __sub__(self, other):
        return ops.subtract(self.__tf_tensor__(), other)

    def __mul__(self, other):
        return ops.multiply(self.__tf_tensor__(), other)

    def __matmul__(self, other):
        return ops.matmul(self.__tf_tensor__(), other)

    __radd__, __rmul__ = __add__, __mul__

    def __repr__(self):
        return (
            f"<Variable path={self.path}, shape={self.shape}, dtype={self.dtype}, "
            f"value={self.numpy()}>"
        )


def _initializer(spec):
    """A function (shape, dtype) -> array for a Keras initializer name."""
    if callable(spec):
        return spec
    if spec == "glorot_uniform":

        def glorot(shape, dtype):
            limit = math.sqrt(6.0 / (shape[0] + shape[-1]))
            return np.random.default_rng().uniform(-limit, limit, shape).astype(dtype)

        return glorot
    fills = {"zeros": 0.0, "ones": 1.0}
    if spec not in fills:
        raise ValueError(f"Could not interpret initializer identifier: {spec!r}")
    return lambda shape, dtype: np.full(shape, fills[spec], dtype)


_ACTIVATIONS = {
    None: None,
    "linear": None,
    "relu": ops.relu,
    "sigmoid": ops.sigmoid,
    "tanh": ops.tanh,
    "softplus": ops.softplus,
    "elu": ops.elu,
    "softmax": ops.softmax,
}


class Layer:
    """Base layer: builds on the first call, then runs `call`."""

    def __init__(self, name=None, trainable=True, dtype=None, **unused_kwargs):
        self.name = name or _unique_name(_snake_case(type(self).__name__))
        self.trainable = trainable
        self.built = False
        self._weights = []

    def add_weight(self, shape, initializer, name, trainable=True, dtype="float32"):
        value = _initializer(initializer)(tuple(shape), dtypes.as_dtype(dtype).np_dtype)
        variable = Variable(value, name, f"{self.name}/{name}", trainable)
        self._weights.append(variable)
        return variable

    variables = weights = property(lambda self: list(self._weights))
    trainable_variables = property(lambda self: [w for w in self._weights if w.trainable])
    non_trainable_variables = property(lambda self: [w for w in self._weights if not w.trainable])

    def build(self, input_shape):
        self.built = True

    def __call__(self, inputs, *args, **kwargs):
        inputs = ops.convert_to_tensor(inputs, dtype_hint=dtypes.float32)
        if not self.built:
            self.build(inputs.shape)
            self.built = True
        return self.call(inputs, *args, **kwargs)


def _snake_case(name):
    return "".join("_" + c.lower() if c.isupper() and i else c.lower() for i, c in enumerate(name))


class Dense(Layer):
    """`activation(inputs @ kernel + bias)`; kernel shape (in, units)."""

    def __init__(
        self,
        units,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.units, self.use_bias = int(units), use_bias
        self.activation = activation if callable(activation) else _ACTIVATIONS[activation]
        self._initializers = (kernel_initializer, bias_initializer)
        self.kernel = self.bias = None

    def build(self, input_shape):
        kernel_shape = (input_shape[-1], self.units)
        self.kernel = self.add_weight(kernel_shape, self._initializers[0], "kernel")
        if self.use_bias:
            self.bias = self.add_weight((self.units,), self._initializers[1], "bias")
        self.built = True

    def call(self, inputs):
        x = ops.matmul(inputs, self.kernel)
        if self.bias is not None:
            x = ops.add(x, self.bias)
        return x if self.activation is None else self.activation(x)
