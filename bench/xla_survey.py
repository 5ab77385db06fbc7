"""Which cases hold under XLA: every traced case run in the ``xla`` context.

Runs each case that wraps its computation with ``@context`` (it declares the
``function`` or ``xla`` context) in the ``xla`` context
(``tf.function(jit_compile=True)``) on each engine, in this process, judged
against the case's own expectation, and prints one line per case that does
not pass, with the exception it raised (or its first mismatch), then the
counts and the time taken. A case whose documented semantics hold under XLA
should pass here before it enables
``xla``; a case that fails shows where XLA differs.

    TF_CPP_MIN_LOG_LEVEL=2 python bench/xla_survey.py [--engine tensorflow] [--cases cases]
        [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

from conformance.engines import resolve_engine
from conformance.loader import load_cases
from conformance.runner import run_case

ROOT = Path(__file__).resolve().parent.parent


def survey(cases_dir: Path, engine_name: str) -> tuple[list[dict], float]:
    """One row per traced case: its status under xla and its first mismatch or error."""
    engine = resolve_engine(engine_name)
    engine.load()
    traced = [c for c in load_cases([cases_dir]).cases if {"function", "xla"} & set(c.contexts)]
    started, rows = time.perf_counter(), []
    for case in traced:
        result = run_case(replace(case, contexts=("xla",)), engine, "xla")
        first = result.mismatches[0] if result.mismatches else None
        raised = (result.outcome or {}).get("exception")
        rows.append(
            {
                "case": case.id,
                "status": result.status,
                "error": result.error,
                "raised": raised and f"{raised['type']}: {raised['summary'][:120]}",
                "enables_xla": "xla" in case.contexts,
                "seconds": round(result.seconds, 4),
                "first_mismatch": first.to_json() if first else None,
            }
        )
    return rows, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", action="append", help="default: tensorflow")
    parser.add_argument("--cases", type=Path, default=ROOT / "cases")
    parser.add_argument("--json", type=Path, help="write every row to FILE")
    args = parser.parse_args()
    everything = {}
    for name in args.engine or ["tensorflow"]:
        rows, seconds = survey(args.cases, name)
        everything[name] = rows
        for row in rows:
            if row["status"] != "passed":
                detail = row["error"] or row["raised"] or json.dumps(row["first_mismatch"])[:300]
                print(f"{name} {row['status'].upper()} {row['case']}: {detail}")
        passed = sum(r["status"] == "passed" for r in rows)
        print(f"{name}: {passed}/{len(rows)} traced cases pass under xla in {seconds:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(everything, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
