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
* forward mode's per-op trace counts, and what its cache of traced JVP
  functions may hold that a fresh process could not. In TensorFlow,
  ``ForwardAccumulator`` traces one JVP function per op, attributes, shapes
  and dtypes, with exact shapes for an op's first 32 traces in the process
  and relaxed (partly unknown) shapes after that, so without the reset a
  case's forward mode takes a different path once earlier cases traced the
  same op often enough. The cache is one table for all ops whose lookup
  scans its entries, so bounding it also keeps forward mode from slowing
  down as a run goes on.

Nothing is imported here: an engine that does not use TensorFlow never loads it.
"""

from __future__ import annotations

import sys

_LOGGING = "tensorflow.python.platform.tf_logging"
_FUNCTIONS = "tensorflow.python.eager.polymorphic_function.polymorphic_function"
_FORWARDPROP = "tensorflow.python.eager.forwardprop"


MAX_CACHED_JVP_FUNCTIONS = 256  # forward mode's cache is scanned on every miss


def reset_tensorflow_counters(drop_traces: bool = False) -> None:
    """Clear TF's per-process log and retracing counters, if TF is loaded, and put
    forward mode's trace state back as a fresh process has it (`drop_traces`: the
    case changed TF's configuration, so its traces may differ from a fresh one's)."""
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
    _reset_forward_traces(sys.modules.get(_FORWARDPROP), drop_traces)


def _reset_forward_traces(forwardprop: object, drop: bool) -> None:
    """No op traced yet, so every op gets exact-shape JVP functions again, and no JVP
    function cached that a fresh process could not have made. Exact-shape functions
    are kept (each is what the op's next trace would be), except when the cache may
    hold relaxed-shape ones (an op reached TF's limit), when `drop` (a trace made
    while the case had changed TF's configuration may differ, e.g. hold
    check-numerics ops) or when it is large (lookups scan it)."""
    counts = getattr(forwardprop, "_TRACE_COUNT", None)
    lock = getattr(forwardprop, "_TRACE_COUNT_CONSISTENCY_LOCK", None)
    cache = getattr(forwardprop, "_jvp_function_cache", None)
    limit = getattr(forwardprop, "_TRACE_COUNT_LIMIT", 0)
    if not isinstance(counts, dict) or lock is None or cache is None:
        return
    with lock:
        relaxed = any(count >= limit for count in counts.values())
        counts.clear()
    if len(cache) and (drop or relaxed or len(cache) > MAX_CACHED_JVP_FUNCTIONS):
        cache.clear()
