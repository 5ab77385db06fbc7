"""Run cases on engines: one `Result` per case × engine × context, plus divergences.

Status of a result:

* ``passed``: the outcome matches the case's expectation;
* ``failed``: it does not (the mismatches say where);
* ``unsupported``: the engine lacks an API the case uses (an AttributeError
  raised on the engine's own namespace or objects, or an API the engine
  declares unsupported);
* ``skipped``: the case's ``versions`` gate excludes the engine's TF version;
* ``error``: the harness could not run or observe the case.

A *divergence* is two engines observing different things for the same case
and context; the first engine given is the baseline the others are compared
with, whatever the case's expectation says.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from .case import Case
from .compare import Mismatch, Tolerance, compare_outcome, compare_outcomes
from .engines.base import Engine
from .errors import EngineUnavailable
from .execute import Execution, execute
from .observe import describe_exception, observe

STATUSES = ("passed", "failed", "unsupported", "skipped", "error")
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

    @property
    def key(self) -> tuple[str, str]:
        return (self.case, self.context)

    def to_json(self) -> dict:
        return {"case": self.case, "engine": self.engine, "context": self.context,
                "status": self.status, "outcome": self.outcome,
                "mismatches": [m.to_json() for m in self.mismatches],
                "unsupported_api": self.unsupported_api, "error": self.error,
                "seconds": round(self.seconds, 6)}


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
    """The API name when `exc` says the engine lacks an attribute, else None."""
    if not isinstance(exc, AttributeError) or getattr(exc, "name", None) is None:
        return None
    owner = engine.owns_api(getattr(exc, "obj", None))
    return f"{owner}.{exc.name}" if owner else None


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


def run_cases(cases: Iterable[Case], engines: Sequence[Engine],
              progress: Callable[[Result], None] | None = None) -> RunOutcome:
    """Run every case on every engine (in every context the case declares)."""
    started = time.perf_counter()
    ready, failed = load_engines(engines)
    run = RunOutcome(engine_errors=failed, engines=ready)
    for case in cases:
        for context in case.contexts:
            batch = [run_case(case, engine, context) for engine in ready]
            for result in batch:
                if progress:
                    progress(result)
            run.results += batch
            run.divergences += divergences(case, batch)
    run.seconds = time.perf_counter() - started
    return run


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
