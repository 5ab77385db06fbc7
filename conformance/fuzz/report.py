"""Fuzz summaries: terminal lines, a JSON record and a self-contained HTML page.

The HTML is rendered by Jinja2 with autoescaping on (programs, messages and
values come from engines and must not inject markup).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

import jinja2
import yaml

from .campaign import FuzzResult
from .casewrite import _Dumper
from .render import render


def print_summary(result: FuzzResult, out: TextIO) -> None:
    """Counts, agreement, signatures (most frequent first) and the classes found."""
    stats, config = result.stats, result.config
    print(
        f"fuzz {config.engine} against {config.against}, seed {config.seed}: "
        f"{stats.programs} programs in {stats.seconds:.1f} s ({stats.rate:.1f}/s)",
        file=out,
    )
    counts = ", ".join(
        f"{stats.statuses[s]} {s}"
        for s in ("agreed", "diverged", "unsupported", "skipped")
        if stats.statuses[s]
    )
    print(
        f"  {counts}; agreement {100 * stats.agreement:.2f}% of {stats.compared} compared", file=out
    )
    for api in result.missing_apis:
        print(f"  unsupported by {config.engine}: tf.{api} (left out of the programs)", file=out)
    for api, count in stats.unsupported.most_common():
        print(f"  unsupported at run time: {api}: {count} program(s)", file=out)
    for signature, count in stats.signatures.most_common():
        print(f"  {count:5d}  {signature}", file=out)
    for cls in result.classes:
        print(
            f"  class: {cls.key}  (case {cls.case['id']}, program size "
            f"{cls.original.program.size()} -> {cls.minimal.program.size()})",
            file=out,
        )


def to_json(result: FuzzResult) -> dict:
    stats, config = result.stats, result.config
    return {
        "engine": config.engine,
        "against": config.against,
        "seed": config.seed,
        "engines": result.engines,
        "programs": stats.programs,
        "seconds": round(stats.seconds, 3),
        "programs_per_second": round(stats.rate, 2),
        "statuses": dict(stats.statuses),
        "agreement": stats.agreement,
        "compared": stats.compared,
        "signatures": dict(stats.signatures.most_common()),
        "missing_apis": result.missing_apis,
        "unsupported": dict(stats.unsupported),
        "classes": [
            {
                "key": c.key,
                "signature": c.signature,
                "found": c.found,
                "program": c.original.index,
                "case": c.case,
                "mismatches": [m.to_json() for m in c.minimal.mismatches],
            }
            for c in result.classes
        ],
    }


def write_reports(result: FuzzResult, out_dir: Path) -> dict[str, Path]:
    """``fuzz.json`` and ``fuzz.html`` in `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"json": out_dir / "fuzz.json", "html": out_dir / "fuzz.html"}
    record = to_json(result)
    paths["json"].write_text(json.dumps(record, indent=1, default=str), encoding="utf-8")
    paths["html"].write_text(render_html(result, record), encoding="utf-8")
    return paths


def render_html(result: FuzzResult, record: dict) -> str:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("conformance.fuzz", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    classes = [
        {
            "cls": c,
            "original": render(c.original.program),
            "minimal": render(c.minimal.program),
            "yaml": yaml.dump([c.case], Dumper=_Dumper, sort_keys=False, width=100),
            "mismatches": c.minimal.mismatches,
        }
        for c in result.classes
    ]
    return env.get_template("fuzz.html.j2").render(
        record=record, classes=classes, stats=result.stats
    )
