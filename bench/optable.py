"""How long the op table takes: every op-table check on TensorFlow and the reference.

Runs the op table (``conformance run --suite ops`` without reports) through
the ordinary runner and worker pool, one worker per engine, and prints the
wall time, the per-engine status counts and blame, and where the engines'
time goes (summed program time per check kind). The target is ≤ 120 s for
both engines on a 2-core machine.

    TF_CPP_MIN_LOG_LEVEL=2 python bench/optable.py [--engine tensorflow --engine reference] [-k X]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 120.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", action="append", help="default: tensorflow and reference")
    parser.add_argument("-k", dest="keyword", help="only matching checks")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    parser.add_argument(
        "--record",
        type=Path,
        help="also write the run record (for "
        "python -m conformance.optable.findings and the matrix page)",
    )
    args = parser.parse_args()
    from conformance.cli import select
    from conformance.engines import resolve_engine
    from conformance.isolation import Isolation, WorkerPool
    from conformance.optable.cases import op_cases
    from conformance.runner import run_cases

    started = time.perf_counter()
    cases = select(op_cases(), args.keyword)
    built = time.perf_counter() - started
    limits = Isolation(timeout=300.0, memory_mb=None)
    names = args.engine or ["tensorflow", "reference"]
    run = run_cases(cases, WorkerPool([resolve_engine(n) for n in names], limits))
    wall = time.perf_counter() - started
    numbers = summarize(run, cases, wall, built)
    print(json.dumps(numbers, indent=1))
    print(
        f"op table: {len(cases)} checks x {len(run.engines)} engine(s) in {wall:.1f} s "
        f"(target {TARGET_SECONDS:.0f} s: {'met' if wall <= TARGET_SECONDS else 'NOT met'})"
    )
    if args.json:
        args.json.write_text(json.dumps(numbers, indent=1) + "\n", encoding="utf-8")
    if args.record:
        from datetime import datetime, timezone

        from conformance.optable.matrix import write_matrix
        from conformance.report import build_record, write_json

        record = build_record(run, cases, [], datetime.now(timezone.utc))
        write_json(record, args.record)
        write_matrix(record, args.record.with_suffix(".html"))
    return 0


def summarize(run, cases, wall: float, built: float) -> dict:
    check_of = {case.id: case.check for case in cases}
    per_engine: dict = {}
    for engine in run.engines:
        mine = [r for r in run.results if r.engine == engine.name]
        seconds = defaultdict(float)
        for result in mine:
            seconds[check_of[result.case]] += result.seconds
        per_engine[engine.name] = {
            "statuses": dict(Counter(r.status for r in mine)),
            "blame_of_failures": dict(
                Counter(
                    (r.outcome or {}).get("blame", "none")
                    for r in mine
                    if r.status in ("failed", "error")
                )
            ),
            "program_seconds_by_check": {k: round(v, 2) for k, v in sorted(seconds.items())},
            "program_seconds": round(sum(seconds.values()), 2),
        }
    return {
        "checks": len(cases),
        "wall_seconds": round(wall, 2),
        "building_cases_seconds": round(built, 2),
        "engines": per_engine,
        "divergences": len(run.divergences),
    }


if __name__ == "__main__":
    sys.exit(main())
