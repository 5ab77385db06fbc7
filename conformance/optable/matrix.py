"""The op table's HTML page: per engine, an op × dtype × check matrix with the blame.

Each cell aggregates the samples of one API × dtype × check on one engine:
``ok`` (all passed), a blame label when some failed (``engine``,
``tensorflow``, ``both``, ``self``, ``convention``, ``precision``), ``xfail``
for known failures, ``unsup`` and ``-`` (not run). The failing results follow
with their mismatches and the oracle numbers. Rendered with Jinja2,
autoescaped; self-contained.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import jinja2

from .table import ALL_CHECKS, ALL_DTYPES

FAILING = ("failed", "error", "timeout", "crashed", "xpassed")


def parse_id(case_id: str) -> dict | None:
    """``ops/<family>/<api>/<sample>/<dtype>/<check>`` → its parts (None for other ids)."""
    parts = case_id.split("/")
    if len(parts) != 6 or parts[0] != "ops":
        return None
    return dict(zip(("suite", "family", "api", "sample", "dtype", "check"), parts))


def cell_label(results: list[dict]) -> str:
    statuses = {r["status"] for r in results}
    bad = [r for r in results if r["status"] in FAILING]
    if bad:
        blames = sorted({(r.get("outcome") or {}).get("blame") or r["status"] for r in bad})
        return "/".join(blames)
    if statuses == {"unsupported"}:
        return "unsup"
    if "xfailed" in statuses:
        return "xfail"
    if "passed" in statuses:
        return "ok"
    return "/".join(sorted(statuses))


def build(record: dict) -> tuple[list[tuple[str, str]], dict]:
    """The (dtype, check) columns, and per engine: matrix rows, failing results, counts."""
    cells: dict = defaultdict(lambda: defaultdict(list))
    failing, counts = defaultdict(list), defaultdict(lambda: defaultdict(int))
    for result in record.get("results", []):
        parts = parse_id(result["case"])
        if parts is None:
            continue
        engine = result["engine"]
        cells[engine][(parts["family"], parts["api"], parts["dtype"], parts["check"])].append(
            result
        )
        counts[engine][result["status"]] += 1
        blame = (result.get("outcome") or {}).get("blame")
        if blame and result["status"] in FAILING + ("xfailed",):
            counts[engine][f"blame {blame}"] += 1
        if result["status"] in FAILING:
            failing[engine].append({**result, **parts})
    present = {(dtype, check) for by_cell in cells.values() for _, _, dtype, check in by_cell}
    columns = [(d, c) for c in ALL_CHECKS for d in ALL_DTYPES if (d, c) in present]
    return columns, {
        engine: {
            "rows": _rows(by_cell, columns),
            "failing": failing[engine],
            "counts": dict(sorted(counts[engine].items())),
        }
        for engine, by_cell in cells.items()
    }


def _rows(by_cell: dict, columns: list[tuple[str, str]]) -> list[dict]:
    rows = []
    for family, api in sorted({(family, api) for family, api, _, _ in by_cell}):
        cells = []
        for dtype, check in columns:
            results = by_cell.get((family, api, dtype, check))
            cells.append(cell_label(results) if results else "-")
        rows.append({"family": family, "api": api, "cells": cells})
    return rows


def write_matrix(record: dict, path: Path) -> Path | None:
    """Write the page (nothing when the record has no op-table result)."""
    columns, engines = build(record)
    if not engines:
        return None
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("conformance.optable", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    html = env.get_template("matrix.html.j2").render(
        engines=engines, columns=columns, metadata=record.get("metadata", {})
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
