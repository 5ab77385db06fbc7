"""Reference-rule mutants: every VJP and JVP rule of the reference engine, broken
one at a time (scaled by 2, zeroed, negated), and the op-table result that catches it.

`exercise` runs the op table once on the reference with every rule wrapped
by a recorder: which results reach which rule, and whether the rule ever
returned something non-zero there. `measure` then patches one rule at a time
(`reference_impl.core.registry.patched_rule`) and re-runs, in this process,
the results that reached it and passed unmutated, until one fails: that
result catches the mutant. A mutant nothing catches is listed with why:

* ``not exercised``: no op-table result reaches the rule;
* ``equivalent``: the rule returned only zeros (or None) on every input the
  table reached it with, so zeroing / scaling / negating it changes nothing;
* ``every reaching result already fails``: no passing result to break;
* ``not caught``: a gap in the table.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

MUTATIONS = ("scaled", "zeroed", "negated")
CAUGHT = ("failed", "error", "timeout", "crashed")
MAX_TRIES = 40  # reaching results tried per mutant before "not caught"


@dataclass
class RuleUse:
    """Where one rule (primitive, kind, argument) is reached in the op table."""

    results: list[str] = field(default_factory=list)
    nonzero: bool = False


@dataclass
class RuleMutant:
    prim: str
    kind: str
    argnum: int
    mutation: str
    caught_by: str | None = None
    reason: str | None = None

    @property
    def name(self) -> str:
        return f"{self.prim}.{self.kind}[{self.argnum}].{self.mutation}"

    def to_json(self) -> dict:
        return {
            "rule": f"{self.prim}.{self.kind}[{self.argnum}]",
            "mutation": self.mutation,
            "caught_by": self.caught_by,
            "reason": self.reason,
        }


SHARED: set[tuple[str, str, int]] = set()  # keys of one-rule-for-all-arguments primitives


def rule_keys(max_args: int = 4) -> list[tuple[str, str, int]]:
    """(primitive, kind, argnum) of every rule of the reference (shared-rule
    primitives: arguments 0..max_args-1, the unreached ones dropped later)."""
    from reference_impl.core.registry import PRIMITIVES, rules

    keys = []
    for name, prim in PRIMITIVES.items():
        if prim.nondiff:
            continue
        for kind in ("vjp", "jvp"):
            table = rules(prim, kind)
            argnums = (
                range(max_args)
                if table is None
                else [i for i, rule in table.items() if rule is not None]
            )
            keys += [(name, kind, i) for i in argnums]
            if table is None:
                SHARED.update((name, kind, i) for i in argnums if i > 0)
    return keys


def _nonzero(value: Any) -> bool:
    if value is None:
        return False
    values = getattr(value, "values", None)  # IndexedSlices
    array = np.asarray((values if values is not None else value).numpy())
    return bool(array.size and np.any(array != 0))


def _recording(key: tuple, uses: dict, current: list) -> Callable:
    def wrap(old: Callable | None) -> Callable | None:
        if old is None:
            return None

        def rule(*args: Any, **kwargs: Any) -> Any:
            out = old(*args, **kwargs)
            use = uses.setdefault(key, RuleUse())
            if not use.results or use.results[-1] != current[0]:
                use.results.append(current[0])
            use.nonzero = use.nonzero or _nonzero(out)
            return out

        return rule

    return wrap


class _RecordingTable:
    """A rule table whose every rule records its use (lists and shared rules alike)."""

    def __init__(self, table: Any, prim: str, kind: str, uses: dict, current: list) -> None:
        self.table, self.prim, self.kind, self.uses, self.current = table, prim, kind, uses, current

    def __getitem__(self, argnum: int) -> Any:
        return _recording((self.prim, self.kind, argnum), self.uses, self.current)(
            self.table[argnum]
        )

    def __len__(self) -> int:
        return len(self.table)

    def __iter__(self) -> Iterator:
        return (self[i] for i in range(len(self.table)))


@contextlib.contextmanager
def _all_recorded(uses: dict, current: list) -> Iterator[None]:
    """Every rule of every primitive records its use until exit (then restored)."""
    from reference_impl.core.registry import PRIMITIVES

    saved = [(prim, prim.vjps, prim.jvps) for prim in PRIMITIVES.values()]
    try:
        for prim, vjps, jvps in saved:
            if vjps is not None:
                prim.vjps = _RecordingTable(vjps, prim.name, "vjp", uses, current)
            if jvps is not None:
                prim.jvps = _RecordingTable(jvps, prim.name, "jvp", uses, current)
        yield
    finally:
        for prim, vjps, jvps in saved:
            prim.vjps, prim.jvps = vjps, jvps


def exercise(cases: Sequence, engine: Any) -> tuple[dict, set[str]]:
    """Rule key → `RuleUse`, and the ids of the results that pass unmutated."""
    from ..runner import run_case

    uses: dict = {}
    current = [""]
    passing = set()
    with _all_recorded(uses, current):
        for case in cases:
            current[0] = case.id
            if run_case(case, engine).status == "passed":
                passing.add(case.id)
    return uses, passing


def _mutate(mutation: str) -> Callable:
    def transform(value: Any) -> Any:
        if value is None:
            return None
        if hasattr(value, "indices") and hasattr(value, "values"):
            return type(value)(transform(value.values), value.indices, value.dense_shape)
        if mutation == "zeroed":
            return value * 0
        return value * 2 if mutation == "scaled" else -value

    def wrap(old: Callable | None) -> Callable | None:
        if old is None:
            return None
        return lambda *args, **kwargs: transform(old(*args, **kwargs))

    return wrap


def _catch(
    mutant: RuleMutant, use: RuleUse | None, passing: set[str], by_id: dict, engine: Any
) -> None:
    from reference_impl.core.registry import PRIMITIVES, patched_rule

    from ..runner import run_case

    if use is None:
        mutant.reason = "not exercised: no op-table result reaches this rule"
        return
    if not use.nonzero:
        mutant.reason = (
            "equivalent: the rule returned only zeros or None wherever the table reached it"
        )
        return
    candidates = [cid for cid in use.results if cid in passing][:MAX_TRIES]
    if not candidates:
        mutant.reason = "every op-table result reaching this rule already fails on the reference"
        return
    with patched_rule(
        PRIMITIVES[mutant.prim], mutant.kind, mutant.argnum, _mutate(mutant.mutation)
    ):
        for cid in candidates:
            if run_case(by_id[cid], engine).status in CAUGHT:
                mutant.caught_by = cid
                return
    mutant.reason = f"not caught by the {len(candidates)} passing result(s) reaching it"


@dataclass
class RuleSensitivity:
    mutants: list[RuleMutant]
    rules: int
    exercised: int
    seconds: float

    def uncaught(self) -> list[RuleMutant]:
        return [m for m in self.mutants if m.caught_by is None]

    def to_json(self) -> dict:
        return {
            "rules": self.rules,
            "exercised": self.exercised,
            "mutants": len(self.mutants),
            "caught": len(self.mutants) - len(self.uncaught()),
            "seconds": round(self.seconds, 2),
            "results": [m.to_json() for m in self.mutants],
        }


def measure(cases: Sequence) -> RuleSensitivity:
    """Every single-rule mutant of the reference against the op-table `cases`."""
    from ..engines import resolve_engine

    started = time.perf_counter()
    engine = resolve_engine("reference")
    engine.load()
    uses, passing = exercise(cases, engine)
    by_id = {case.id: case for case in cases}
    keys = [key for key in rule_keys() if key in uses or key not in SHARED]
    mutants = []
    for prim, kind, argnum in keys:
        for mutation in MUTATIONS:
            mutant = RuleMutant(prim, kind, argnum, mutation)
            _catch(mutant, uses.get((prim, kind, argnum)), passing, by_id, engine)
            mutants.append(mutant)
    exercised = sum(1 for key in keys if key in uses)
    return RuleSensitivity(mutants, len(keys), exercised, time.perf_counter() - started)


def format_report(report: RuleSensitivity) -> list[str]:
    caught = len(report.mutants) - len(report.uncaught())
    lines = [
        (
            f"reference rules: {report.rules} (primitive x VJP/JVP x argument), "
            f"{report.exercised} exercised by the op table; {len(report.mutants)} single-rule "
            f"mutants, {caught} caught ({report.seconds:.1f} s)"
        )
    ]
    for mutant in report.mutants:
        what = (
            f"caught by {mutant.caught_by}" if mutant.caught_by else f"NOT CAUGHT: {mutant.reason}"
        )
        lines.append(f"  {mutant.name}: {what}")
    return lines
