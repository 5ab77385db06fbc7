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
import gc
import os
import signal
import sys
import tempfile
from multiprocessing.connection import Connection
from typing import Any

from ..case import Case
from ..case_state import processes
from ..case_state.contract import CaseGuard, namespaces_of
from ..engines.base import Engine
from ..errors import EngineUnavailable
from ..result import Result
from ..trial import load_engines, run_case
from .limits import ADDRESS_SPACE_SLACK_MB, MANY, EngineRecipe


def _worker_main(
    conn: Connection,
    recipe: EngineRecipe,
    log_path: str,
    memory_mb: int | None,
    temp_dir: str | None = None,
) -> None:
    """Body of a worker process: load the engine, then answer case after case."""
    log_fd = _take_over_output(log_path)
    _die_with_parent()
    _own_process_group()
    _private_temp_dir(temp_dir)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _limit_address_space(memory_mb)
    engine = _load(conn, recipe)
    if engine is None:
        return
    processes.mark_worker()
    guard = CaseGuard(namespaces_of([engine]))
    _freeze_loaded_heap()
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        os.ftruncate(log_fd, 0)
        if request[1] == MANY:  # a batch: one answer with every result, in order
            results = [_run_guarded(item, engine, guard) for item in request[2]]
            _answer_many(conn, request, results)
            if any(r.status == "crashed" or r.leaks for r in results):
                return
            continue
        result = _run_guarded(request[1:], engine, guard)
        _answer(conn, request, result)
        if result.status == "crashed" or result.leaks:
            return  # out of memory, or state left behind: the parent starts a fresh worker


def _freeze_loaded_heap() -> None:
    """Move every object alive once the engine loaded (TensorFlow's modules: about
    300,000 tracked objects) out of the cycle collector's reach, as `gc.freeze`
    is meant for: full collections during the cases then walk only what the
    cases made. It collects first, so no garbage is frozen; an object frozen
    here and dropped by a case later is kept (memory, not behavior). In-process
    runs share the caller's process and leave its collector alone."""
    gc.collect()
    gc.freeze()


def _run_guarded(item: tuple, engine: Engine, guard: CaseGuard) -> Any:
    """Run one ``(case, context)``, then verify and restore the process state
    (`contract`): every case of a batch gets the same contract as a lone case."""
    case, context = item
    result = _run(case, engine, context)
    if processes.is_fork():
        os._exit(0)  # a fork of the worker made by the program: it never answers
    try:
        result.leaks = guard.after_case()
    except Exception as exc:  # the state is unknown: say so and start afresh
        result.leaks = [
            f"the harness could not check or restore the process state "
            f"({type(exc).__name__}: {exc})"
        ]
    return result


def _answer(conn: Connection, request: tuple, result: Any) -> None:
    """Send the result with the request's identity (sequence number, case, context)."""
    sequence, case, context = request
    identity = ("result", sequence, os.getpid(), case.id, context)
    try:
        conn.send((*identity, result))
    except Exception as exc:  # the result itself could not be pickled
        error = _harness_error(
            case,
            result.engine,
            context,
            f"the result could not be sent: {type(exc).__name__}: {exc}",
        )
        error.leaks = result.leaks
        conn.send((*identity, error))


def _answer_many(conn: Connection, request: tuple, results: list) -> None:
    """Send a batch's results with its identity (sequence number, batch size)."""
    sequence, _, items = request
    identity = ("results", sequence, os.getpid(), MANY, len(items))
    try:
        conn.send((*identity, results))
    except Exception:  # some result could not be pickled: the parent reruns one by one
        conn.send((*identity, None))


def _own_process_group() -> None:
    """Lead a new session, so killing the worker's group kills what it started."""
    with contextlib.suppress(OSError):
        os.setsid()
    processes.become_subreaper()


def _private_temp_dir(temp_dir: str | None) -> None:
    """Files engines leave in the temp folder (autograph's generated modules) go
    into the pool's own folder, removed with it."""
    if temp_dir is None:
        return
    os.makedirs(temp_dir, exist_ok=True)
    for name in ("TMPDIR", "TEMP", "TMP"):
        os.environ[name] = temp_dir
    tempfile.tempdir = temp_dir


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
