"""The drift page: a release × case table with the changes highlighted.

Rendered from a `conformance.drift.Drift` with the report's Jinja2 templates
(autoescaping on, inline CSS and script, no network). Each changed cell
names what changed and links to the change's details; a per-release line
sums up what that release changed.
"""

from __future__ import annotations

from pathlib import Path

from ..drift import FIELD_WORDS, Change, Drift, Row, split_common
from .html import anchor_of, environment

# How a changed field is called in a table cell (else: the variable's name).
CELL_WORDS = {
    "exception_type": "exception type",
    "exception_message": "message",
    "exception": "raises",
    "logs": "logs",
    "output": "output",
}
KIND_TITLES = {
    "status": "status changed",
    "outcome": "behavior changed",
    "numeric": "values changed within tolerance",
}


def cell_word(change: Change) -> str:
    """The cell's label: what changed, in a word or two (``names``, ``exception type``)."""
    if change.kind == "status":
        return f"{change.old_status} → {change.new_status}"
    words = dict.fromkeys(
        CELL_WORDS.get(f["field"], f["path"].split("[", 1)[0]) for f in change.fields
    )
    return ", ".join(words)


def _cells(drift: Drift, row: Row) -> list[dict]:
    cells = []
    for i, status in enumerate(row.cells):
        change = row.change_at(i)
        cells.append(
            {
                "status": status,
                "kind": change.kind if change else None,
                "word": cell_word(change) if change else "",
                "title": _cell_title(drift, row, i, change),
            }
        )
    return cells


def _cell_title(drift: Drift, row: Row, i: int, change: Change | None) -> str:
    label = drift.releases[i].label
    if row.cells[i] is None:
        return f"{label}: not recorded"
    if change is None:
        return f"{label}: {row.cells[i]}, same as before"
    return f"{label} (since {drift.releases[change.since].label}): {change.fields_text}"


def _split(f: dict) -> dict:
    prefix, old, new = split_common(f["old"], f["new"], context=40)
    return {
        "prefix": prefix,
        "old": old,
        "new": new,
        "word": FIELD_WORDS.get(f["field"], f["field"]),
    }


def _row_view(drift: Drift, row: Row) -> dict:
    anchor = anchor_of(f"{row.case}-{row.context}")
    changes = [
        {
            "kind": c.kind,
            "kind_title": KIND_TITLES[c.kind],
            "release": drift.releases[c.release].label,
            "since": drift.releases[c.since].label,
            "edited": c.edited,
            "old_status": c.old_status,
            "new_status": c.new_status,
            "fields": [{**f, "split": _split(f)} for f in c.fields],
        }
        for c in row.changes
    ]
    first = min(
        (c.release for c in row.changes if c.kind != "numeric"), default=len(drift.releases)
    )
    return {
        "case": row.case,
        "context": row.context,
        "title": row.title,
        "source": row.source,
        "anchor": anchor,
        "cells": _cells(drift, row),
        "changes": changes,
        "drifted": row.drifted,
        "numeric": bool(row.changes) and not row.drifted,
        "order": (not row.drifted, not row.changes, first, row.case),
    }


def view_model(drift: Drift) -> dict:
    rows = sorted((_row_view(drift, row) for row in drift.rows), key=lambda r: r["order"])
    per_release = []
    for i, release in enumerate(drift.releases):
        here = drift.changes_at(i)
        per_release.append(
            {
                "label": release.label,
                "summary": drift.summary(i).split(": ", 1)[1],
                "drifted": sum(c.kind != "numeric" for _, c in here),
                "numeric": sum(c.kind == "numeric" for _, c in here),
                "results": drift.results(i),
                "path": release.path,
                "started": release.started,
            }
        )
    return {
        "releases": per_release,
        "rows": rows,
        "n_drifted": sum(r["drifted"] for r in rows),
        "n_numeric": sum(r["numeric"] for r in rows),
        "n_rows": len(rows),
        "kind_titles": KIND_TITLES,
    }


def render_drift_html(drift: Drift) -> str:
    """The drift page for `drift`."""
    return environment().get_template("drift.html.j2").render(**view_model(drift))


def write_drift_html(drift: Drift, path: Path) -> None:
    """Render and write the drift page (creating parent directories)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_drift_html(drift), encoding="utf-8")
