"""Run cases on engines: one `Result` per case × engine × context, plus divergences.

`run_cases(cases, executor)` walks the cases in report order and hands each
(case, context) to an *executor*, anything with ``start`` / ``run`` /
``close`` (`Executor`): `InProcess` runs the engines in this process (through
`trial`), `isolation.WorkerPool` in worker processes. The front (CLI, pytest
plugin) picks one; this module never imports `isolation`, which in turn
depends only on the data types of `result` and on `trial`.

A *divergence* is two engines observing different things for the same case
and context; the first engine given is the reference point the others are
compared with, whatever the case's expectation says.

Results, statuses and `RunOutcome` live in `result` (re-exported here).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

from .case import Case
from .case_state.contract import CaseGuard, namespaces_of
from .compare import Tolerance, compare_outcomes
from .engines.base import Engine
from .errors import EngineUnavailable
from .result import (
    COMPARABLE,
    PROBLEMS,
    STATUSES,
    Divergence,
    Result,
    ResultKey,
    RunOutcome,
    unsupported_apis,
)
from .trial import declared_unsupported, judge, load_engines, missing_api, outcome_of, run_case


class Executor(Protocol):
    """Where cases run: loads the engines, runs a case on each, releases them."""

    def start(self) -> tuple[Sequence[Engine], list[EngineUnavailable]]:
        """Load every engine; return the ready ones and the errors of the others."""

    def run(self, case: Case, context: str) -> list[Result]:
        """Run `case` in `context` on every ready engine; one `Result` each, in order."""

    def close(self) -> None:
        """Release the engines (and their processes)."""


class InProcess:
    """Engines loaded in this process; a case runs on each in turn (no protection
    against hangs or crashes). The isolation contract (`case_state.CaseGuard`)
    still undoes what each case changed and names what it could not undo; temp
    files go into a folder of the run's own, removed by `close`."""

    def __init__(self, engines: Sequence[Engine | str]) -> None:
        from .engines import resolve_engine

        self.engines = [resolve_engine(e) if isinstance(e, str) else e for e in engines]
        self.ready: list[Engine] = []
        self.guard: CaseGuard | None = None
        self._temp: tuple[tempfile.TemporaryDirectory, str | None] | None = None

    def start(self) -> tuple[list[Engine], list[EngineUnavailable]]:
        if self._temp is None:
            self._temp = (tempfile.TemporaryDirectory(prefix="conformance-run-"), tempfile.tempdir)
            tempfile.tempdir = self._temp[0].name
        self.ready, failed = load_engines(self.engines)
        self.guard = CaseGuard(namespaces_of(self.ready), own_process=False)
        return self.ready, failed

    def run(self, case: Case, context: str) -> list[Result]:
        results = []
        for engine in self.ready:
            result = run_case(case, engine, context)
            result.leaks = self.guard.after_case() if self.guard else []
            results.append(result)
        return results

    def close(self) -> None:
        """Remove the run's temp folder."""
        if self._temp is not None:
            folder, previous = self._temp
            tempfile.tempdir, self._temp = previous, None
            folder.cleanup()


def run_cases(
    cases: Iterable[Case],
    executor: Executor | Sequence[Engine | str],
    progress: Callable[[Result], None] | None = None,
    *,
    prior: Mapping[ResultKey, Result] | None = None,
    on_result: Callable[[Result], None] | None = None,
    isolation: Any = None,
) -> RunOutcome:
    """Run every case on every engine (in every context the case declares).

    Args:
        cases: the cases, in report order.
        executor: where the engines run (`InProcess`, `isolation.WorkerPool`);
            closed at the end. A plain list of engines means `InProcess`.
            The first engine is the reference point for divergences.
        progress: called with every result, in order.
        prior: results already known (from a journal), keyed by
            ``(case id, context, engine name)``; those cases are not run again.
        on_result: called with every newly produced result as soon as it exists.
        isolation: deprecated; pass a `WorkerPool` as `executor` instead.
    """
    started = time.perf_counter()
    prior = prior or {}
    executor = _as_executor(executor, isolation)
    try:
        ready, failed = executor.start()
        run = RunOutcome(engine_errors=failed, engines=list(ready))
        names = [engine.name for engine in ready]
        for case in cases:
            for context in case.contexts:
                batch = _batch(case, context, names, prior, executor, on_result)
                for result in batch:
                    if progress:
                        progress(result)
                run.results += batch
                run.divergences += divergences(case, batch)
    finally:
        executor.close()
    run.seconds = time.perf_counter() - started
    return run


def _as_executor(executor: Executor | Sequence[Engine | str], isolation: Any) -> Executor:
    """Accept the older call forms: a list of engines, optionally with ``isolation=``."""
    if not isinstance(executor, (list, tuple)):
        return executor
    if isolation is None:
        return InProcess(executor)
    from .isolation import WorkerPool  # deprecated form; the fronts pass a pool

    return isolation if isinstance(isolation, WorkerPool) else WorkerPool(executor, isolation)


def _batch(
    case: Case,
    context: str,
    names: list[str],
    prior: Mapping[ResultKey, Result],
    executor: Executor,
    on_result: Callable[[Result], None] | None,
) -> list[Result]:
    """One result per engine: the known ones from `prior`, the others run now."""
    known = {
        name: prior[(case.id, context, name)] for name in names if (case.id, context, name) in prior
    }
    if len(known) < len(names):
        fresh = executor.run(case, context)
        for name, result in zip(names, fresh):
            if name not in known:
                known[name] = result
                if on_result:
                    on_result(result)
    return [known[name] for name in names]


def divergences(case: Case, batch: Sequence[Result]) -> list[Divergence]:
    """Compare each engine's outcome with the first comparable one's."""
    comparable = [r for r in batch if r.status in COMPARABLE]
    if len(comparable) < 2:
        return []
    base, tol = comparable[0], Tolerance(case.rtol, case.atol)
    found = []
    for other in comparable[1:]:
        mismatches = compare_outcomes(base.outcome, other.outcome, tol)
        if mismatches:
            found.append(Divergence(case.id, base.context, base.engine, other.engine, mismatches))
    return found


__all__ = [
    "Executor",
    "InProcess",
    "run_cases",
    "divergences",
    "Result",
    "Divergence",
    "RunOutcome",
    "ResultKey",
    "STATUSES",
    "PROBLEMS",
    "COMPARABLE",
    "unsupported_apis",
    "run_case",
    "judge",
    "load_engines",
    "outcome_of",
    "missing_api",
    "declared_unsupported",
]
