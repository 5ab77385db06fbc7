"""The HTML report: one self-contained page rendered from a JSON record.

Rendering uses Jinja2 with autoescaping on, so nothing that comes from a case
or an engine (titles, messages, values) can inject markup or script; links are
only made from http(s) URLs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2
import yaml

STATUS_ORDER = ("failed", "error", "unsupported", "skipped", "passed")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("conformance.report", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_url"] = safe_url
    env.filters["as_yaml"] = as_yaml
    env.filters["as_json"] = lambda v: json.dumps(v, indent=1, ensure_ascii=False)
    return env


def safe_url(url: Any) -> str:
    """The URL if it is http(s), else ``#`` (no javascript: or data: links)."""
    text = str(url or "")
    return text if text.startswith(("https://", "http://")) else "#"


def as_yaml(value: Any) -> str:
    """A value as block YAML, for showing expectations the way cases write them."""
    return yaml.safe_dump(value, sort_keys=False, default_flow_style=None,
                          allow_unicode=True, width=100).rstrip()


def view_model(record: dict) -> dict:
    """Group the record's results per case for the template."""
    by_case: dict[str, dict] = {}
    for result in record["results"]:
        entry = by_case.setdefault(result["case"], {"results": [], "divergences": []})
        entry["results"].append(result)
    for divergence in record["divergences"]:
        by_case.setdefault(divergence["case"], {"results": [], "divergences": []})[
            "divergences"].append(divergence)
    engines = [e["name"] for e in record["metadata"]["engines"]]
    rows = [_row(case_id, record["cases"].get(case_id, {}), entry, engines)
            for case_id, entry in by_case.items()]
    rows.sort(key=lambda r: (STATUS_ORDER.index(r["worst"]), r["id"]))
    return {"record": record, "engines": engines, "rows": rows}


def _row(case_id: str, case: dict, entry: dict, engines: list[str]) -> dict:
    cells = {engine: [r for r in entry["results"] if r["engine"] == engine]
             for engine in engines}
    statuses = [r["status"] for r in entry["results"]] or ["error"]
    if entry["divergences"]:
        statuses.append("failed")
    worst = min(statuses, key=STATUS_ORDER.index)
    return {"id": case_id, "case": case, "cells": cells, "worst": worst,
            "divergences": entry["divergences"],
            "anchor": "case-" + "".join(c if c.isalnum() else "-" for c in case_id)}


def render_html(record: dict) -> str:
    """The report page for `record`."""
    return _environment().get_template("report.html.j2").render(**view_model(record))


def write_html(record: dict, path: Path) -> None:
    """Render and write the page (creating parent directories)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(record), encoding="utf-8")
