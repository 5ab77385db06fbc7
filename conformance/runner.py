"""Run cases on engines: one `Result` per case × engine × context, plus divergences.

Status of a result:

* ``passed``: the outcome matches the case's expectation;
* ``failed``: it does not (the mismatches say where);
* ``unsupported``: the engine lacks an API the case uses (an AttributeError
  raised on the engine's own namespace or objects, or an API the engine
  declares unsupported);
* ``skipped``: the case's ``versions`` gate excludes the engine's TF version;
* ``error``: the harness could not run or observe the case;
* ``timeout``: the case ran past its deadline and its worker was stopped;
* ``crashed``: the worker running the case died (a signal, an abort, an
  exit) or ran out of memory; it was replaced and the run went on.
* ``xfailed`` / ``xpassed``: an expectation file (`expectations`) said the
  case fails on this engine, and it did / did not (``xpassed`` fails a run).

Cases run in worker processes (`isolation`) when `run_cases` is given an
`Isolation`, and in this process otherwise.

A *divergence* is two engines observing different things for the same case
and context; the first engine given is the baseline the others are compared
with, whatever the case's expectation says.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

from .case import Case
from .compare import Mismatch, Tolerance, compare_outcome, compare_outcomes
from .engines.base import Engine
from .errors import EngineUnavailable
from .execute import Execution, execute
from .isolation import Isolation, WorkerPool
from .isolation.contract import CaseGuard, namespaces_of
from .observe import describe_exception, observe

STATUSES = ("passed", "failed", "unsupported", "skipped", "error", "timeout", "crashed",
            "xfailed", "xpassed")
PROBLEMS = ("failed", "error", "timeout", "crashed", "xpassed")  # statuses that fail a run
COMPARABLE = ("passed", "failed")


@dataclass
class Result:
    """One case on one engine in one context."""

    case: str
    engine: str
    context: str
    status: str
    outcome: dict | None = None
    mismatches: list[Mismatch] = field(default_factory=list)
    unsupported_api: str | None = None
    error: str | None = None
    seconds: float = 0.0
    leaks: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return (self.case, self.context)

    def to_json(self) -> dict:
        return {"case": self.case, "engine": self.engine, "context": self.context,
                "status": self.status, "outcome": self.outcome,
                "mismatches": [m.to_json() for m in self.mismatches],
                "unsupported_api": self.unsupported_api, "error": self.error,
                "seconds": round(self.seconds, 6), "leaks": list(self.leaks)}


@dataclass
class Divergence:
    """Two engines disagree on a case, field by field."""

    case: str
    context: str
    baseline: str
    engine: str
    mismatches: list[Mismatch]

    def to_json(self) -> dict:
        return {"case": self.case, "context": self.context, "baseline": self.baseline,
                "engine": self.engine, "mismatches": [m.to_json() for m in self.mismatches]}


def run_case(case: Case, engine: Engine, context: str = "eager") -> Result:
    """Run one case on one (loaded) engine and judge the outcome."""
    result = Result(case.id, engine.name, context, "error")
    if not case.applies_to(engine.tf_version):
        result.status, result.error = "skipped", f"the case applies to TF {case.versions}"
        return result
    recorded = engine.recorded_result(case, context)
    if recorded is not None:
        return recorded
    declared = declared_unsupported(case, engine)
    if declared:
        result.status, result.unsupported_api = "unsupported", declared
        return result
    try:
        engine.reset()
        run = execute(case, engine, context)
        result.outcome = outcome_of(run, engine)
    except Exception as exc:  # the harness itself failed on this case
        result.error = f"{type(exc).__name__}: {exc}"
        return result
    result.seconds = run.seconds
    return judge(case, engine, result, run.exception)


def judge(case: Case, engine: Engine, result: Result, exc: BaseException | None) -> Result:
    """Set the status and mismatches of `result` from its outcome."""
    expectation = case.expectation_for(engine.tf_version)
    tol = Tolerance(case.rtol, case.atol)
    result.mismatches = compare_outcome(expectation, result.outcome, tol)
    api = missing_api(exc, engine) if exc is not None else None
    if api and any(m.field.startswith("exception") for m in result.mismatches):
        result.status, result.unsupported_api = "unsupported", api
    else:
        result.status = "failed" if result.mismatches else "passed"
    return result


def outcome_of(run: Execution, engine: Engine) -> dict:
    """The JSON-ready outcome: observed values, exception, logs, output."""
    return {"values": {name: observe(value, engine) for name, value in run.values.items()},
            "exception": describe_exception(run.exception) if run.exception else None,
            "logs": run.logs, "output": run.output}


def missing_api(exc: BaseException, engine: Engine) -> str | None:
    """The API name when `exc` says the engine lacks an attribute, else None.

    tf.function re-raises an AttributeError as a new one without ``name`` and
    ``obj``; the original is then found in the exception's context chain.
    """
    for error in _exception_chain(exc):
        if isinstance(error, AttributeError) and getattr(error, "name", None) is not None:
            owner = engine.owns_api(getattr(error, "obj", None))
            if owner:
                return f"{owner}.{error.name}"
    return None


def _exception_chain(exc: BaseException, limit: int = 10) -> list[BaseException]:
    chain: list[BaseException] = []
    while exc is not None and len(chain) < limit and exc not in chain:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    return chain


def declared_unsupported(case: Case, engine: Engine) -> str | None:
    """The first API the engine declares unsupported that the program uses."""
    for api in sorted(engine.unsupported):
        last = api.rsplit(".", 1)[-1]
        if re.search(rf"\b{re.escape(last)}\b", case.program):
            return api
    return None


@dataclass
class RunOutcome:
    """Everything a run produced."""

    results: list[Result] = field(default_factory=list)
    divergences: list[Divergence] = field(default_factory=list)
    engine_errors: list[EngineUnavailable] = field(default_factory=list)
    engines: list[Engine] = field(default_factory=list)
    seconds: float = 0.0


def load_engines(engines: Sequence[Engine]) -> tuple[list[Engine], list[EngineUnavailable]]:
    """Load each engine; the ones that fail are reported, the others kept."""
    ready, failed = [], []
    for engine in engines:
        try:
            engine.load()
            ready.append(engine)
        except EngineUnavailable as exc:
            failed.append(exc)
        except Exception as exc:  # an engine's own load may fail in any way
            failed.append(EngineUnavailable(engine.name, f"{type(exc).__name__}: {exc}"))
    return ready, failed


ResultKey = tuple[str, str, str]  # (case id, context, engine name)


def run_cases(cases: Iterable[Case], engines: Sequence[Engine | str],
              progress: Callable[[Result], None] | None = None, *,
              isolation: Isolation | WorkerPool | None = None,
              prior: Mapping[ResultKey, Result] | None = None,
              on_result: Callable[[Result], None] | None = None) -> RunOutcome:
    """Run every case on every engine (in every context the case declares).

    Args:
        cases: the cases, in report order.
        engines: engines (or, with `isolation`, engine specs such as
            ``"tensorflow"``); the first is the baseline for divergences.
        progress: called with every result, in order.
        isolation: run in worker processes with these limits (or in this
            already started pool, which is closed at the end); None runs the
            engines in this process (no protection against hangs or crashes).
        prior: results already known (from a journal), keyed by
            ``(case id, context, engine name)``; those cases are not run again.
        on_result: called with every newly produced result as soon as it exists.
    """
    started = time.perf_counter()
    prior = prior or {}
    executor = _WorkerExecutor(engines, isolation) if isolation else _InProcessExecutor(engines)
    try:
        ready, failed = executor.start()
        run = RunOutcome(engine_errors=failed, engines=ready)
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


def _batch(case: Case, context: str, names: list[str], prior: Mapping[ResultKey, Result],
           executor: "_InProcessExecutor | _WorkerExecutor",
           on_result: Callable[[Result], None] | None) -> list[Result]:
    """One result per engine: the known ones from `prior`, the others run now."""
    known = {name: prior[(case.id, context, name)] for name in names
             if (case.id, context, name) in prior}
    if len(known) < len(names):
        fresh = executor.run(case, context)
        for name, result in zip(names, fresh):
            if name not in known:
                known[name] = result
                if on_result:
                    on_result(result)
    return [known[name] for name in names]


class _InProcessExecutor:
    """Engines loaded in this process; a case runs on each in turn."""

    def __init__(self, engines: Sequence[Engine | str]) -> None:
        from .engines import resolve_engine
        self.engines = [resolve_engine(e) if isinstance(e, str) else e for e in engines]
        self.ready: list[Engine] = []

    def start(self) -> tuple[list[Engine], list[EngineUnavailable]]:
        self.ready, failed = load_engines(self.engines)
        self.guard = CaseGuard(namespaces_of(self.ready), own_process=False)
        return self.ready, failed

    def run(self, case: Case, context: str) -> list[Result]:
        results = []
        for engine in self.ready:
            result = run_case(case, engine, context)
            result.leaks = self.guard.after_case()
            results.append(result)
        return results

    def close(self) -> None:
        """Nothing to release."""


class _WorkerExecutor:
    """Engines loaded in worker processes (`isolation.WorkerPool`)."""

    def __init__(self, engines: Sequence[Engine | str], isolation: Isolation | WorkerPool) -> None:
        self.pool = (isolation if isinstance(isolation, WorkerPool)
                     else WorkerPool(engines, isolation))

    def start(self) -> tuple[list[Engine], list[EngineUnavailable]]:
        return self.pool.start()

    def run(self, case: Case, context: str) -> list[Result]:
        return self.pool.run_batch(case, context)

    def close(self) -> None:
        self.pool.close()


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


def unsupported_apis(results: Iterable[Result]) -> dict[str, dict[str, list[str]]]:
    """Per engine, per missing API, the ids of the cases that were unsupported for it.

    The capability summary: ``{"my-engine": {"GradientTape.jacobian": [ids…]}}``,
    APIs sorted by how many cases they cost, most first.
    """
    found: dict[str, dict[str, list[str]]] = {}
    for result in results:
        if result.status == "unsupported":
            api = result.unsupported_api or "unknown"
            ids = found.setdefault(result.engine, {}).setdefault(api, [])
            if result.case not in ids:
                ids.append(result.case)
    return {engine: dict(sorted(apis.items(), key=lambda item: (-len(item[1]), item[0])))
            for engine, apis in found.items()}
