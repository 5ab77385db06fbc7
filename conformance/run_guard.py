"""Run-level faults of ``conformance run``: interruptions and unwritable outputs.

* `interruptible`: Ctrl-C (SIGINT) and SIGTERM stop the run with an
  `Interrupted` carrying the conventional exit status (130 / 143) instead of
  a traceback; the worker pool and its temp folder are closed on the way out.
* `partial_run`: the results finished so far (the journal has them), as a
  `RunOutcome` the usual report writers accept.
* `resume_hint`: the one line that tells the user how to finish the run.
* `check_outputs`: every output path is checked before any case runs, so an
  unwritable ``--html`` or ``--junit`` is a usage error at once, not after
  the whole run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from .case import Case
from .errors import ConformanceError, UsageError
from .runner import Result, RunOutcome, divergences

EXIT_SIGINT, EXIT_SIGTERM = 130, 143


class Interrupted(ConformanceError):
    """The run was stopped by a signal; `status` is the exit status to use."""

    def __init__(self, status: int, how: str) -> None:
        super().__init__(f"interrupted ({how})")
        self.status, self.how = status, how


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """Turn SIGTERM and Ctrl-C inside the block into `Interrupted`."""

    def on_term(signum: int, frame: object) -> None:
        raise Interrupted(EXIT_SIGTERM, "SIGTERM")

    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, on_term) if main else None
    try:
        yield
    except KeyboardInterrupt:
        raise Interrupted(EXIT_SIGINT, "Ctrl-C") from None
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)


def partial_run(
    cases: Sequence[Case], results: Iterable[Result], engines: list, seconds: float = 0.0
) -> RunOutcome:
    """The finished part of a run: results in case order, their divergences."""
    found = {(r.case, r.context, r.engine): r for r in results}
    names = [e.name for e in engines] or list(dict.fromkeys(r.engine for r in found.values()))
    run = RunOutcome(engines=list(engines), seconds=seconds)
    for case in cases:
        for context in case.contexts:
            batch = [found[(case.id, context, n)] for n in names if (case.id, context, n) in found]
            run.results += batch
            if len(batch) == len(names):
                run.divergences += divergences(case, batch)
    return run


def resume_hint(journal: Path, done: int, total: int, how: str) -> str:
    """``conformance: interrupted (Ctrl-C) after 12 of 366 cases; ...``."""
    return (
        f"conformance: interrupted ({how}) after {done} of {total} case(s); the partial "
        f"report is written. Finish the run with: conformance run --resume {journal}"
    )


def check_outputs(paths: Iterable[Path | None]) -> None:
    """Refuse, before anything runs, an output path that cannot be written.

    Raises:
        UsageError: one line naming the path and why.
    """
    for path in paths:
        if path is None:
            continue
        path = Path(path)
        if path.is_dir():
            raise UsageError(f"{path}: is a directory, not a file to write")
        if path.exists():
            if not os.access(path, os.W_OK):
                raise UsageError(f"{path}: cannot write the file (permission denied)")
            continue
        _check_parent(path)


def _check_parent(path: Path) -> None:
    ancestor = path.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise UsageError(f"{path}: cannot create it: {ancestor} is not a directory")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise UsageError(f"{path}: cannot create it: {ancestor} is not writable")
