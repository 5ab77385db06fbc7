"""How many fuzz programs per second are checked against TensorFlow, and what costs.

Runs `conformance fuzz`'s session (no shrinking) on `--engine` (default the
reference engine) against TensorFlow for `--n` programs of `--seed`, with
`--batch` programs per worker message, and prints:

* the wall-clock rate (programs/s; the target is ≥ 50 on the 2-core machine);
* CPU seconds per program of each worker process (read from /proc), and of
  generation (measured separately, in this process) — on a loaded machine
  the CPU figures say what the rate would be on an idle one;
* where TensorFlow's time goes: per context and per query kind;
* the load average before and after, since the machine is shared.

    TF_CPP_MIN_LOG_LEVEL=2 python bench/fuzz_speed.py [--n 1000] [--seed 1] [--batch 25]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections import defaultdict

from conformance.fuzz.generate import generate
from conformance.fuzz.runner import FuzzRunner
from conformance.fuzz.session import run_session
from conformance.isolation import Isolation

TARGET = 50.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process `pid` so far."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tf_breakdown(verdicts: list) -> dict[str, list[float]]:
    found: dict[str, list[float]] = defaultdict(list)
    for verdict in verdicts:
        seconds = verdict.results[0].seconds
        found[f"context {verdict.program.context}"].append(seconds)
        for kind in {q.kind for r in verdict.program.recorders for q in r.queries}:
            found[f"query {kind}"].append(seconds)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", default="reference")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=25)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    began = time.process_time()
    generate(args.seed + 1000, 0, 200)
    generation = (time.process_time() - began) / 200
    with FuzzRunner("tensorflow", args.engine, Isolation(timeout=60), args.batch) as runner:
        pids = [w.process.pid for w in runner.pool.workers]
        before = [cpu_seconds(pid) for pid in pids]
        stats = run_session(runner, args.seed, n=args.n, keep_all=True)
        used = [cpu_seconds(pid) - b for pid, b in zip(pids, before)]
    print(f"load average after: {os.getloadavg()}")
    print(
        f"{stats.programs} programs in {stats.seconds:.1f} s: {stats.rate:.1f} programs/s "
        f"(target {TARGET:g}); agreement {100 * stats.agreement:.2f}%"
    )
    print(
        f"CPU ms per program: generation {1000 * generation:.1f} (helper process), "
        + ", ".join(
            f"{name} worker {1000 * cpu / stats.programs:.1f}"
            for name, cpu in zip(("tensorflow", args.engine), used)
        )
    )
    busiest = max(used) / stats.programs
    print(f"rate if the busiest process had a core to itself: {1 / busiest:.0f} programs/s")
    print("TensorFlow's execution time (case program only), by program feature:")
    for feature, times in sorted(tf_breakdown(stats.verdicts).items(), key=lambda kv: -sum(kv[1])):
        print(
            f"  {feature:26s} {len(times):5d} programs  {sum(times):7.2f} s total  "
            f"median {1000 * statistics.median(times):6.1f} ms"
        )


if __name__ == "__main__":
    main()
