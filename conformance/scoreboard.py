"""The scoreboard: one page from many records, engines × releases × shards.

``conformance scoreboard RECORD... -o FILE`` reads run records (shards,
whole runs, merged records, baselines; e.g. every artifact of a CI matrix)
and renders a self-contained HTML page:

* the board: one row per engine, one column per TensorFlow release the
  engine follows, each cell the share of judged results that passed (a
  result is judged unless its case's version gate skipped it) with a strip
  of the shards the cell was assembled from (a missing shard is marked);
* per topic (case file), each engine × release's pass rate;
* every case × engine × release, one square per context, coloured by status.

A *column* is one engine at one version (``tensorflow 2.20.0``); records of
the same column (its shards) are pooled. Records need not be of one suite:
a case that a column did not run is shown as not run, so baselines recorded
over an older corpus can share the page with today's runs. Two records that
both hold a result for the same case, context and column are reported as
overlapping, and the first one's result is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from .report.record import read_record
from .runner import PROBLEMS, STATUSES

NOT_JUDGED = ("skipped",)


@dataclass
class Column:
    """One engine at one version: the results of every record that ran it."""

    engine: str
    version: str
    release: str  # the TF version the engine follows ("" when unknown)
    files: list[str] = field(default_factory=list)
    shards: dict[int, str] = field(default_factory=dict)  # shard index → file
    shard_count: int | None = None
    whole: bool = False  # some record held an unsharded run
    results: dict[tuple[str, str], dict] = field(default_factory=dict)
    overlaps: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return (self.engine, self.version)

    @property
    def label(self) -> str:
        return f"{self.engine} {self.version}"

    def counts(self, case_ids: set[str] | None = None) -> dict[str, int]:
        """Count per status (of the results of `case_ids`, or of all)."""
        found = dict.fromkeys(STATUSES, 0)
        for (case_id, _), result in self.results.items():
            if case_ids is None or case_id in case_ids:
                found[result["status"]] = found.get(result["status"], 0) + 1
        return found

    def missing_shards(self) -> list[int]:
        if self.whole or not self.shard_count:
            return []
        return [i for i in range(1, self.shard_count + 1) if i not in self.shards]


@dataclass
class Board:
    """Every column, and the cases any record holds (newest text wins)."""

    columns: list[Column] = field(default_factory=list)
    cases: dict[str, dict] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def column(self, engine: dict) -> Column:
        key = (engine["name"], str(engine.get("version")))
        for column in self.columns:
            if column.key == key:
                return column
        release = str(engine.get("tf_version") or "")
        self.columns.append(Column(key[0], key[1], release))
        return self.columns[-1]


def build_board(paths: Sequence[Path]) -> Board:
    """Read every record (a `UsageError` for one that is not a record) into a `Board`."""
    board = Board()
    for path in paths:
        add_record(board, read_record(Path(path)), Path(path).name)
    board.columns.sort(key=_column_order(board))
    return board


def add_record(board: Board, record: dict, name: str) -> None:
    """Pool `record`'s results into the board's columns."""
    board.files.append(name)
    for case_id, entry in record["cases"].items():
        board.cases.setdefault(case_id, entry)
    shard = record.get("shard")
    for engine in record["metadata"]["engines"]:
        column = board.column(engine)
        column.files.append(name)
        if shard:
            column.shard_count = column.shard_count or shard["count"]
            column.shards.setdefault(shard["index"], name)
        else:
            column.whole = True
        for result in record["results"]:
            if result["engine"] == engine["name"]:
                key = (result["case"], result["context"])
                if key in column.results:
                    column.overlaps.append(f"{name}: {result['case']} ({result['context']})")
                    continue
                column.results[key] = result


def _column_order(board: Board):
    engines = list(dict.fromkeys(c.engine for c in board.columns))

    def order(column: Column) -> tuple:
        return (engines.index(column.engine), _version(column.release or column.version))

    return order


def _version(text: str) -> tuple:
    try:
        return (0, Version(text))
    except InvalidVersion:
        return (1, text)


# ----------------------------------------------------------------- view model


def view_model(board: Board, title: str) -> dict:
    """What the template shows (see the module docstring)."""
    engines = list(dict.fromkeys(c.engine for c in board.columns))
    releases = sorted({c.release or c.version for c in board.columns}, key=_version)
    cells = {(c.engine, c.release or c.version): _cell(c) for c in board.columns}
    topics = _topics(board)
    occurred = {s for c in board.columns for s, n in c.counts().items() if n}
    shown = [s for s in STATUSES if s in occurred or s in ("passed", "failed")]
    return {
        "title": title,
        "files": board.files,
        "shown_statuses": shown,
        "problems": PROBLEMS,
        "engines": engines,
        "releases": releases,
        "cells": cells,
        "columns": [_cell(c) for c in board.columns],
        "topics": [_topic_row(board, topic, ids) for topic, ids in topics.items()],
        "case_rows": {topic: [_case_row(board, i) for i in ids] for topic, ids in topics.items()},
        "overlaps": [o for c in board.columns for o in c.overlaps],
    }


def score(counts: dict[str, int]) -> dict:
    """Passed over judged results (skipped ones are not judged), as counts and percent."""
    judged = sum(n for status, n in counts.items() if status not in NOT_JUDGED)
    passed = counts.get("passed", 0)
    return {
        "passed": passed,
        "judged": judged,
        "percent": None if not judged else 100.0 * passed / judged,
        "problems": sum(counts.get(s, 0) for s in PROBLEMS),
    }


def _cell(column: Column) -> dict:
    counts = column.counts()
    shards = (
        [
            {"index": i, "file": column.shards.get(i)}
            for i in range(1, (column.shard_count or 0) + 1)
        ]
        if not column.whole
        else []
    )
    return {
        "label": column.label,
        "engine": column.engine,
        "version": column.version,
        "release": column.release,
        "counts": counts,
        "score": score(counts),
        "shards": shards,
        "missing": column.missing_shards(),
        "files": column.files,
        "hue": _hue(score(counts)["percent"]),
    }


def _hue(percent: float | None) -> str:
    """A background from red (0 %) through amber to green (all passed), where anything
    short of all is at most yellow, so one failure shows; grey when unknown."""
    if percent is None:
        return "hsl(0, 0%, 93%)"
    hue = 120 if percent >= 100 else round(min(percent, 99.0) * 0.6)
    return f"hsl({hue}, 70%, 84%)"


def _topics(board: Board) -> dict[str, list[str]]:
    topics: dict[str, list[str]] = {}
    for case_id in board.cases:
        topics.setdefault(case_id.rsplit("/", 1)[0] if "/" in case_id else "", []).append(case_id)
    return dict(sorted(topics.items()))


def _topic_row(board: Board, topic: str, ids: list[str]) -> dict:
    members = set(ids)
    scores = [score(c.counts(members)) for c in board.columns]
    return {
        "topic": topic,
        "cases": len(ids),
        "cells": [{**s, "hue": _hue(s["percent"])} for s in scores],
    }


def _case_row(board: Board, case_id: str) -> dict:
    case = board.cases[case_id]
    contexts = case.get("contexts") or ["eager"]
    cells = [
        [_square(column.results.get((case_id, context)), context) for context in contexts]
        for column in board.columns
    ]
    seen = {square["status"] for cell in cells for square in cell} - {"not-run"}
    return {
        "id": case_id,
        "title": case.get("title", ""),
        "source": case.get("source", ""),
        "cells": cells,
        "uniform": len(seen) <= 1,
        "problem": any(s in PROBLEMS for s in seen),
    }


def _square(result: dict | None, context: str) -> dict[str, Any]:
    if result is None:
        return {"status": "not-run", "context": context, "tip": f"{context}: not run"}
    tip = f"{context}: {result['status']}"
    first = (result.get("mismatches") or [None])[0]
    if first:
        tip += (
            f" ({first['path']} {first['field']}: expected {first['expected']}, "
            f"observed {first['observed']})"[:300]
        )
    elif result.get("error"):
        tip += f" ({result['error']})"[:300]
    return {"status": result["status"], "context": context, "tip": tip}


def write_scoreboard(board: Board, path: Path, title: str = "Conformance scoreboard") -> None:
    """Render the page to `path` (creating parent directories)."""
    from .report.html import render_template

    html = render_template("scoreboard.html.j2", **view_model(board, title))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")


def summary_lines(board: Board) -> list[str]:
    """One line per column: its score, and the shards it lacks."""
    lines = []
    for column in board.columns:
        s = score(column.counts())
        percent = "n/a" if s["percent"] is None else f"{s['percent']:.1f}%"
        shards = (
            f", lacks shard(s) {', '.join(map(str, column.missing_shards()))}"
            f" of {column.shard_count}"
            if column.missing_shards()
            else ""
        )
        lines.append(
            f"{column.label} (TF {column.release or '?'}): {s['passed']}/{s['judged']}"
            f" passed ({percent}){shards}"
        )
    return lines
