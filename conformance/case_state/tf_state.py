"""TensorFlow's process-wide state, for every engine that has TensorFlow imported.

An engine that forwards to TensorFlow shares TensorFlow's globals with the
built-in ``tensorflow`` engine, so the harness handles them for both, not
the engine's ``_reset_state``:

restored after every case: ``tf.config.run_functions_eagerly``, op callbacks
(``tf.debugging.enable_check_numerics``), the global random seed and its
generator, soft device placement, op determinism, TensorFloat-32, the NumPy
behavior switches (dtype conversion mode, NumPy-style slicing, prefer
float32, and the methods it adds to ``tf.Tensor``), Keras' float type, and
counters that make logs depend on history: ``log_first_n`` / ``log_every_n``
counters of TF's and absl's logging, and tf.function's retracing detector
(whose "N out of the last N calls ... triggered tf.function retracing"
warning otherwise counts calls made by earlier cases), and forward mode's
per-op trace counts (after 32 traces of an op, TensorFlow switches that op
to relaxed-shape JVP functions), with its cached JVP functions dropped
when any of the above had changed;

verified (a leak when changed): eager execution still on, no tape or
accumulator left recording, no graph left as the default.
"""

from __future__ import annotations

import sys
from typing import Any

from ..engines.tf_state import reset_tensorflow_counters
from .state import Accessor, Attributes, identical_lists


class TensorFlowState:
    """Snapshot of TensorFlow's globals once an engine imported it."""

    def __init__(self) -> None:
        from tensorflow.python.eager import context
        from tensorflow.python.framework import tensor

        self.context = context
        self.accessors = _accessors()
        self.tensor_class = Attributes([tensor.Tensor])

    @classmethod
    def if_loaded(cls) -> TensorFlowState | None:
        """The snapshot, or None when TensorFlow is not imported (or not usable)."""
        if "tensorflow" not in sys.modules:
            return None
        try:
            return cls()
        except Exception:  # pylint: disable=broad-except - a stub module named tensorflow
            return None

    def leaks(self) -> list[str]:
        """What a case left that TensorFlow cannot undo."""
        from tensorflow.python import pywrap_tfe
        from tensorflow.python.framework import ops

        found = []
        if not self.context.executing_eagerly():
            found.append(
                "eager execution is off (tf.compat.v1.disable_eager_execution, or a "
                "graph left as default)"
            )
        if not pywrap_tfe.TFE_Py_TapeSetIsEmpty():
            found.append("a GradientTape or ForwardAccumulator is still recording")
        if ops._default_graph_stack.stack:  # pylint: disable=protected-access
            found.append("a tf.Graph is still the default graph (as_default() not exited)")
        return found

    def restore(self) -> None:
        changed = [accessor.restore() for accessor in self.accessors]
        changed.append(self.tensor_class.restore())
        reset_log_counters(drop_traces=any(changed))


def reset_log_counters(drop_traces: bool = False) -> None:
    """Forget TF's once-per-call-site counts, retracing history and forward-mode
    trace counts (`engines.tf_state`; `drop_traces`: also every cached JVP
    function), and absl's ``log_first_n`` counts too."""
    reset_tensorflow_counters(drop_traces)
    absl = sys.modules.get("absl.logging")
    counters = getattr(absl, "_log_counter_per_token", None)
    if isinstance(counters, dict):
        counters.clear()


def _accessors() -> list[Accessor]:
    from tensorflow.python.eager import context
    from tensorflow.python.eager.polymorphic_function import eager_function_run as efr
    from tensorflow.python.framework import config, ops
    from tensorflow.python.ops.numpy_ops import np_dtypes

    ctx = context.context()
    found = [
        Accessor(efr.functions_run_eagerly, efr.run_functions_eagerly),
        Accessor(lambda: list(ctx.op_callbacks), _put_op_callbacks(ctx), identical_lists),
        Accessor(lambda: (ctx._seed, _rng_state(ctx)), _put_seed(ctx)),
        Accessor(_soft_placement_getter(ctx), config.set_soft_device_placement),
        Accessor(config.is_op_determinism_enabled, _put_determinism),
        Accessor(config.tensor_float_32_execution_enabled, config.enable_tensor_float_32_execution),
        Accessor(
            ops.get_dtype_conversion_mode,
            lambda mode: ops.set_dtype_conversion_mode(mode.name.lower()),
        ),
        Accessor(
            lambda: ops._numpy_style_slicing,  # pylint: disable=protected-access
            lambda v: setattr(ops, "_numpy_style_slicing", v),
        ),
        Accessor(np_dtypes.is_prefer_float32, np_dtypes.set_prefer_float32),
    ]
    return found + _keras_accessors()


def _keras_accessors() -> list[Accessor]:
    keras_config = sys.modules.get("keras.src.backend.config")
    if keras_config is None:
        return []
    return [
        Accessor(keras_config.floatx, keras_config.set_floatx),
        Accessor(keras_config.epsilon, keras_config.set_epsilon),
    ]


def _soft_placement_getter(ctx: Any) -> Any:
    """What ``config.get_soft_device_placement`` returns, without building the
    context's ConfigProto each time (~80 µs): its setter keeps the flag in
    ``_soft_device_placement``, None until first set (then the proto's value,
    fixed for the process, applies)."""
    from tensorflow.python.framework import config

    flag = getattr(ctx, "_soft_device_placement", "absent")
    if not (flag is None or isinstance(flag, bool)):  # not this TF's layout
        return config.get_soft_device_placement
    unset = config.get_soft_device_placement()

    def get() -> bool:
        flag = ctx._soft_device_placement  # pylint: disable=protected-access
        return unset if flag is None else flag

    return get


def _put_op_callbacks(ctx: Any):
    def put(saved: list) -> None:
        from tensorflow.python.debug.lib import check_numerics_callback

        check_numerics_callback.disable_check_numerics()
        ctx.op_callbacks[:] = saved

    return put


def _rng_state(ctx: Any) -> Any:
    rng = getattr(ctx, "_rng", None)
    return rng.getstate() if rng is not None else None


def _put_seed(ctx: Any):
    def put(saved: tuple) -> None:
        seed, state = saved
        ctx._set_global_seed(seed) if seed is not None else _clear_seed(ctx)
        if state is not None and ctx._rng is not None:
            ctx._rng.setstate(state)

    return put


def _clear_seed(ctx: Any) -> None:
    ctx._seed, ctx._rng = None, None  # pylint: disable=protected-access


def _put_determinism(enabled: bool) -> None:
    from tensorflow.python.framework import config

    if enabled:
        config.enable_op_determinism()
    else:
        config.disable_op_determinism()
