"""Behavior drift across TensorFlow releases: per case, the releases where its outcome changed.

`compute_drift(records)` lines the records up as columns (one per engine of
each record; the shipped baselines give one per TensorFlow release), oldest
release first, and walks every case × context from column to column. A
change is reported at the first release whose result differs from the last
release that recorded the case (a release that did not record it is a gap,
not a change):

* ``status``: the status changed where a side has no outcome to compare (a
  version gate skipped the case, an API was missing, the harness errored);
* ``outcome``: the release observably did something else: a value's kind,
  dtype, shape, structure or Python value, a tensor value beyond the case's
  tolerance, the exception type or its summary line, a logged warning, the
  printed output;
* ``numeric``: tensor values differ only within the case's tolerance (float
  rounding); shown apart, never counted as drift.

**The noise rule.** Drift compares what a release *does*, never what depends
on the run's history, the machine or the suite's verdict. Compared: status
(where an outcome is missing), every observed value (tensors within the
case's tolerance), the exception type and summary (the message's first line
without tf.function decorations), each logged warning's level and first
line, and the printed output. Never compared: seconds; a harness error's text
(tracebacks); an exception message past its summary; the mismatches (they
follow the case's expectation, which variants change per release on
purpose); object addresses (``0x7f…``) and graph-function counters
(``__inference_f_5169``), which are masked; tf.function retracing warnings,
whose presence and counts depend on which cases the worker ran before; and
lines that Python's logging printed to the output (``WARNING:absl:…``),
which depend on how logging happened to be configured.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from packaging.version import InvalidVersion, Version

from .compare import Tolerance, compare_outcomes
from .diff import text_fields
from .errors import UsageError
from .observe import summarize_message

SHIPPED_DIR = Path(__file__).resolve().parent / "baselines"
KINDS = ("status", "outcome", "numeric")
FIELD_WORDS = {
    "exception_message": "exception message",
    "exception_type": "exception type",
    "exception": "raises or not",
    "python": "Python value",
    "missing": "assigned or not",
    "none": "None or not",
}
EXACT = Tolerance(0.0, 0.0)
ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
RETRACING = re.compile(r"triggered tf\.function retracing")
COUNTER = re.compile(r"(__(?:inference|forward|backward)_\w+?_)\d+\b")
VALUE_DETAIL = re.compile(r"(: )expected (.*?), observed (.*?)(?= \(rtol)")  # compare's words
LOGGING_LINE = re.compile(r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL):[\w.]*:")


@dataclass(frozen=True)
class Release:
    """One column: an engine of one record."""

    label: str
    engine: str
    version: str
    path: str
    started: str | None = None


@dataclass(frozen=True)
class Change:
    """Where a case's result changed: at column `release`, compared with column `since`."""

    release: int
    since: int
    kind: str
    old_status: str
    new_status: str
    fields: tuple[dict, ...] = ()
    edited: bool = False  # the case's program differs between the two records

    @property
    def fields_text(self) -> str:
        """``exception type: StagingError → LookupError; names[0] …`` in one line."""
        return "; ".join(_field_text(f) for f in self.fields)


@dataclass
class Row:
    """One case × context across every release."""

    case: str
    context: str
    title: str = ""
    source: str = ""
    cells: list[str | None] = field(default_factory=list)  # status per release; None: absent
    changes: list[Change] = field(default_factory=list)

    @property
    def drifted(self) -> bool:
        """True when some change is more than numeric noise."""
        return any(c.kind != "numeric" for c in self.changes)

    def change_at(self, release: int) -> Change | None:
        return next((c for c in self.changes if c.release == release), None)


@dataclass
class Drift:
    """Every row of every case, over `releases` in order."""

    releases: list[Release]
    rows: list[Row]

    def changes_at(self, release: int) -> list[tuple[Row, Change]]:
        return [(row, c) for row in self.rows for c in row.changes if c.release == release]

    def summary(self, release: int) -> str:
        """One line: what changed at this release (since the one before)."""
        here = self.changes_at(release)
        if release == 0:
            return f"{self.releases[0].label}: the oldest release, {self.results(0)} results"
        drifted = [(r, c) for r, c in here if c.kind != "numeric"]
        numeric = len(here) - len(drifted)
        text = describe_counts(drifted) if drifted else "no change"
        if numeric:
            text += f"; {numeric} within tolerance"
        return f"{self.releases[release].label}: {text}"

    def results(self, release: int) -> int:
        return sum(row.cells[release] is not None for row in self.rows)

    @property
    def drifted(self) -> bool:
        """True when some case changed beyond its tolerance at some release."""
        return any(row.drifted for row in self.rows)

    def to_json(self) -> dict:
        return {
            "releases": [asdict(r) for r in self.releases],
            "summaries": [self.summary(i) for i in range(len(self.releases))],
            "rows": [
                {
                    "case": r.case,
                    "context": r.context,
                    "title": r.title,
                    "source": r.source,
                    "cells": r.cells,
                    "changes": [
                        {
                            **asdict(c),
                            "release_label": self.releases[c.release].label,
                            "since_label": self.releases[c.since].label,
                        }
                        for c in r.changes
                    ],
                }
                for r in self.rows
                if r.changes
            ],
        }


def describe_counts(changes: Sequence[tuple[Row, Change]]) -> str:
    """``"3 cases changed (2 exception message, 1 Python value)"``."""
    fields: dict[str, int] = {}
    for _, change in changes:
        for name in dict.fromkeys(_field_names(change)):
            fields[name] = fields.get(name, 0) + 1
    cases = len({row.case for row, _ in changes})
    detail = ", ".join(f"{n} {name}" for name, n in sorted(fields.items(), key=lambda i: -i[1]))
    return f"{cases} case{'s' if cases != 1 else ''} changed ({detail})"


def _field_names(change: Change) -> list[str]:
    if change.kind == "status":
        return [f"{change.old_status} → {change.new_status}"]
    return [FIELD_WORDS.get(f["field"], f["field"]) for f in change.fields]


# ------------------------------------------------------------------ building the columns


def shipped_records() -> list[Path]:
    """The baselines that ship with the package, one per TensorFlow release."""
    return sorted(SHIPPED_DIR.glob("tensorflow-*.json"))


def release_columns(records: Sequence[tuple[str, dict]]) -> list[tuple[Release, dict]]:
    """One column per engine of each record, ordered by version when all are of one
    engine with known versions (else in the order given)."""
    columns = []
    for path, record in records:
        for engine in record["metadata"]["engines"]:
            version = str(engine.get("tf_version") or engine.get("version") or "?")
            columns.append(
                (
                    Release("", engine["name"], version, path, record["metadata"].get("started")),
                    record,
                )
            )
    same_engine = len({r.engine for r, _ in columns}) == 1
    if same_engine and all(_version(r.version) for r, _ in columns):
        columns.sort(key=lambda c: _version(c[0].version))
    return [
        (
            Release(
                r.version if same_engine else f"{r.engine} {r.version}",
                r.engine,
                r.version,
                r.path,
                r.started,
            ),
            record,
        )
        for r, record in columns
    ]


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


# ------------------------------------------------------------------ walking the rows


def compute_drift(records: Sequence[tuple[str, dict]]) -> Drift:
    """The drift over `records` (``(path, record)`` pairs), see the module docstring.

    Raises:
        UsageError: fewer than two releases to compare.
    """
    columns = release_columns(records)
    if len(columns) < 2:
        raise UsageError(f"drift needs at least two releases; got {len(columns)}")
    indexes = [_index(record, release.engine) for release, record in columns]
    rows = []
    for key in sorted({k for index in indexes for k in index}):
        rows.append(_row(key, columns, indexes))
    return Drift([release for release, _ in columns], rows)


def _index(record: dict, engine: str) -> dict[tuple[str, str], dict]:
    return {(r["case"], r["context"]): r for r in record["results"] if r["engine"] == engine}


def _row(key: tuple[str, str], columns: list, indexes: list[dict]) -> Row:
    row = Row(*key)
    last: int | None = None
    for i, ((_, record), index) in enumerate(zip(columns, indexes)):
        result = index.get(key)
        row.cells.append(result["status"] if result else None)
        if result is None:
            continue
        case = record["cases"].get(key[0], {})
        row.title, row.source = case.get("title", row.title), case.get("source", row.source)
        if last is not None:
            names = _shared_names(columns[last][1], record, key[0])
            change = compare_results(indexes[last][key], result, _tolerance(case), names)
            if change is not None:
                kind, fields = change
                row.changes.append(
                    Change(
                        i,
                        last,
                        kind,
                        indexes[last][key]["status"],
                        result["status"],
                        tuple(fields),
                        _edited(columns[last][1], record, key[0]),
                    )
                )
        last = i
    return row


def _tolerance(case: dict) -> Tolerance:
    return Tolerance(case.get("rtol"), case.get("atol"))


def _shared_names(old: dict, new: dict, case: str) -> set[str] | None:
    """The variables both records observe (a case edited between them may name others)."""
    lists = [r["cases"].get(case, {}).get("names") for r in (old, new)]
    return None if None in lists else set(lists[0]) & set(lists[1])


def _edited(old: dict, new: dict, case: str) -> bool:
    return old["cases"].get(case, {}).get("program") != new["cases"].get(case, {}).get("program")


def compare_results(
    a: dict, b: dict, tol: Tolerance, names: set[str] | None = None
) -> tuple[str, list[dict]] | None:
    """``(kind, fields)`` of how result `b` differs from `a`, or None (see the noise rule);
    only the variables in `names` are compared (None: all)."""
    old, new = a.get("outcome"), b.get("outcome")
    if old is None or new is None:
        if a["status"] == b["status"] and (old is None) == (new is None):
            return None
        return "status", [_status_field(a, b)]
    old, new = normalized(old, names), normalized(new, names)
    fields = outcome_fields(old, new, tol)
    if fields:
        return "outcome", fields
    exact = [_field(m.to_json(), old, new) for m in compare_outcomes(old, new, EXACT)]
    return ("numeric", exact) if exact else None


def _status_field(a: dict, b: dict) -> dict:
    reason = b.get("error") if b.get("outcome") is None else a.get("error")
    return {
        "path": "status",
        "field": "status",
        "old": a["status"],
        "new": b["status"],
        "detail": _first_line(reason),
    }


def normalized(outcome: dict, names: set[str] | None = None) -> dict:
    """The outcome as drift compares it (the noise rule): the exception's summary and
    the logs with addresses and graph-function counters masked, retracing warnings
    dropped, and the printed output without the lines Python's logging printed."""
    exception = outcome.get("exception")
    if exception:
        summary = exception.get("summary") or summarize_message(exception["message"])
        exception = {**exception, "summary": mask(summary)}
    values = {k: v for k, v in outcome["values"].items() if names is None or k in names}
    return {
        **outcome,
        "values": values,
        "exception": exception,
        "logs": [
            {**r, "message": mask(r.get("message", ""))}
            for r in outcome.get("logs", [])
            if not RETRACING.search(r.get("message", ""))
        ],
        "output": "".join(
            line
            for line in (outcome.get("output") or "").splitlines(True)
            if not LOGGING_LINE.match(line)
        ),
    }


def mask(text: str) -> str:
    """`text` without what differs between any two runs: object addresses, counters."""
    return COUNTER.sub(r"\1…", ADDRESS.sub("0x…", text))


def outcome_fields(a: dict, b: dict, tol: Tolerance) -> list[dict]:
    """Field-level drift between two `normalized` outcomes."""
    fields = [_field(m.to_json(), a, b) for m in compare_outcomes(a, b, tol)]
    old_logs, new_logs = _log_lines(a), _log_lines(b)
    return fields + text_fields(old_logs, new_logs, a, b)


def _log_lines(outcome: dict) -> list[str]:
    return [
        f"{r.get('level', '')}: {_first_line(r.get('message'))}" for r in outcome.get("logs", [])
    ]


def _field(mismatch: dict, a: dict, b: dict) -> dict:
    old, new = mismatch["expected"], mismatch["observed"]
    if mismatch["field"] == "exception_message":  # compared on the summaries: show those
        old, new = (outcome["exception"].get("summary", "") for outcome in (a, b))
    detail = VALUE_DETAIL.sub(r"\1before \2, after \3", mismatch.get("detail", ""))
    return {
        "path": mismatch["path"],
        "field": mismatch["field"],
        "old": old,
        "new": new,
        "detail": detail,
    }


def _first_line(text: object) -> str:
    lines = str(text or "").strip().splitlines()
    return lines[0] if lines else ""


def _field_text(f: dict) -> str:
    word = FIELD_WORDS.get(f["field"], f["field"])
    what = word if f["path"] in ("exception", f["field"]) else f"{f['path']} {word}"
    prefix, old, new = split_common(f["old"], f["new"])
    return f"{what}: {short(prefix + old)} → {short(prefix + new)}"


def split_common(old: object, new: object, context: int = 30) -> tuple[str, str, str]:
    """``(prefix, old rest, new rest)``: the common prefix split off (a long one keeps
    only its last `context` characters), so only what differs is shown in full."""
    a, b = str(old), str(new)
    common = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    prefix = a[:common] if common <= context + 20 else "…" + a[common - context : common]
    return prefix, a[common:], b[common:]


def short(value: object, limit: int = 120) -> str:
    text = str(value).replace("\n", "⏎ ")
    return text if len(text) <= limit else text[:limit] + "…"


# ------------------------------------------------------------------ the text view


def format_drift(drift: Drift) -> str:
    """The drift as text: the releases, a line per release, then a block per changed case."""
    labels = [r.label for r in drift.releases]
    lines = [f"drift over {len(labels)} releases: {', '.join(labels)}", "", "per release:"]
    width = max(map(len, labels))
    lines += [
        f"  {line.split(': ', 1)[0]:<{width}}  {line.split(': ', 1)[1]}"
        for line in (drift.summary(i) for i in range(len(labels)))
    ]
    drifted = [row for row in drift.rows if row.drifted]
    numeric = [row for row in drift.rows if row.changes and not row.drifted]
    lines += [
        "",
        f"per case: {len(drifted)} of {len(drift.rows)} case results drifted"
        + (f", {len(numeric)} more only within tolerance" if numeric else ""),
    ]
    for row in drifted + numeric:
        lines.append(f"  {row.case} [{row.context}]")
        for change in row.changes:
            lines.append(f"    {_change_line(drift, change)}")
    return "\n".join(lines)


def _change_line(drift: Drift, change: Change) -> str:
    where = f"{drift.releases[change.release].label} (since {drift.releases[change.since].label})"
    note = " [within tolerance]" if change.kind == "numeric" else ""
    note += " [the case's program was edited between these records]" if change.edited else ""
    return f"{where}: {change.fields_text}{note}"


def load_records(paths: Sequence[Path]) -> list[tuple[str, dict]]:
    """``(path, record)`` for each path (default: the shipped baselines).

    Raises:
        UsageError: no records, or a file that is not a record.
    """
    from .report.record import read_record

    paths = list(paths) or shipped_records()
    if not paths:
        raise UsageError(f"no records given and no shipped baselines in {SHIPPED_DIR}")
    return [(str(path), read_record(path)) for path in paths]
