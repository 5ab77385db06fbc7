"""The worker side: a process that loads one engine and runs case after case.

Its stdout and stderr (file descriptors 1 and 2) go to a private log file, so
an engine printing garbage cannot corrupt the parent's output, and
`faulthandler` writes a native crash's stack there. It dies with its parent
(Linux ``PR_SET_PDEATHSIG``), ignores Ctrl-C, and caps its address space.
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import os
import signal
import sys
from multiprocessing.connection import Connection

from ..case import Case
from ..engines.base import Engine
from ..errors import EngineUnavailable
from ..result import Result
from ..trial import load_engines, run_case
from .limits import ADDRESS_SPACE_SLACK_MB, EngineRecipe


def _worker_main(conn: Connection, recipe: EngineRecipe, log_path: str,
                 memory_mb: int | None) -> None:
    """Body of a worker process: load the engine, then answer case after case."""
    log_fd = _take_over_output(log_path)
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _limit_address_space(memory_mb)
    engine = _load(conn, recipe)
    if engine is None:
        return
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        os.ftruncate(log_fd, 0)
        if request[0] == "many":  # a batch: one answer with every result, in order
            results = [_run(case, engine, context) for case, context in request[1]]
            conn.send(("results", results))
            if any(r.status == "crashed" for r in results):
                return
            continue
        result = _run(request[0], engine, request[1])
        try:
            conn.send(("result", result))
        except Exception as exc:  # the result itself could not be pickled
            result = _harness_error(request[0], engine.name, request[1],
                                    f"the result could not be sent: {type(exc).__name__}: {exc}")
            conn.send(("result", result))
        if result.status == "crashed":
            return  # out of memory: let the parent start a fresh worker


def _take_over_output(log_path: str) -> int:
    """Point fds 1 and 2 at the worker's log file; dump native crashes there."""
    try:
        fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except OSError:
        os._exit(0)  # the pool closed (and removed its log folder) while this worker started
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    faulthandler.enable(file=sys.stderr, all_threads=False)
    return fd


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the parent dies (even by kill -9)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _limit_address_space(memory_mb: int | None) -> None:
    """A hard cap on virtual memory, far above the RSS limit the parent watches."""
    if memory_mb is None:
        return
    try:
        import resource
        limit = (memory_mb + ADDRESS_SPACE_SLACK_MB) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass


def _load(conn: Connection, recipe: EngineRecipe) -> Engine | None:
    try:
        engine = recipe.build()
    except EngineUnavailable as exc:
        conn.send(("unavailable", exc.reason))
        return None
    except BaseException as exc:  # building runs engine code: anything can happen
        conn.send(("unavailable", f"{type(exc).__name__}: {exc}"))
        return None
    _, failed = load_engines([engine])
    if failed:
        conn.send(("unavailable", failed[0].reason))
        return None
    conn.send(("ready", engine.describe(), sorted(engine.unsupported)))
    return engine


def _run(case: Case, engine: Engine, context: str) -> Result:
    try:
        result = run_case(case, engine, context)
    except BaseException as exc:  # KeyboardInterrupt or GeneratorExit from a program
        return _harness_error(case, engine.name, context, f"{type(exc).__name__}: {exc}")
    exception = (result.outcome or {}).get("exception") or {}
    if exception.get("type") == "MemoryError":
        result.status, result.mismatches = "crashed", []
        result.error = "the case ran out of memory (MemoryError under the worker's memory cap)"
    return result


def _harness_error(case: Case, engine: str, context: str, message: str) -> Result:
    return Result(case.id, engine, context, "error", error=message)
