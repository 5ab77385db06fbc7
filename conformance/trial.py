"""One trial: one case on one loaded engine in one context (execute, observe, judge).

`run_case` runs the program (`execute`), turns what it left behind into JSON
data (`observe`) and judges that outcome against the case's expectation
(`compare`), giving one `Result`. An engine that replays a recorded run (see
`engines.replay`) hands back a recorded outcome instead, which is judged the
same way, so editing a case's expectation takes effect without re-recording.

The worker processes (`isolation.worker`) and the in-process executor
(`runner.InProcess`) both run cases through this module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .case import Case
from .compare import Tolerance, compare_outcome
from .engines.base import Engine
from .errors import EngineUnavailable
from .execute import Execution, execute
from .observe import describe_exception, observe, stable_message
from .result import Result


def run_case(case: Case, engine: Engine, context: str = "eager") -> Result:
    """Run one case on one (loaded) engine and judge the outcome."""
    result = Result(case.id, engine.name, context, "error")
    if not case.applies_to(engine.tf_version):
        result.status, result.error = "skipped", f"the case applies to TF {case.versions}"
        return result
    recorded = engine.recorded_outcome(case, context)
    if recorded is not None:
        return recorded if recorded.outcome is None else judge(case, engine, recorded, None)
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
    oracles = getattr(case, "judge_oracles", None)  # op-table cases add their own oracles
    if oracles is not None:
        result.mismatches += oracles(result.outcome, result.mismatches)
    api = missing_api(exc, engine) if exc is not None else None
    if api and any(m.field.startswith("exception") for m in result.mismatches):
        result.status, result.unsupported_api = "unsupported", api
    else:
        result.status = "failed" if result.mismatches else "passed"
    return result


def outcome_of(run: Execution, engine: Engine) -> dict:
    """The JSON-ready outcome: observed values, exception, logs (their messages made
    independent of the process, `observe.stable_message`), output."""
    return {
        "values": {name: observe(value, engine) for name, value in run.values.items()},
        "exception": describe_exception(run.exception) if run.exception else None,
        "logs": [{**log, "message": stable_message(log["message"])} for log in run.logs],
        "output": run.output,
    }


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


def _exception_chain(exc: BaseException | None, limit: int = 10) -> list[BaseException]:
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
