"""Expectation files: per engine, the cases it is known to fail or must not run.

An engine under development rarely passes everything. An expectation file
(YAML, ``conformance run --expectations FILE``) lists, per engine name, case
ids or globs with a status and a reason::

    my-engine:
      - case: persistence/second-gradient-call-raises
        status: xfail
        reason: tapes are always persistent for now (issue 12)
      - case: "jacobian/*"
        status: skip
        reason: no jacobian yet
        context: function        # optional: only this context

Applying it turns results into:

* ``xfailed``: an ``xfail`` case failed (or errored) as expected;
* ``xpassed``: an ``xfail`` case passed; strict, so it fails the run (remove
  the entry, the bug is fixed);
* ``skipped``: a ``skip`` case (not run at all when every engine skips it).

An entry that matches no known case is *stale* and reported. Divergences of
an xfailed or skipped result are expected and no longer fail the run.
`updated_entries` writes the current failures back into the file
(``--update-expectations FILE``).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import yaml

from .case import CONTEXTS
from .errors import UsageError

STATUSES = ("xfail", "skip")
EXPECTED_PROBLEMS = ("failed", "error", "timeout", "crashed")
ENTRY_KEYS = {"case", "status", "reason", "context"}
HEADER = ("# Expected failures per engine, for `conformance run --expectations FILE`.\n"
          "# status: xfail (must fail; a pass fails the run) or skip (not run).\n"
          "# `case` is a case id or a glob; `context` (eager, function, xla) is optional.\n")


class ExpectationsError(UsageError):
    """An expectation file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Entry:
    """One line of an expectation file."""

    engine: str
    case: str
    status: str
    reason: str
    context: str | None = None
    line: int = 0

    def matches(self, case_id: str, context: str | None = None) -> bool:
        """True when this entry covers `case_id` (in `context`, when given)."""
        if self.context is not None and context is not None and context != self.context:
            return False
        return self.case == case_id or fnmatch.fnmatchcase(case_id, self.case)

    def to_json(self) -> dict:
        entry = {"engine": self.engine, "case": self.case, "status": self.status,
                 "reason": self.reason, "line": self.line}
        if self.context is not None:
            entry["context"] = self.context
        return entry


@dataclass(frozen=True)
class Expectations:
    """All entries of one file (an empty file expects nothing)."""

    path: str = ""
    entries: tuple[Entry, ...] = ()

    def entry_for(self, engine: str, case_id: str, context: str) -> Entry | None:
        """The first entry of `engine` covering the case in `context`."""
        for entry in self.entries:
            if entry.engine == engine and entry.matches(case_id, context):
                return entry
        return None

    def skipped_everywhere(self, case_id: str, context: str, engines: Sequence[str]) -> bool:
        """True when every engine in `engines` skips the case in `context`."""
        found = [self.entry_for(engine, case_id, context) for engine in engines]
        return bool(engines) and all(e is not None and e.status == "skip" for e in found)

    def stale(self, case_ids: Iterable[str]) -> list[Entry]:
        """Entries that match none of `case_ids`."""
        ids = list(case_ids)
        return [e for e in self.entries if not any(e.matches(i) for i in ids)]


# ----------------------------------------------------------------- reading

def load_expectations(path: Path) -> Expectations:
    """Read and check an expectation file.

    Raises:
        ExpectationsError: the file cannot be read or is malformed.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ExpectationsError(f"{path}: cannot read the expectation file: "
                                f"{exc.strerror}") from None
    return parse_expectations(text, str(path))


def parse_expectations(text: str, where: str = "<expectations>") -> Expectations:
    """Parse the text of an expectation file (see the module docstring)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise ExpectationsError(f"{where}{line}: invalid YAML: "
                                f"{getattr(exc, 'problem', exc)}") from None
    if node is None:
        return Expectations(where, ())
    if not isinstance(node, yaml.MappingNode):
        raise ExpectationsError(f"{where}:{_line(node)}: an expectation file maps engine "
                                "names to lists of entries")
    entries: list[Entry] = []
    for key_node, value_node in node.value:
        entries += _engine_entries(key_node, value_node, where)
    return Expectations(where, tuple(entries))


def _engine_entries(key_node: yaml.Node, value_node: yaml.Node, where: str) -> list[Entry]:
    engine = key_node.value
    if not isinstance(value_node, yaml.SequenceNode):
        raise ExpectationsError(f"{where}:{_line(value_node)}: engine {engine!r}: expected "
                                "a list of entries")
    return [_entry(engine, item, where) for item in value_node.value]


def _entry(engine: str, node: yaml.Node, where: str) -> Entry:
    place = f"{where}:{_line(node)}"
    if not isinstance(node, yaml.MappingNode):
        raise ExpectationsError(f"{place}: an entry is a mapping with case, status, reason")
    raw = {k.value: v.value for k, v in node.value if isinstance(v, yaml.ScalarNode)}
    unknown = {k.value for k, _ in node.value} - ENTRY_KEYS
    if unknown:
        raise ExpectationsError(f"{place}: unknown key(s) {', '.join(sorted(unknown))}; "
                                f"known: {', '.join(sorted(ENTRY_KEYS))}")
    for key in ("case", "status", "reason"):
        if not str(raw.get(key) or "").strip():
            raise ExpectationsError(f"{place}: the entry needs a non-empty {key!r}")
    if raw["status"] not in STATUSES:
        raise ExpectationsError(f"{place}: status {raw['status']!r} is not one of "
                                f"{', '.join(STATUSES)}")
    if raw.get("context") not in (None, *CONTEXTS):
        raise ExpectationsError(f"{place}: context {raw['context']!r} is not one of "
                                f"{', '.join(CONTEXTS)}")
    return Entry(engine=engine, case=raw["case"], status=raw["status"], reason=raw["reason"],
                 context=raw.get("context"), line=_line(node))


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


# ----------------------------------------------------------------- applying

@dataclass
class Applied:
    """What applying an expectation file changed in a run."""

    path: str
    changed: list[dict] = field(default_factory=list)   # one per result whose status changed
    stale: list[Entry] = field(default_factory=list)
    expected_divergences: int = 0

    def count(self, status: str) -> int:
        return sum(c["status"] == status for c in self.changed)

    def to_json(self) -> dict:
        return {"file": self.path, "changed": self.changed,
                "stale": [e.to_json() for e in self.stale],
                "expected_divergences": self.expected_divergences,
                "counts": {s: self.count(s) for s in ("xfailed", "xpassed", "skipped")}}


def apply_expectations(expectations: Expectations, run, known_case_ids: Iterable[str]) -> Applied:
    """Rewrite the statuses of `run.results` (a `runner.RunOutcome`) in place.

    Also drops the divergences of results that were xfailed or skipped, and
    finds the stale entries (those matching none of `known_case_ids`).
    """
    applied = Applied(expectations.path, stale=expectations.stale(known_case_ids))
    excused: set[tuple[str, str, str]] = set()
    for result in run.results:
        entry = expectations.entry_for(result.engine, result.case, result.context)
        new = _new_status(entry, result.status)
        if entry is None or new is None:
            continue
        applied.changed.append({"case": result.case, "engine": result.engine,
                                "context": result.context, "was": result.status,
                                "status": new, "reason": entry.reason, "line": entry.line})
        result.status = new
        if new == "skipped":
            result.error = f"expectations: {entry.reason}"
        if new in ("xfailed", "skipped"):
            excused.add((result.case, result.context, result.engine))
    kept = [d for d in run.divergences
            if (d.case, d.context, d.engine) not in excused
            and (d.case, d.context, d.baseline) not in excused]
    applied.expected_divergences = len(run.divergences) - len(kept)
    run.divergences[:] = kept
    return applied


def _new_status(entry: Entry | None, status: str) -> str | None:
    if entry is None:
        return None
    if entry.status == "skip":
        return "skipped" if status != "skipped" else None
    if status in EXPECTED_PROBLEMS:
        return "xfailed"
    return "xpassed" if status == "passed" else None


def runnable_cases(cases: Sequence, expectations: Expectations, engines: Sequence[str]) -> list:
    """The cases to run: drop the contexts every engine skips, and cases left with none."""
    from dataclasses import replace
    kept = []
    for case in cases:
        contexts = tuple(c for c in case.contexts
                         if not expectations.skipped_everywhere(case.id, c, engines))
        if contexts == case.contexts:
            kept.append(case)
        elif contexts:
            kept.append(replace(case, contexts=contexts))
    return kept


def summary_lines(applied: Applied) -> list[str]:
    """What the run summary prints about an expectation file."""
    lines = [f"expectations {applied.path}: {applied.count('xfailed')} xfailed, "
             f"{applied.count('xpassed')} xpassed, {applied.count('skipped')} skipped, "
             f"{applied.expected_divergences} expected divergence(s), "
             f"{len(applied.stale)} stale"]
    for change in applied.changed:
        if change["status"] == "xpassed":
            context = "" if change["context"] == "eager" else "-" + change["context"]
            lines.append(f"  XPASSED {change['case']} [{change['engine']}{context}]: expected "
                         f"to fail ({change['reason']}); remove the entry at line "
                         f"{change['line']}")
    for entry in applied.stale:
        lines.append(f"  STALE {applied.path}:{entry.line}: {entry.engine}: {entry.case!r} "
                     "matches no case")
    return lines


# ----------------------------------------------------------------- updating

def updated_entries(previous: Expectations, results: Sequence, describe) -> list[Entry]:
    """The entries of an updated file: the current failures become ``xfail``.

    Kept: ``skip`` entries, entries of engines that did not run, and entries
    that covered no result of this run (a run of a subset keeps the rest).
    Dropped: ``xfail`` entries all of whose results now pass. Added: one
    ``xfail`` entry per failing case not yet covered, its reason from
    `describe(result)` (the first problem).
    """
    failing = [r for r in results if r.status in EXPECTED_PROBLEMS + ("xfailed",)]
    entries = [e for e in previous.entries if _keep(e, results, failing)]
    for engine, case, contexts in _failures_by_case(failing):
        if any(e.engine == engine and e.status == "xfail" and e.matches(case)
               and (e.context is None or e.context in contexts) for e in entries):
            continue
        result = next(r for r in failing if r.engine == engine and r.case == case)
        context = contexts[0] if len(contexts) == 1 and _ran_in_other(results, result) else None
        entries.append(Entry(engine, case, "xfail", describe(result)[:200], context))
    return entries


def _keep(entry: Entry, results: Sequence, failing: Sequence) -> bool:
    if entry.status == "skip":
        return True
    covered = [r for r in results if r.engine == entry.engine
               and entry.matches(r.case, r.context) and r.status not in ("unsupported",)]
    return not covered or any(r in failing for r in covered)


def _failures_by_case(failing: Sequence) -> list[tuple[str, str, list[str]]]:
    grouped: dict[tuple[str, str], list[str]] = {}
    for r in failing:
        grouped.setdefault((r.engine, r.case), []).append(r.context)
    return [(engine, case, contexts) for (engine, case), contexts in grouped.items()]


def _ran_in_other(results: Sequence, failed) -> bool:
    """True when the case also ran (and did not fail) in another context."""
    return any(r.engine == failed.engine and r.case == failed.case
               and r.context != failed.context for r in results)


def write_expectations(path: Path, entries: Sequence[Entry]) -> None:
    """Write `entries` as an expectation file, grouped per engine, sorted by case."""
    by_engine: dict[str, list[dict]] = {}
    for e in sorted(entries, key=lambda e: (e.engine, e.case, e.context or "")):
        item = {"case": e.case, "status": e.status, "reason": e.reason}
        if e.context is not None:
            item["context"] = e.context
        by_engine.setdefault(e.engine, []).append(item)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.safe_dump(by_engine, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(HEADER + (body if by_engine else "{}\n"), encoding="utf-8")


__all__ = ["Entry", "Expectations", "ExpectationsError", "Applied", "load_expectations",
           "parse_expectations", "apply_expectations", "runnable_cases", "summary_lines",
           "updated_entries",
           "write_expectations"]
