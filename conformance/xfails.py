"""Xfails files: per engine, the cases it is known to fail or must not run.

An engine under development rarely passes everything. An xfails file (YAML,
``conformance run --xfails FILE``; ``--expectations`` is an older alias)
lists, per engine name, case ids or globs with a status and a reason::

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
(``--update-xfails FILE``).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from .case import CONTEXTS
from .errors import UsageError
from .result import Result, RunOutcome

STATUSES = ("xfail", "skip")
EXPECTED_PROBLEMS = ("failed", "error", "timeout", "crashed")
ENTRY_KEYS = {"case", "status", "reason", "context"}
HEADER = (
    "# Expected failures per engine, for `conformance run --xfails FILE`.\n"
    "# status: xfail (must fail; a pass fails the run) or skip (not run).\n"
    "# `case` is a case id or a glob; `context` (eager, function, xla) is optional.\n"
)


class XfailsError(UsageError):
    """An xfails file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Entry:
    """One line of an xfails file."""

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
        entry = {
            "engine": self.engine,
            "case": self.case,
            "status": self.status,
            "reason": self.reason,
            "line": self.line,
        }
        if self.context is not None:
            entry["context"] = self.context
        return entry


@dataclass(frozen=True)
class Xfails:
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


def load_xfails(path: Path) -> Xfails:
    """Read and check an xfails file.

    Raises:
        XfailsError: the file cannot be read or is malformed.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise XfailsError(f"{path}: cannot read the xfails file: {exc.strerror}") from None
    return parse_xfails(text, str(path))


def parse_xfails(text: str, where: str = "<xfails>") -> Xfails:
    """Parse the text of an xfails file (see the module docstring)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise XfailsError(f"{where}{line}: invalid YAML: {getattr(exc, 'problem', exc)}") from None
    if node is None:
        return Xfails(where, ())
    if not isinstance(node, yaml.MappingNode):
        raise XfailsError(
            f"{where}:{_line(node)}: an xfails file maps engine names to lists of entries"
        )
    entries: list[Entry] = []
    for key_node, value_node in node.value:
        entries += _engine_entries(key_node, value_node, where)
    return Xfails(where, tuple(entries))


def _engine_entries(key_node: yaml.Node, value_node: yaml.Node, where: str) -> list[Entry]:
    engine = key_node.value
    if not isinstance(value_node, yaml.SequenceNode):
        raise XfailsError(
            f"{where}:{_line(value_node)}: engine {engine!r}: expected a list of entries"
        )
    return [_entry(engine, item, where) for item in value_node.value]


def _entry(engine: str, node: yaml.Node, where: str) -> Entry:
    place = f"{where}:{_line(node)}"
    if not isinstance(node, yaml.MappingNode):
        raise XfailsError(f"{place}: an entry is a mapping with case, status, reason")
    raw = {k.value: v.value for k, v in node.value if isinstance(v, yaml.ScalarNode)}
    unknown = {k.value for k, _ in node.value} - ENTRY_KEYS
    if unknown:
        raise XfailsError(
            f"{place}: unknown key(s) {', '.join(sorted(unknown))}; "
            f"known: {', '.join(sorted(ENTRY_KEYS))}"
        )
    for key in ("case", "status", "reason"):
        if not str(raw.get(key) or "").strip():
            raise XfailsError(f"{place}: the entry needs a non-empty {key!r}")
    if raw["status"] not in STATUSES:
        raise XfailsError(f"{place}: status {raw['status']!r} is not one of {', '.join(STATUSES)}")
    if raw.get("context") not in (None, *CONTEXTS):
        raise XfailsError(
            f"{place}: context {raw['context']!r} is not one of {', '.join(CONTEXTS)}"
        )
    return Entry(
        engine=engine,
        case=raw["case"],
        status=raw["status"],
        reason=raw["reason"],
        context=raw.get("context"),
        line=_line(node),
    )


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


# ----------------------------------------------------------------- applying


@dataclass
class Applied:
    """What applying an xfails file changed in a run."""

    path: str
    changed: list[dict] = field(default_factory=list)  # one per result whose status changed
    stale: list[Entry] = field(default_factory=list)
    expected_divergences: int = 0

    def count(self, status: str) -> int:
        return sum(c["status"] == status for c in self.changed)

    def to_json(self) -> dict:
        return {
            "file": self.path,
            "changed": self.changed,
            "stale": [e.to_json() for e in self.stale],
            "expected_divergences": self.expected_divergences,
            "counts": {s: self.count(s) for s in ("xfailed", "xpassed", "skipped")},
        }


def apply_xfails(
    xfails: Xfails, run: RunOutcome, known_case_ids: Iterable[str]
) -> tuple[RunOutcome, Applied]:
    """The run with the file's statuses applied (a new `RunOutcome`; `run` is unchanged).

    Also drops the divergences of results that were xfailed or skipped, and
    finds the stale entries (those matching none of `known_case_ids`).
    """
    applied = Applied(xfails.path, stale=xfails.stale(known_case_ids))
    results = [_applied(xfails, result, applied) for result in run.results]
    excused = {
        (c["case"], c["context"], c["engine"])
        for c in applied.changed
        if c["status"] in ("xfailed", "skipped")
    }
    kept = [
        d
        for d in run.divergences
        if (d.case, d.context, d.engine) not in excused
        and (d.case, d.context, d.baseline) not in excused
    ]
    applied.expected_divergences = len(run.divergences) - len(kept)
    return replace(run, results=results, divergences=kept), applied


def _applied(xfails: Xfails, result: Result, applied: Applied) -> Result:
    """`result` with the status its entry gives it (the same object when none applies)."""
    entry = xfails.entry_for(result.engine, result.case, result.context)
    new = _new_status(entry, result.status)
    if entry is None or new is None:
        return result
    applied.changed.append(
        {
            "case": result.case,
            "engine": result.engine,
            "context": result.context,
            "was": result.status,
            "status": new,
            "reason": entry.reason,
            "line": entry.line,
        }
    )
    error = f"xfails: {entry.reason}" if new == "skipped" else result.error
    return replace(result, status=new, error=error)


def _new_status(entry: Entry | None, status: str) -> str | None:
    if entry is None:
        return None
    if entry.status == "skip":
        return "skipped" if status != "skipped" else None
    if status in EXPECTED_PROBLEMS:
        return "xfailed"
    return "xpassed" if status == "passed" else None


def runnable_cases(cases: Sequence, expectations: Xfails, engines: Sequence[str]) -> list:
    """The cases to run: drop the contexts every engine skips, and cases left with none."""
    kept = []
    for case in cases:
        contexts = tuple(
            c for c in case.contexts if not expectations.skipped_everywhere(case.id, c, engines)
        )
        if contexts == case.contexts:
            kept.append(case)
        elif contexts:
            kept.append(replace(case, contexts=contexts))
    return kept


def summary_lines(applied: Applied) -> list[str]:
    """What the run summary prints about an xfails file."""
    lines = [
        f"xfails {applied.path}: {applied.count('xfailed')} xfailed, "
        f"{applied.count('xpassed')} xpassed, {applied.count('skipped')} skipped, "
        f"{applied.expected_divergences} expected divergence(s), "
        f"{len(applied.stale)} stale"
    ]
    for change in applied.changed:
        if change["status"] == "xpassed":
            context = "" if change["context"] == "eager" else "-" + change["context"]
            lines.append(
                f"  XPASSED {change['case']} [{change['engine']}{context}]: expected "
                f"to fail ({change['reason']}); remove the entry at line "
                f"{change['line']}"
            )
    for entry in applied.stale:
        lines.append(
            f"  STALE {applied.path}:{entry.line}: {entry.engine}: {entry.case!r} matches no case"
        )
    return lines


# ----------------------------------------------------------------- updating


def updated_entries(previous: Xfails, results: Sequence, describe) -> list[Entry]:
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
        if any(
            e.engine == engine
            and e.status == "xfail"
            and e.matches(case)
            and (e.context is None or e.context in contexts)
            for e in entries
        ):
            continue
        result = next(r for r in failing if r.engine == engine and r.case == case)
        context = contexts[0] if len(contexts) == 1 and _ran_in_other(results, result) else None
        entries.append(Entry(engine, case, "xfail", describe(result)[:200], context))
    return entries


def _keep(entry: Entry, results: Sequence, failing: Sequence) -> bool:
    if entry.status == "skip":
        return True
    covered = [
        r
        for r in results
        if r.engine == entry.engine
        and entry.matches(r.case, r.context)
        and r.status not in ("unsupported",)
    ]
    return not covered or any(r in failing for r in covered)


def _failures_by_case(failing: Sequence) -> list[tuple[str, str, list[str]]]:
    grouped: dict[tuple[str, str], list[str]] = {}
    for r in failing:
        grouped.setdefault((r.engine, r.case), []).append(r.context)
    return [(engine, case, contexts) for (engine, case), contexts in grouped.items()]


def _ran_in_other(results: Sequence, failed) -> bool:
    """True when the case also ran (and did not fail) in another context."""
    return any(
        r.engine == failed.engine and r.case == failed.case and r.context != failed.context
        for r in results
    )


def write_xfails(path: Path, entries: Sequence[Entry]) -> None:
    """Write `entries` as an xfails file, grouped per engine, sorted by case."""
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


__all__ = [
    "Entry",
    "Xfails",
    "XfailsError",
    "Applied",
    "load_xfails",
    "parse_xfails",
    "apply_xfails",
    "runnable_cases",
    "summary_lines",
    "updated_entries",
    "write_xfails",
]
