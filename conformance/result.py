"""Results and statuses: what running a case produced, as plain data.

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
* ``xfailed`` / ``xpassed``: an xfails file (`xfails`) said the case fails on
  this engine, and it did / did not (``xpassed`` fails a run).

A `Divergence` is two engines observing different things for the same case
and context. `RunOutcome` is everything a run produced. These types are
shared by the runner (`runner`, `trial`), the worker processes
(`isolation`), the journal and the record; this module imports none of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .compare import Mismatch
from .engines.base import Engine
from .errors import EngineUnavailable

STATUSES = (
    "passed",
    "failed",
    "unsupported",
    "skipped",
    "error",
    "timeout",
    "crashed",
    "xfailed",
    "xpassed",
)
PROBLEMS = ("failed", "error", "timeout", "crashed", "xpassed")  # statuses that fail a run
COMPARABLE = ("passed", "failed")

ResultKey = tuple[str, str, str]  # (case id, context, engine name)


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
    leaks: list[str] = field(default_factory=list)  # state left behind (`case_state`)

    @property
    def key(self) -> tuple[str, str]:
        return (self.case, self.context)

    def to_json(self) -> dict:
        return {
            "case": self.case,
            "engine": self.engine,
            "context": self.context,
            "status": self.status,
            "outcome": self.outcome,
            "mismatches": [m.to_json() for m in self.mismatches],
            "unsupported_api": self.unsupported_api,
            "error": self.error,
            "seconds": round(self.seconds, 6),
            "leaks": list(self.leaks),
        }

    @classmethod
    def from_json(cls, entry: dict) -> Result | None:
        """The `Result` a JSON entry (`to_json`) describes, or None if it is not one."""
        try:
            return cls(
                case=entry["case"],
                engine=entry["engine"],
                context=entry["context"],
                status=entry["status"],
                outcome=entry.get("outcome"),
                mismatches=[Mismatch.from_json(m) for m in entry.get("mismatches") or []],
                unsupported_api=entry.get("unsupported_api"),
                error=entry.get("error"),
                seconds=float(entry.get("seconds") or 0.0),
                leaks=[str(leak) for leak in entry.get("leaks") or []],
            )
        except (KeyError, TypeError, ValueError):
            return None


@dataclass
class Divergence:
    """Two engines disagree on a case, field by field; `baseline` is the reference
    point (the first engine of the run) the other engine is compared with."""

    case: str
    context: str
    baseline: str
    engine: str
    mismatches: list[Mismatch]

    def to_json(self) -> dict:
        return {
            "case": self.case,
            "context": self.context,
            "baseline": self.baseline,
            "engine": self.engine,
            "mismatches": [m.to_json() for m in self.mismatches],
        }


@dataclass
class RunOutcome:
    """Everything a run produced."""

    results: list[Result] = field(default_factory=list)
    divergences: list[Divergence] = field(default_factory=list)
    engine_errors: list[EngineUnavailable] = field(default_factory=list)
    engines: list[Engine] = field(default_factory=list)
    seconds: float = 0.0


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
    return {
        engine: dict(sorted(apis.items(), key=lambda item: (-len(item[1]), item[0])))
        for engine, apis in found.items()
    }
