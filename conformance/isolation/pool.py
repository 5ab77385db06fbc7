"""The parent side: `WorkerPool` starts, feeds, watches and replaces workers.

It waits for each answer with a deadline and polls each worker's resident
memory; a worker that times out, dies or grows past its cap is killed, its
case reported as ``timeout`` or ``crashed``, and a fresh worker takes its
place before the next case.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import re
import signal
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from ..case import Case
from ..case_state import processes
from ..engines.base import Engine
from ..errors import EngineUnavailable
from ..result import Result
from .limits import (
    LOG_EXCERPT_CHARS,
    MANY,
    POLL_SECONDS,
    EngineInfo,
    EngineRecipe,
    Isolation,
    recipe_for,
)
from .worker import _worker_main


class Worker:
    """One worker process hosting one engine; replaced whenever it dies."""

    def __init__(self, recipe: EngineRecipe, isolation: Isolation, log_dir: str) -> None:
        self.recipe, self.isolation = recipe, isolation
        self.log_path = os.path.join(log_dir, f"worker-{id(self)}.log")
        self.process: BaseProcess | None = None
        self.conn: Connection | None = None
        self.info: EngineInfo | None = None
        self.broken: str | None = None  # why the engine can no longer be started
        self.pending: tuple[Case, str, float] | None = None
        self.sequence = 0  # numbers the requests; a reply must carry the current one
        self.batch: int | None = None  # the size of the batch in flight (`run_many`)

    @property
    def name(self) -> str:
        return self.info.name if self.info else self.recipe.name

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.is_alive()

    def spawn(self) -> None:
        """Start the process (the engine loads in the background)."""
        ctx = multiprocessing.get_context("spawn")
        Path(self.log_path).write_bytes(b"")
        parent, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_worker_main,
            daemon=True,
            name=f"conformance-worker[{self.recipe.name}]",
            args=(
                child,
                self.recipe,
                self.log_path,
                self.isolation.memory_mb,
                os.path.join(os.path.dirname(self.log_path), "tmp"),
            ),
        )
        with _main_module_hidden(b"__main__" in (self.recipe.pickled or b"")):
            self.process.start()
        child.close()
        self.conn = parent

    def handshake(self) -> EngineInfo:
        """Wait for the engine to load; raise `EngineUnavailable` if it does not."""
        message = self._receive(self.isolation.load_timeout)
        if message is None:
            reason = self._death("while loading", self.isolation.load_timeout)
            self.kill()
            raise EngineUnavailable(self.recipe.name, reason)
        if message[0] == "unavailable":
            self.kill()
            raise EngineUnavailable(self.recipe.name, message[1])
        self.info = EngineInfo(message[1], message[2])
        return self.info

    def ensure_started(self) -> None:
        """Start (or restart) the worker if it is not running."""
        if self.alive and self.conn is not None:
            return
        if self.broken:
            raise EngineUnavailable(self.name, self.broken)
        self.spawn()
        try:
            self.handshake()
        except EngineUnavailable as exc:
            self.broken = f"could not be restarted after a crash: {exc.reason}"
            raise EngineUnavailable(self.name, self.broken) from None

    def submit(self, case: Case, context: str) -> None:
        assert self.conn is not None  # internal invariant: ensure_started() ran
        self.sequence += 1
        self.conn.send((self.sequence, case, context))
        self.pending = (case, context, time.monotonic())

    def submit_many(self, items: Sequence[tuple[Case, str]]) -> None:
        """Send a batch: one request, one reply holding every result in order."""
        assert self.conn is not None  # internal invariant: ensure_started() ran
        self.sequence += 1
        self.conn.send((self.sequence, MANY, list(items)))
        self.pending = (items[0][0], items[0][1], time.monotonic())
        self.batch = len(items)

    def _receive(self, timeout: float) -> tuple | None:
        """The next message, or None when the worker died or timed out."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready = wait([self.conn, self.process.sentinel], min(remaining, POLL_SECONDS))
            if self.conn in ready:
                try:
                    return self.conn.recv()
                except (EOFError, OSError, pickle.UnpicklingError):
                    return None
            if ready:  # the sentinel alone: the process is gone
                return None

    def over_memory(self) -> bool:
        limit = self.isolation.memory_mb
        return limit is not None and self.alive and resident_mb(self.process.pid) > limit

    def kill(self) -> None:
        """Kill the process now and forget it."""
        if self.process is not None and self.process.pid is not None:
            processes.kill_group(self.process.pid)  # the worker and what it started
        if self.process is not None and self.process.is_alive():
            self.process.kill()
        if self.process is not None:
            self.process.join(5)
        if self.conn is not None:
            self.conn.close()
        self.process, self.conn, self.pending, self.batch = None, None, None, None

    def _death(self, when: str, timeout: float) -> str:
        """Why the worker stopped answering, with the start of its output."""
        process = self.process
        if process is not None:
            process.join(1)  # its pipe closes a moment before it is reaped
        if process is not None and process.is_alive():
            text = f"did not answer within {timeout:g} s {when}"
        else:
            exit_text = describe_exit(process.exitcode if process else None)
            text = f"the worker process {exit_text} {when}"
        output = log_excerpt(self.log_path)
        return f"{text}; it printed: {output}" if output else text


@contextlib.contextmanager
def _main_module_hidden(needed: bool) -> Iterator[None]:
    """Keep ``spawn`` from re-running the parent's main script in the worker.

    The worker needs nothing from ``__main__`` unless the engine's class was
    defined there (`needed`); re-running a script without an
    ``if __name__ == "__main__"`` guard, or one read from stdin, would fail.
    """
    main = sys.modules.get("__main__")
    if needed or main is None:
        yield
        return
    saved = {
        key: main.__dict__.pop(key) for key in ("__file__", "__spec__") if key in main.__dict__
    }
    main.__spec__ = None
    try:
        yield
    finally:
        main.__dict__.update(saved)
        if "__spec__" not in saved:
            del main.__spec__


def _misaddressed(message: Any, worker: Worker, case: Case, context: str) -> str | None:
    """Why a reply does not belong to the request in flight (None: it does)."""
    expected = ("result", worker.sequence, worker.process.pid, case.id, context)
    if isinstance(message, tuple) and len(message) == 6 and message[:5] == expected:
        return None
    got = message[:5] if isinstance(message, tuple) else type(message).__name__
    return (
        f"the worker's reply does not belong to this case (expected {expected[1:]}, "
        f"got {got!r}); the worker was replaced"
    )


def describe_exit(code: int | None) -> str:
    """``died of SIGSEGV (signal 11)`` / ``exited with status 3``."""
    if code is None:
        return "died"
    if code < 0:
        try:
            return f"died of {signal.Signals(-code).name} (signal {-code})"
        except ValueError:
            return f"died of signal {-code}"
    return f"exited with status {code}"


def log_excerpt(path: str, chars: int = LOG_EXCERPT_CHARS) -> str:
    """What a worker printed during the current case (or while loading), on one
    line: the start, where a fatal error names itself and its place."""
    try:
        with open(path, "rb") as handle:
            text = handle.read(chars * 4).decode("utf-8", "replace")
    except OSError:
        return ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # Thread ids and addresses differ from run to run; the report must not.
    text = re.sub(r"0x[0-9a-fA-F]+", "0x…", " | ".join(lines))
    return text if len(text) <= chars else text[:chars] + " …"


def resident_mb(pid: int) -> float:
    """Resident memory of process `pid` in MB (0 when unknown)."""
    try:
        with open(f"/proc/{pid}/statm") as handle:
            pages = int(handle.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


@dataclass
class WorkerPool:
    """One worker per engine; runs a case on every engine at once.

    Use as a context manager, or call `close`. `start` loads every engine
    (concurrently) and returns the ones that loaded and the errors of the
    others; `run_batch` runs one case in one context on every ready engine.
    """

    engines: Sequence[Engine | str]
    isolation: Isolation = field(default_factory=Isolation)

    def __post_init__(self) -> None:
        self._log_dir = tempfile.TemporaryDirectory(prefix="conformance-workers-")
        self.workers: list[Worker] = []
        self.errors: list[EngineUnavailable] = []
        self._spawned: list[Worker] | None = None
        self._started = False

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def start(self) -> tuple[list[EngineInfo], list[EngineUnavailable]]:
        """Load every engine in its worker; the failures are reported, not raised."""
        if self._started:
            return [w.info for w in self.workers], list(self.errors)
        self._started = True
        for worker in self.spawn_all():
            try:
                worker.handshake()
                self.workers.append(worker)
            except EngineUnavailable as exc:
                self.errors.append(exc)
        return [w.info for w in self.workers], list(self.errors)

    def spawn_all(self) -> list[Worker]:
        """Start every engine's process without waiting for it (see `prestart`)."""
        if self._spawned is None:
            self._spawned = []
            for engine in self.engines:
                try:
                    worker = Worker(recipe_for(engine), self.isolation, self._log_dir.name)
                except EngineUnavailable as exc:
                    self.errors.append(exc)
                    continue
                worker.spawn()
                self._spawned.append(worker)
        return self._spawned

    def run(self, case: Case, context: str) -> list[Result]:
        """Run `case` in `context` on every ready engine; one `Result` each, in order
        (the `runner.Executor` method)."""
        self.start()
        results: dict[int, Result] = {}
        busy = []
        for index, worker in enumerate(self.workers):
            try:
                worker.ensure_started()
                worker.submit(case, context)
                busy.append(index)
            except (EngineUnavailable, OSError) as exc:
                results[index] = _lost(
                    case, worker.name, context, "error", getattr(exc, "reason", str(exc)), 0.0
                )
        self._collect(busy, results)
        return [results[i] for i in range(len(self.workers))]

    run_batch = run

    def run_many(self, items: Sequence[tuple[Case, str]]) -> list[list[Any] | None]:
        """Run every ``(case, context)`` of `items` on every ready engine, one
        message per engine (the per-message cost is paid once for the batch).

        Returns, per engine, the results in order, or None when that worker
        timed out (the deadline is `isolation.timeout` for the whole batch),
        died or grew past its memory cap: then run the items one by one
        (`run_batch`) to learn which one did it, so only that one is lost.
        """
        self.start()
        results: dict[int, Any] = {}
        busy = []
        for index, worker in enumerate(self.workers):
            try:
                worker.ensure_started()
                worker.submit_many(items)
                busy.append(index)
            except (EngineUnavailable, OSError):
                results[index] = None
        self._collect(busy, results)
        return [
            results[i] if isinstance(results[i], list) else None for i in range(len(self.workers))
        ]

    def run_one(self, case: Case, engine_name: str, context: str) -> Result:
        """Run `case` on the engine called `engine_name` (as given or as loaded).

        Raises:
            EngineUnavailable: that engine could not be loaded.
        """
        self.start()
        for index, worker in enumerate(self.workers):
            if engine_name in (worker.name, worker.recipe.name):
                worker.ensure_started()
                worker.submit(case, context)
                results: dict[int, Result] = {}
                self._collect([index], results)
                return results[index]
        for error in self.errors:
            if error.engine == engine_name:
                raise error
        raise EngineUnavailable(engine_name, "not one of the pool's engines")

    def _collect(self, busy: list[int], results: dict[int, Result]) -> None:
        """Wait for the busy workers' answers, killing the late and the greedy."""
        timeout = self.isolation.timeout
        while busy:
            waitables = {}
            for index in busy:
                worker = self.workers[index]
                waitables[worker.conn] = index
                waitables[worker.process.sentinel] = index
            ready = wait(list(waitables), POLL_SECONDS)
            for index in sorted({waitables[r] for r in ready}):
                results[index] = self._answer(self.workers[index])
                busy.remove(index)
            for index in list(busy):
                verdict = self._check(self.workers[index], timeout)
                if verdict is not None:
                    results[index] = verdict
                    busy.remove(index)

    def _answer(self, worker: Worker) -> Result:
        case, context, started = worker.pending
        try:
            message = worker.conn.recv() if worker.conn.poll() else None
        except (EOFError, OSError, pickle.UnpicklingError):
            message = None
        if message is None:
            reason = worker._death("while running the case", self.isolation.timeout)
            worker.kill()
            return _lost(case, worker.name, context, "crashed", reason, time.monotonic() - started)
        if worker.batch is not None:
            return self._batch_answer(worker, message)
        wrong = _misaddressed(message, worker, case, context)
        if wrong:
            worker.kill()
            return _lost(case, worker.name, context, "crashed", wrong, time.monotonic() - started)
        worker.pending = None
        result = message[-1]
        if result.status == "crashed" or result.leaks:
            worker.kill()  # the worker exits by itself; a fresh one runs the next case
        return result

    def _batch_answer(self, worker: Worker, message: Any) -> list[Result] | None:
        """A `run_many` reply: its results, or None when it is not this batch's."""
        expected = ("results", worker.sequence, worker.process.pid, MANY, worker.batch)
        worker.pending, worker.batch = None, None
        if not (isinstance(message, tuple) and len(message) == 6 and message[:5] == expected):
            worker.kill()
            return None
        results = message[-1]
        if results is None or any(r.status == "crashed" or r.leaks for r in results):
            worker.kill()  # the worker exits by itself; a fresh one runs the next batch
        return results

    def _check(self, worker: Worker, timeout: float) -> Result | None:
        case, context, started = worker.pending
        elapsed = time.monotonic() - started
        if worker.over_memory():
            worker.kill()
            return _lost(
                case,
                worker.name,
                context,
                "crashed",
                f"the worker used more than {self.isolation.memory_mb} MB of "
                "memory and was stopped",
                elapsed,
            )
        if elapsed > timeout:
            output = log_excerpt(worker.log_path)
            worker.kill()
            reason = f"the case ran longer than {timeout:g} s and was stopped"
            return _lost(
                case,
                worker.name,
                context,
                "timeout",
                f"{reason}; it printed: {output}" if output else reason,
                elapsed,
            )
        return None

    def close(self) -> None:
        """Kill every worker (they hold nothing worth a graceful exit, and
        TensorFlow's own teardown takes seconds) and remove their log files."""
        for worker in self._spawned or []:
            worker.kill()
        self.workers, self._spawned = [], []
        self._log_dir.cleanup()


def _lost(
    case: Case, engine: str, context: str, status: str, message: str, seconds: float
) -> Result:
    return Result(case.id, engine, context, status, error=message, seconds=seconds)
