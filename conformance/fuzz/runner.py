"""Running fuzz programs on two engines in worker processes, and judging them.

A program becomes a `Case` (its outputs are the observed names) and runs in
batches: one worker message per engine carries many programs. A batch that
a hang or crash loses is run again one program at a time, so only the
culprit is lost. Each program gets a `Verdict`: ``agreed``, ``diverged``
(the suite's own field-level comparison found mismatches; a crash, timeout
or harness error of the engine where the baseline ran is a divergence
too), ``unsupported`` (the engine lacks an API the program uses) or
``skipped`` (the baseline itself could not run it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..case import Case, Expectation
from ..compare import Mismatch, Tolerance, compare_outcomes
from ..isolation import Isolation, WorkerPool
from ..spec import Spec
from .ops import all_apis
from .program import Program, struct_names
from .render import render

COMPARABLE = ("passed", "failed")
ANY = Spec("type", type_name="<any>")


def to_case(program: Program, case_id: str) -> Case:
    """The case that runs `program` and observes every output."""
    source = render(program)
    values = {name: ANY for name in program.outputs}
    return Case(
        id=f"fuzz/{case_id}",
        local_id=case_id,
        path=f"<fuzz {case_id}>",
        line=1,
        title=case_id,
        doc="",
        source="",
        program=source,
        program_line=1,
        tags=(),
        expectation=Expectation(values=values),
        basis="observed",
    )


@dataclass
class Verdict:
    """What one program did on both engines."""

    index: int
    program: Program
    status: str  # agreed | diverged | unsupported | skipped
    signature: str = ""
    mismatches: list[Mismatch] = field(default_factory=list)
    results: tuple = ()  # (baseline Result, engine Result)
    note: str = ""


def judge(index: int, program: Program, base: Any, other: Any) -> Verdict:
    """Compare the baseline's and the engine's results of one program."""
    verdict = Verdict(index, program, "agreed", results=(base, other))
    if base.status not in COMPARABLE:
        verdict.status, verdict.note = "skipped", f"baseline {base.status}: {_why(base)}"
    elif other.status == "unsupported":
        verdict.status, verdict.note = "unsupported", other.unsupported_api or "unknown"
    elif other.status not in COMPARABLE:
        verdict.status, verdict.note = "diverged", f"{other.status}: {_why(other)}"
        verdict.signature = f"{other.status}{_context_tag(program)}"
    else:
        verdict.mismatches = compare_outcomes(base.outcome, other.outcome, Tolerance())
        if verdict.mismatches:
            verdict.status = "diverged"
            verdict.signature = signature(program, verdict.mismatches)
    return verdict


def _why(result: Any) -> str:
    return (
        (result.error or result.unsupported_api or "").splitlines()[0][:200]
        if (result.error or result.unsupported_api)
        else ""
    )


def _context_tag(program: Program) -> str:
    return "" if program.context == "eager" else f" [{program.context}]"


def query_kinds(program: Program) -> dict[str, str]:
    """output name → query kind (``gradient``, ``jvp``, …)."""
    return {q.out: q.kind for r in program.recorders for q in r.queries}


def signature(program: Program, mismatches: Sequence[Mismatch]) -> str:
    """The class of a divergence: which query kinds differ in which fields, and how."""
    kinds = query_kinds(program)
    parts = set()
    if any(m.field == "exception" for m in mismatches):  # unassigned outputs follow from it
        mismatches = [m for m in mismatches if m.field != "missing"]
    for m in mismatches:
        root = str(m.path[0])
        parts.add(f"{kinds.get(root, 'program')} {_field_class(m)}")
    return " + ".join(sorted(parts)) + _context_tag(program)


def _field_class(m: Mismatch) -> str:
    if m.field in ("none", "kind"):
        return f"{m.field}: {_head(m.expected)} vs {_head(m.observed)}"
    if m.field == "dtype":
        return f"dtype: {m.expected} vs {m.observed}"
    if m.field == "exception":
        return f"exception: {_exc_type(m.expected)} vs {_exc_type(m.observed)}"
    if m.field == "exception_type":
        return f"exception type: {m.expected} vs {m.observed}"
    if m.field == "exception_message":
        return "exception message"
    return m.field


def _head(text: Any) -> str:
    return str(text).split(" ", 1)[0]


def _exc_type(text: Any) -> str:
    text = str(text)
    return "none" if text == "no exception" else text.split(":", 1)[0]


class FuzzRunner:
    """Both engines in worker processes; programs in, verdicts out.

    Args:
        baseline: engine spec of the reference side (``tensorflow``).
        engine: the engine under test.
        isolation: per-batch deadline and memory cap.
        batch: programs per worker message.
    """

    def __init__(self, baseline: str, engine: str, isolation: Isolation, batch: int = 25) -> None:
        self.baseline_spec, self.engine_spec = baseline, engine
        self.pool = WorkerPool([baseline, engine], isolation)
        self.batch = batch
        self.engines: list[Any] = []
        self.errors: list[Any] = []

    def start(self) -> None:
        self.engines, self.errors = self.pool.start()

    def close(self) -> None:
        self.pool.close()

    def __enter__(self) -> FuzzRunner:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def discover(self) -> list[set[str]]:
        """Per engine, the fuzzer APIs its namespace has (see `ops.all_apis`)."""
        case = _discovery_case(all_apis())
        found = []
        for result in self.pool.run_batch(case, "eager"):
            value = ((result.outcome or {}).get("values") or {}).get("present") or {}
            found.append({item["value"] for item in value.get("items", [])})
        return found

    def run(self, indexed: Iterable[tuple[int, Program]], tag: str) -> list[Verdict]:
        """Run (index, program) pairs; one verdict each, in order."""
        items = list(indexed)
        cases = [(to_case(p, f"{tag}-{i}"), p.context) for i, p in items]
        verdicts: list[Verdict] = []
        for start in range(0, len(cases), self.batch):
            chunk = cases[start : start + self.batch]
            results = self._results(chunk)
            for (i, program), (base, other) in zip(items[start : start + self.batch], results):
                verdicts.append(judge(i, program, base, other))
        return verdicts

    def _results(self, chunk: list[tuple[Case, str]]) -> list[tuple[Any, Any]]:
        per_engine = self.pool.run_many(chunk) if len(chunk) > 1 else [None, None]
        if len(per_engine) != 2:
            raise RuntimeError("an engine could not be loaded")
        if all(r is not None for r in per_engine):
            return list(zip(*per_engine))
        return [tuple(self.pool.run_batch(case, context)) for case, context in chunk]


def _discovery_case(apis: list[str]) -> Case:
    program = (
        "def _has(path):\n"
        "    obj = tf\n"
        "    for part in path.split('.'):\n"
        "        try:\n"
        "            obj = getattr(obj, part)\n"
        "        except Exception:\n"
        "            return False\n"
        "    return True\n"
        f"present = [api for api in {apis!r} if _has(api)]\n"
    )
    return Case(
        id="fuzz/discover",
        local_id="discover",
        path="<fuzz discovery>",
        line=1,
        title="discover",
        doc="",
        source="",
        program=program,
        program_line=1,
        tags=(),
        expectation=Expectation(values={"present": ANY}),
    )


__all__ = ["FuzzRunner", "Verdict", "judge", "signature", "to_case", "struct_names"]
