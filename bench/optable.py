"""How long the op table takes: every op-table check on TensorFlow and the reference.

Runs the op table (``conformance run --suite ops`` without reports) through
the ordinary runner and worker pool, split into ``--shards`` (default 2, one
per core) that run side by side, each with its own pool of one worker per
engine (as ``pytest --conformance-suite ops -n 2`` does), each with the same
mix of check kinds. Prints the wall time, the CPU seconds of each
worker process and of the harness (what an idle machine needs, whatever the
load), the per-engine status counts and blame, and where the engines' time
goes (summed program time per check kind). The target is ≤ 120 s for both
engines on a 2-core machine.

    TF_CPP_MIN_LOG_LEVEL=2 python bench/optable.py [--engine tensorflow --engine reference] [-k X]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
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
    parser.add_argument("--shards", type=int, default=2, help="runs side by side (default 2)")
    args = parser.parse_args()
    from conformance.cli import select
    from conformance.optable.cases import op_cases

    started = time.perf_counter()
    cases = select(op_cases(), args.keyword)
    built = time.perf_counter() - started
    names = args.engine or ["tensorflow", "reference"]
    cpu_before = time.process_time()
    run, worker_cpu = run_sharded(cases, names, max(1, args.shards))
    wall = time.perf_counter() - started
    numbers = summarize(run, cases, wall, built)
    numbers["shards"] = max(1, args.shards)
    numbers["cpu_seconds"] = cpu_numbers(worker_cpu, time.process_time() - cpu_before)
    print(json.dumps(numbers, indent=1))
    print(
        f"op table: {len(cases)} checks x {len(run.engines)} engine(s) in {wall:.1f} s "
        f"(target {TARGET_SECONDS:.0f} s: {'met' if wall <= TARGET_SECONDS else 'NOT met'}); "
        f"busiest worker {numbers['cpu_seconds']['busiest_worker']:.1f} CPU s"
    )
    if args.json:
        args.json.write_text(json.dumps(numbers, indent=1) + "\n", encoding="utf-8")
    if args.record:
        write_record(run, cases, args.record)
    return 0


def write_record(run, cases, path: Path) -> None:
    from datetime import datetime, timezone

    from conformance.optable.matrix import write_matrix
    from conformance.report import build_record, write_json

    record = build_record(run, cases, [], datetime.now(timezone.utc))
    write_json(record, path)
    write_matrix(record, path.with_suffix(".html"))


def shard(cases: list, count: int) -> list[list]:
    """`count` lists of cases, each in table order, that share out every check kind
    evenly (round robin within each kind): TensorFlow's cost varies mostly by check
    kind (idle, per check: xla ~124 ms, fr and jacobian ~100 ms, jvp and function
    ~42 ms, rr 28 ms, vjp 9 ms), so each shard gets the same mix.
    Case by case: TensorFlow's forward-mode state is reset before every case
    (`engines.tf_state`), so keeping an op's checks together buys nothing."""
    shards: list[list] = [[] for _ in range(count)]
    turn: Counter = Counter()
    for case in cases:
        shards[turn[case.check] % count].append(case)
        turn[case.check] += 1
    return [s for s in shards if s]


def run_sharded(cases: list, names: list[str], count: int):
    """Every shard through `run_cases` on its own pool, side by side; one merged
    `RunOutcome` in table order, and the CPU seconds of every worker process."""
    from conformance.engines import resolve_engine
    from conformance.isolation import Isolation
    from conformance.result import RunOutcome
    from conformance.runner import run_cases

    limits = Isolation(timeout=300.0, memory_mb=None)
    TimedPool = _make_timed_pool()
    pools = [TimedPool([resolve_engine(n) for n in names], limits) for _ in range(count)]
    parts = shard(cases, count)
    with ThreadPoolExecutor(len(parts)) as threads:
        runs = list(threads.map(run_cases, parts, pools))
    order = {case.id: i for i, case in enumerate(cases)}
    merged = RunOutcome(engines=runs[0].engines)
    for part in runs:
        merged.results += part.results
        merged.divergences += part.divergences
        merged.engine_errors += part.engine_errors
    merged.results.sort(key=lambda r: order[r.case])
    return merged, [cpu for pool in pools for cpu in pool.cpu]


def cpu_numbers(worker_cpu: list[tuple[str, float]], harness: float) -> dict:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    per_engine: dict[str, list[float]] = defaultdict(list)
    for name, seconds in worker_cpu:
        per_engine[name].append(round(seconds, 1))
    return {
        "workers": dict(per_engine),
        "busiest_worker": max((s for _, s in worker_cpu), default=0.0),
        "all_workers": round(children.ru_utime + children.ru_stime, 1),
        "harness": round(harness, 1),
    }


def _make_timed_pool():
    from conformance.isolation import WorkerPool

    class TimedPool(WorkerPool):
        """A `WorkerPool` that notes each worker's CPU seconds before closing it."""

        def close(self) -> None:
            self.cpu = [(w.name, process_cpu(w.process.pid)) for w in self.workers if w.alive]
            super().close()

    return TimedPool


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a live process (Linux /proc)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
