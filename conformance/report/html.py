"""The HTML report: one self-contained page rendered from a JSON record.

Rendering uses Jinja2 with autoescaping on, so nothing that comes from a case
or an engine (titles, messages, values) can inject markup or script; data for
the page's own script goes through ``tojson`` (which escapes ``<``, ``>``,
``&`` and quotes) and links are only made from http(s) URLs. CSS and script
are inline: the page needs no network and no server.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2
import yaml

from .. import causes as grouping
from ..encoding import deep, write_atomically, xml_text
from ..result import PROBLEMS, STATUSES
from . import overview
from .repro import CONTEXT_DEFS, INDENT, TEMPLATE, case_values, context_values, engine_values

# Worst first: the statuses that fail a run, then the neutral ones, then passed.
STATUS_ORDER = (
    PROBLEMS + tuple(s for s in STATUSES if s not in PROBLEMS and s != "passed") + ("passed",)
)
MAX_SHOWN = 400


def environment() -> jinja2.Environment:
    """The jinja2 environment every page renders in (autoescaped, strict)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("conformance.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    env.filters["as_yaml"] = as_yaml
    env.filters["show"] = show
    env.filters["short"] = short
    return env


def safe_url(url: Any) -> str:
    """The URL if it is http(s), else ``#`` (no javascript: or data: links)."""
    text = str(url or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else "#"


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's is ~4x faster


def as_yaml(value: Any) -> str:
    """A value as YAML, for showing expectations the way cases write them."""
    return (
        yaml.dump(
            value,
            Dumper=_DUMPER,
            sort_keys=False,
            default_flow_style=None,
            allow_unicode=True,
            width=100,
        )
        .rstrip()
        .removesuffix("\n...")
    )


def short(value: Any, limit: int = MAX_SHOWN) -> str:
    """`value` as text, cut at `limit` characters."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + " …"


def show(obs: dict | None) -> str:
    """An observation as one compact line: ``Tensor float32[2] [1.0, 2.0]``."""
    return short(_show(obs))


def _capped(summary: dict) -> str:
    """A summarized large array: ``(summarized: 10000000 elements, min 0 max 0 …)``."""
    stats = " ".join(f"{k} {summary[k]:g}" for k in ("min", "max", "mean") if k in summary)
    odd = " ".join(f"{k} {summary[k]}" for k in ("nan", "inf", "neg_inf") if summary.get(k))
    return (
        f"(summarized: {summary.get('elements')} elements {stats} {odd}".rstrip()
        + f"; first {short(summary.get('head'), 120)}; {summary.get('digest', '')[:19]}…)"
    )


def _show(obs: dict | None) -> str:
    if obs is None:
        return "(not assigned)"
    kind = obs.get("kind")
    if kind == "none":
        return "None"
    if "dtype" in obs:
        shape = "[" + ", ".join(map(str, obs.get("shape", []))) + "]"
        extra = f" indices={obs['indices']}" if "indices" in obs else ""
        if obs.get("capped"):
            return f"{kind} {obs['dtype']}{shape} {_capped(obs['capped'])}{extra}"
        return f"{kind} {obs['dtype']}{shape} {short(obs.get('value'), 200)}{extra}"
    if kind == "python":
        return f"{obs.get('type')} {obs.get('value')!r}"
    if kind in ("list", "tuple"):
        inner = ", ".join(_show(i) for i in obs.get("items", []))
        label = obs.get("type", "")
        return f"{label}[{inner}]" if kind == "list" else f"{label}({inner})"
    if kind == "dict":
        return "{" + ", ".join(f"{k!r}: {_show(v)}" for k, v in obs.get("items", [])) + "}"
    return f"{obs.get('type', kind)} {obs.get('repr', '')}".strip()


def rank(status: str) -> int:
    """Position of `status` in `STATUS_ORDER` (unknown statuses sort first)."""
    return STATUS_ORDER.index(status) if status in STATUS_ORDER else -1


def anchor_of(case_id: str) -> str:
    """The element id of a case's section."""
    return "case-" + "".join(c if c.isalnum() else "-" for c in case_id)


def view_model(record: dict) -> dict:
    """Everything the template needs, grouped per case."""
    engines = [e["name"] for e in record["metadata"]["engines"]]
    by_case: dict[str, dict] = {}
    for result in record["results"]:
        _entry(by_case, result["case"])["results"].append(result)
    for divergence in record["divergences"]:
        _entry(by_case, divergence["case"])["divergences"].append(divergence)
    index = grouping.result_index(record)
    rows = [
        _row(case_id, record["cases"].get(case_id, {}), entry, engines, index)
        for case_id, entry in by_case.items()
    ]
    rows.sort(key=lambda r: (rank(r["worst"]), not r["divergences"], r["id"]))
    tags = sorted({t for row in rows for t in row["case"].get("tags", [])})
    return {
        "record": record,
        "engines": engines,
        "rows": rows,
        "tags": tags,
        "statuses": STATUSES,
        "problems": PROBLEMS,
        "doc_conflicts": sum("doc-conflict" in r["case"].get("tags", []) for r in rows),
        "diverged_by_engine": _diverged_by_engine(record, engines),
        "coverage": _coverage(record, {r["id"] for r in rows}),
        "causes": overview.causes_view(record, anchor_of),
        "topics": overview.topic_bars(record, engines),
        "unsupported": overview.unsupported_view(record),
        "script_data": _script_data(record, rows),
    }


def _entry(by_case: dict, case_id: str) -> dict:
    return by_case.setdefault(case_id, {"results": [], "divergences": []})


def _row(case_id: str, case: dict, entry: dict, engines: list[str], index: dict) -> dict:
    cells = {engine: [r for r in entry["results"] if r["engine"] == engine] for engine in engines}
    statuses = [r["status"] for r in entry["results"]] or ["error"]
    worst = min(statuses, key=rank)
    results = [r for engine in engines for r in cells[engine]]
    names = case.get("names") or sorted(
        {n for r in results for n in ((r.get("outcome") or {}).get("values") or {})}
    )
    fresh = [d for d in entry["divergences"] if not grouping.repeats_failure(d, index)]
    return {
        "id": case_id,
        "case": case,
        "cells": cells,
        "worst": worst,
        "results": results,
        "divergences": entry["divergences"],
        "anchor": anchor_of(case_id),
        "builds_on": [(other, anchor_of(other)) for other in case.get("builds_on") or ()],
        "details": grouping.fold_contexts(
            [r for r in results if _has_detail(r)], statuses=STATUSES
        ),
        "new_divergences": fresh,
        "repeated": [d for d in entry["divergences"] if d not in fresh],
        "compare": _compare_rows(case, names, results),
        "filter": json.dumps(
            {
                "s": {e: sorted({r["status"] for r in cells[e]}) for e in engines},
                "d": sorted({d["engine"] for d in entry["divergences"]}),
                "t": case.get("tags", []),
            }
        ),
        "repro": {
            "v": case_values(case_id, case.get("source", ""), names),
            "r": [[r["engine"], r["context"]] for r in results],
        },
    }


def _has_detail(result: dict) -> bool:
    """Whether a result has something to show below the comparison table."""
    return bool(
        result.get("mismatches")
        or result.get("error")
        or result.get("unsupported_api")
        or result.get("leaks")
        or (result.get("outcome") or {}).get("output")
    )


def label(result: dict) -> str:
    """How a result's column is called: the engine, plus the context when not eager."""
    return result["engine"] + ("" if result["context"] == "eager" else f" ({result['context']})")


def _compare_rows(case: dict, names: list[str], results: list[dict]) -> list[dict]:
    """The expected-vs-observed table: one row per checked variable, then the
    exception and logs rows when anything is expected or observed there.

    A cell equal to an earlier column's says so instead of repeating the value."""
    expected = _expected_cells(case, names)
    texts = {
        name: [
            show(r["outcome"]["values"].get(name)) if r.get("outcome") else None for r in results
        ]
        for name in names
    }
    texts["exception"] = [_exception_text(r) for r in results]
    texts["logs"] = [_logs_text(r) for r in results]
    expect = case.get("expect", {})
    rows = list(names)
    if expect.get("raises") or any(t not in (None, "no exception") for t in texts["exception"]):
        rows.append("exception")
    if expect.get("logs") or any(t not in (None, "nothing logged") for t in texts["logs"]):
        rows.append("logs")
    bad = [_bad_rows(r) for r in results]
    return [
        {
            "name": name,
            "expected": expected[name],
            "cells": _dedupe(texts[name], [name in b for b in bad], results),
        }
        for name in rows
    ]


def _dedupe(texts: list, bad: list[bool], results: list[dict]) -> list[dict]:
    cells = []
    for i, text in enumerate(texts):
        same = next(
            (
                label(results[j])
                for j in range(i)
                if text is not None and texts[j] == text and bad[j] == bad[i]
            ),
            None,
        )
        cells.append({"text": text, "same": same, "bad": bad[i]})
    return cells


def _exception_text(result: dict) -> str | None:
    outcome = result.get("outcome")
    if not outcome:
        return None
    exc = outcome.get("exception")
    return f"{exc['type']}: {short(exc['message'])}" if exc else "no exception"


def _logs_text(result: dict) -> str | None:
    outcome = result.get("outcome")
    if not outcome:
        return None
    logs = outcome.get("logs") or []
    return (
        "\n".join(f"[{r.get('level', '')}] {short(r.get('message', ''))}" for r in logs)
        or "nothing logged"
    )


def _bad_rows(result: dict) -> set[str]:
    """The comparison-table rows (variable names, ``exception``, ``logs``) that mismatch."""
    bad = set()
    for m in result.get("mismatches", []):
        bad.add("logs" if m["field"] == "log" else m["steps"][0])
    return bad


def _expected_cells(case: dict, names: Iterable[str]) -> dict:
    expect = case.get("expect", {})
    values = expect.get("expect") or {}
    cells = {name: as_yaml(values[name]) if name in values else "(not checked)" for name in names}
    raises = expect.get("raises")
    cells["exception"] = as_yaml(raises) if raises else "no exception"
    cells["logs"] = as_yaml(expect["logs"]) if expect.get("logs") else "(not checked)"
    return cells


def _diverged_by_engine(record: dict, engines: list[str]) -> dict[str, int]:
    counts = dict.fromkeys(engines, 0)
    for divergence in record["divergences"]:
        counts[divergence["engine"]] = counts.get(divergence["engine"], 0) + 1
    return counts


def _coverage(record: dict, shown: set[str]) -> dict | None:
    coverage = record.get("coverage")
    if not coverage:
        return None
    return {**coverage, "anchors": {case: anchor_of(case) for case in shown}}


def _script_data(record: dict, rows: list[dict]) -> dict:
    """What the page's script needs to build repro scripts (sent once, as JSON)."""
    engines = {
        e["name"]: engine_values(e["name"], e.get("module"), e.get("module_file"))
        for e in record["metadata"]["engines"]
    }
    return {
        "template": TEMPLATE,
        "indent": INDENT,
        "engines": engines,
        "contexts": {c: context_values(c) for c in CONTEXT_DEFS},
        "cases": {row["anchor"]: row["repro"] for row in rows},
    }


def render_html(record: dict) -> str:
    """The report page for `record`."""
    return environment().get_template("report.html.j2").render(**view_model(record))


def render_diff_html(diff: dict, names: tuple[str, str]) -> str:
    """The page of a `conformance.diff` result."""
    return (
        environment()
        .get_template("diff.html.j2")
        .render(diff=diff, names=names, kinds=sorted({c["kind"] for c in diff["changes"]}))
    )


def write_page(text: str, path: Path) -> None:
    """Write a rendered page (creating parent directories); a page that cannot be
    written leaves the previous one in place."""
    write_atomically(Path(path), text)


def write_html(record: dict, path: Path) -> None:
    """Render and write the report page (creating parent directories).

    Strings reach the page with surrogates and control characters escaped
    (`encoding.xml_text`), so any text a case printed or raised renders."""
    write_page(render_html(deep(xml_text, record)), path)


def render_template(name: str, **context: Any) -> str:
    """Render one of the package's page templates (autoescaped, shared filters)."""
    return environment().get_template(name).render(**context)
