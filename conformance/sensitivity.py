"""Mutation self-test: which cases catch which deliberately broken engine.

A case *catches* a mutant (`conformance.mutants`) when it passes on the
oracle engine (TensorFlow; ``--oracle``, ``baseline`` in the data) and does not
pass on the mutant. A mutant no
case catches is a behavior the corpus does not pin down; a case that catches
no mutant may still be valuable, but it adds nothing to this self-test.

Everything runs in this process, TensorFlow imported once. A mutant only
runs the cases whose program uses one of its ``TOUCHES`` words (the only
cases whose outcome it can change), and the oracle only runs a case when a
mutant needs it. `measure(..., first_only=True)` stops at the first catching
case per mutant, which is what a CI check needs.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .case import Case
from .engines import resolve_engine
from .engines.base import Engine
from .errors import UsageError
from .mutants import MutantInfo, mutant_info, mutant_names
from .report import add_sensitivity, read_record, write_json
from .result import Result
from .trial import load_engines, run_case

NOT_CAUGHT = ("passed", "skipped", "unsupported")


@dataclass
class MutantRun:
    """One mutant's outcome on the corpus."""

    info: MutantInfo
    caught_by: list[str] = field(default_factory=list)  # case ids, in corpus order
    runs: int = 0
    seconds: float = 0.0
    error: str | None = None  # the mutant could not load

    def to_json(self) -> dict:
        return {
            "module": self.info.module,
            "area": self.info.area,
            "broken": self.info.broken,
            "seen_in": self.info.seen_in,
            "caught_by": self.caught_by,
            "runs": self.runs,
            "seconds": round(self.seconds, 3),
            "error": self.error,
        }


@dataclass
class Sensitivity:
    """The whole self-test: per mutant its catching cases, per case its mutants."""

    baseline: str
    case_ids: list[str]
    mutants: list[MutantRun] = field(default_factory=list)
    baseline_failures: list[str] = field(default_factory=list)  # cases unusable here
    first_only: bool = False
    seconds: float = 0.0

    def by_case(self) -> dict[str, list[str]]:
        """Case id → the mutants it catches (every usable case, maybe empty)."""
        table = {cid: [] for cid in self.case_ids if cid not in self.baseline_failures}
        for run in self.mutants:
            for cid in run.caught_by:
                table.setdefault(cid, []).append(run.info.name)
        return table

    def uncaught(self) -> list[MutantRun]:
        return [m for m in self.mutants if not m.caught_by]

    def insensitive_cases(self) -> list[str]:
        return [cid for cid, found in self.by_case().items() if not found]

    def to_json(self) -> dict:
        """The ``sensitivity`` key of a run record."""
        return {
            "baseline": self.baseline,
            "first_only": self.first_only,
            "seconds": round(self.seconds, 3),
            "mutants": {m.info.name: m.to_json() for m in self.mutants},
            "cases": self.by_case(),
            "uncaught_mutants": [m.info.name for m in self.uncaught()],
            "insensitive_cases": [] if self.first_only else self.insensitive_cases(),
            "baseline_failures": self.baseline_failures,
        }


def relevant(case: Case, touches: Sequence[str]) -> bool:
    """True when the case's program uses one of the mutant's API words."""
    return not touches or any(word in case.program for word in touches)


class _Baseline:
    """The baseline engine's verdict per (case, context), computed on demand."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.verdicts = engine, {}

    def passes(self, case: Case, context: str) -> bool:
        key = (case.id, context)
        if key not in self.verdicts:
            self.verdicts[key] = run_case(case, self.engine, context).status == "passed"
        return self.verdicts[key]

    def failures(self) -> list[str]:
        return sorted({cid for (cid, _), ok in self.verdicts.items() if not ok})


def measure(
    cases: Sequence[Case],
    mutants: Sequence[str] | None = None,
    *,
    baseline: str = "tensorflow",
    first_only: bool = False,
    progress: Callable[[str, Result], None] | None = None,
) -> Sensitivity:
    """Run the mutants on the cases and record which cases catch which mutant.

    Args:
        cases: the corpus (or a selection of it).
        mutants: mutant names (default: all of `conformance.mutants`).
        baseline: the engine a case must pass on to count.
        first_only: stop each mutant at its first catching case.
        progress: called with (mutant name, result) after every mutant run.

    Raises:
        EngineUnavailable: the baseline engine cannot be loaded.
    """
    started = time.perf_counter()
    known = mutant_names()
    unknown = sorted(set(mutants or ()) - set(known))
    if unknown:
        raise UsageError(f"unknown mutant(s) {', '.join(unknown)}; known: {', '.join(known)}")
    base = _load(resolve_engine(baseline))
    verdicts = _Baseline(base)
    report = Sensitivity(baseline=base.name, case_ids=[c.id for c in cases], first_only=first_only)
    for name in mutants or known:
        report.mutants.append(_run_mutant(name, cases, verdicts, first_only, progress))
    report.baseline_failures = verdicts.failures()
    report.seconds = time.perf_counter() - started
    return report


def tag_sensitivity(cases: Sequence[Case], baseline: str = "tensorflow") -> dict[str, str | None]:
    """Per tag, a mutant that some case with that tag catches (None: no mutant).

    Mutants whose hint words name the tag are tried first, and each tag
    stops at its first catch, so this is cheap enough for the test suite.
    """
    verdicts = _Baseline(_load(resolve_engine(baseline)))
    engines: dict[str, Engine] = {}
    found: dict[str, str | None] = {}
    for tag in sorted({t for case in cases for t in case.tags}):
        tagged = [case for case in cases if tag in case.tags]
        found[tag] = _first_catching_mutant(tag, tagged, verdicts, engines)
    return found


def _first_catching_mutant(
    tag: str, cases: Sequence[Case], verdicts: _Baseline, engines: dict[str, Engine]
) -> str | None:
    names = sorted(
        mutant_names(),
        key=lambda n: not any(hint in tag or tag in hint for hint in mutant_info(n).hints),
    )
    for name in names:
        info = mutant_info(name)
        if name not in engines:
            engines[name] = _load(resolve_engine(info.module))
        run = MutantRun(info)
        if any(
            _catches(case, engines[name], info, verdicts, run, None)
            for case in _hinted_first(cases, info.hints)
        ):
            return name
    return None


def _load(engine: Engine) -> Engine:
    ready, failed = load_engines([engine])
    if failed:
        raise failed[0]
    return ready[0]


def _run_mutant(
    name: str,
    cases: Sequence[Case],
    verdicts: _Baseline,
    first_only: bool,
    progress: Callable[[str, Result], None] | None,
) -> MutantRun:
    started = time.perf_counter()
    info = mutant_info(name)
    run = MutantRun(info)
    try:
        engine = _load(resolve_engine(info.module))
    except Exception as exc:  # a broken mutant is reported, not fatal
        run.error = f"{type(exc).__name__}: {exc}"
        return run
    for case in _hinted_first(cases, info.hints) if first_only else cases:
        if _catches(case, engine, info, verdicts, run, progress):
            run.caught_by.append(case.id)
            if first_only:
                break
    run.seconds = time.perf_counter() - started
    return run


def _hinted_first(cases: Sequence[Case], hints: Sequence[str]) -> list[Case]:
    """The cases whose id or tags contain a hint word first, otherwise in order."""

    def hinted(case: Case) -> bool:
        text = " ".join([case.id, *case.tags])
        return any(hint in text for hint in hints)

    return sorted(cases, key=lambda case: not hinted(case))


def _catches(
    case: Case,
    engine: Engine,
    info: MutantInfo,
    verdicts: _Baseline,
    run: MutantRun,
    progress: Callable[[str, Result], None] | None,
) -> bool:
    if not relevant(case, info.touches):
        return False
    caught = False
    for context in case.contexts:
        if not verdicts.passes(case, context):
            continue
        result = run_case(case, engine, context)
        run.runs += 1
        if progress:
            progress(info.name, result)
        caught = caught or result.status not in NOT_CAUGHT
        if caught:
            break
    return caught


def write_outputs(
    report: Sensitivity, json_path: Path | None = None, record_path: Path | None = None
) -> None:
    """Write the data alone (`json_path`) and/or into a run record (`record_path`)."""
    data = report.to_json()
    if json_path is not None:
        Path(json_path).parent.mkdir(parents=True, exist_ok=True)
        Path(json_path).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    if record_path is not None:
        write_json(add_sensitivity(read_record(record_path), data), Path(record_path))


def format_report(report: Sensitivity) -> list[str]:
    """The lines ``conformance sensitivity`` prints."""
    lines = []
    width = max((len(m.info.name) for m in report.mutants), default=10)
    for m in report.mutants:
        label = f"{m.info.name:<{width}}  {m.info.area:<13}"
        if m.error:
            lines.append(f"{label}  ERROR: {m.error}")
        elif m.caught_by:
            more = "+" if report.first_only else ""
            lines.append(f"{label}  {len(m.caught_by)}{more} case(s): {', '.join(m.caught_by)}")
        else:
            lines.append(f"{label}  NOT CAUGHT ({m.runs} runs): {m.info.broken}")
    caught = len(report.mutants) - len(report.uncaught())
    lines.append(f"mutants caught: {caught} of {len(report.mutants)} ({report.seconds:.1f}s)")
    if report.baseline_failures:
        lines.append(
            f"cases not usable (they do not pass on {report.baseline}): "
            f"{len(report.baseline_failures)}"
        )
    if not report.first_only:
        insensitive = report.insensitive_cases()
        lines.append(f"cases that catch no mutant: {len(insensitive)}")
        lines += [f"  {cid}" for cid in insensitive]
    return lines


__all__ = ["MutantRun", "Sensitivity", "measure", "relevant", "format_report", "write_outputs"]
