"""Worker processes: engines and case programs run where they cannot stop the run.

A `WorkerPool` keeps one long-lived worker process per engine (started with
the ``spawn`` context, so nothing is ever forked after TensorFlow is
imported). A worker imports and loads its engine once, then runs case after
case. The parent waits for each answer with a deadline and watches the
worker's resident memory:

* past ``timeout`` seconds the worker is killed and the case is ``timeout``;
* a worker that dies (segfault, ``os.abort()``, ``os._exit``), runs out of
  memory (``MemoryError`` or more than ``memory_mb`` resident) or cannot send
  its answer makes the case ``crashed``, with the signal and the last lines
  the worker printed;

and in every case the worker is replaced before the next case, so the other
cases run. A worker's stdout and stderr (file descriptors 1 and 2) go to a
private log file, so an engine printing garbage cannot corrupt the parent's
output; its tail explains a crash. Workers die with the parent (Linux
``PR_SET_PDEATHSIG``) and ignore Ctrl-C, which the parent handles.

The package is split by side: `limits` (the limits and how a worker builds
its engine), `worker` (the worker process) and `pool` (the parent's
`WorkerPool`, a `runner.Executor`). It depends on the data types of `result`
and on `trial` (which a worker runs), never on `runner` or the fronts; the
fronts own the command-line flags.
"""

from .limits import (
    DEFAULT_LOAD_TIMEOUT,
    DEFAULT_MEMORY_MB,
    DEFAULT_TIMEOUT,
    EngineInfo,
    EngineRecipe,
    Isolation,
    recipe_for,
)
from .pool import WorkerPool, describe_exit, resident_mb

__all__ = [
    "Isolation",
    "WorkerPool",
    "EngineInfo",
    "EngineRecipe",
    "recipe_for",
    "describe_exit",
    "resident_mb",
    "DEFAULT_TIMEOUT",
    "DEFAULT_MEMORY_MB",
    "DEFAULT_LOAD_TIMEOUT",
]
