"""TensorFlow's process-wide counters that make an outcome depend on earlier cases.

Cleared before every case when TensorFlow is loaded in the process (by the
``tensorflow`` engine, or by any engine module built on TensorFlow), so that a
case observes the same logs whichever cases ran before it in its worker (and
so whichever shard it lands in):

* ``log_first_n`` counters: some warnings are logged at most N times per
  call site and process;
* the frequent-retracing detectors: "5 out of the last 5 calls to <function>
  triggered tf.function retracing" counts calls across cases (jacobian's
  pfor function, for one, is retraced by every case that calls it);
* forward mode's per-op trace counts and its cache of traced JVP functions.
  In TensorFlow, ``ForwardAccumulator`` traces one JVP function per op,
  attributes, shapes and dtypes, with exact shapes for an op's first 32
  traces in the process and relaxed (partly unknown) shapes after that, so
  without the reset a case's forward mode takes a different path once
  earlier cases traced the same op often enough. The cache is one table for
  all ops whose lookup scans its entries, so clearing it also keeps forward
  mode from slowing down as a run goes on.

Nothing is imported here: an engine that does not use TensorFlow never loads it.
"""

from __future__ import annotations

import sys

_LOGGING = "tensorflow.python.platform.tf_logging"
_FUNCTIONS = "tensorflow.python.eager.polymorphic_function.polymorphic_function"
_FORWARDPROP = "tensorflow.python.eager.forwardprop"


def reset_tensorflow_counters() -> None:
    """Clear TF's per-process log and retracing counters, if TF is loaded."""
    logging = sys.modules.get(_LOGGING)
    counters = getattr(logging, "_log_counter_per_token", None)
    if isinstance(counters, dict):
        counters.clear()
    functions = sys.modules.get(_FUNCTIONS)
    manager = getattr(functions, "_frequent_tracing_detector_manager", None)
    detectors = getattr(manager, "_detectors", None)
    lock = getattr(manager, "_lock", None)
    if detectors is not None and lock is not None:
        with lock:
            detectors.clear()
    _reset_forward_traces(sys.modules.get(_FORWARDPROP))


def _reset_forward_traces(forwardprop: object) -> None:
    """Forward mode as in a fresh process: no op traced yet, no JVP function cached."""
    counts = getattr(forwardprop, "_TRACE_COUNT", None)
    lock = getattr(forwardprop, "_TRACE_COUNT_CONSISTENCY_LOCK", None)
    cache = getattr(forwardprop, "_jvp_function_cache", None)
    if isinstance(counts, dict) and counts and lock is not None:
        with lock:
            counts.clear()
    if cache is not None and hasattr(cache, "clear") and len(cache):
        cache.clear()
