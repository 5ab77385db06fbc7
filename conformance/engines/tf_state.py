"""TensorFlow's process-wide counters that make an outcome depend on earlier cases.

Cleared before every case when TensorFlow is loaded in the process (by the
``tensorflow`` engine, or by any engine module built on TensorFlow), so that a
case observes the same logs whichever cases ran before it in its worker (and
so whichever shard it lands in):

* ``log_first_n`` counters: some warnings are logged at most N times per
  call site and process;
* the frequent-retracing detectors: "5 out of the last 5 calls to <function>
  triggered tf.function retracing" counts calls across cases (jacobian's
  pfor function, for one, is retraced by every case that calls it).

Nothing is imported here: an engine that does not use TensorFlow never loads it.
"""

from __future__ import annotations

import sys

_LOGGING = "tensorflow.python.platform.tf_logging"
_FUNCTIONS = "tensorflow.python.eager.polymorphic_function.polymorphic_function"


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
