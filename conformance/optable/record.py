"""Record the op table's TensorFlow baseline: ``python -m conformance.optable.record``.

Runs every op-table check (including the ones the current baseline says TF
cannot run) on the ``tensorflow`` engine in a worker process, and writes what
TF returned — the value, ⟨u, J v⟩ and the finite difference, or the error it
raised — to ``conformance/optable/baselines/tensorflow-<version>.json.gz``.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timezone

from ..engines import resolve_engine
from ..isolation import Isolation, WorkerPool
from ..runner import Result, run_cases
from .baseline import write_baseline
from .cases import op_cases


def entry_of(result: Result) -> dict | None:
    """What the baseline keeps of one TF result."""
    outcome = result.outcome or {}
    exception = outcome.get("exception")
    if exception:
        return {"raises": f"{exception['type']}: {exception['message'][:300]}"}
    observed = outcome.get("values", {}).get("observed")
    if observed is None:
        return None
    oracle = outcome.get("oracles", {})
    entry = {"observed": observed}
    for key, name in (("lhs", "lhs"), ("fd_value", "fd")):
        if oracle.get(key) is not None:
            entry[name] = oracle[key]
    return entry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m conformance.optable.record", description=__doc__.splitlines()[0]
    )
    parser.add_argument("-k", dest="keyword", help="only re-record matching checks")
    parser.add_argument(
        "--incomplete",
        action="store_true",
        help="only the checks the baseline lacks or recorded as raising",
    )
    parser.add_argument(
        "--forward",
        action="store_true",
        help="only record TF's forward values <u, f(x)> (fast, in process)",
    )
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    from ..cli import select
    from .baseline import load_baseline

    if args.forward:
        return record_forward()
    cases = select(op_cases(everything=True), args.keyword)
    if args.incomplete:
        known = load_baseline()
        cases = [c for c in cases if "raises" in known.get(c.id, {"raises": 1})]
    limits = Isolation(timeout=args.timeout, memory_mb=None)
    started = time.perf_counter()
    run = run_cases(cases, WorkerPool([resolve_engine("tensorflow")], limits))
    if run.engine_errors:
        print(f"tensorflow could not load: {run.engine_errors[0].reason}", file=sys.stderr)
        return 3
    results = dict(load_baseline()) if args.keyword or args.incomplete else {}
    for result in run.results:
        entry = entry_of(result)
        if entry is not None:
            results[result.case] = entry
    version = run.engines[0].version
    path = write_baseline(results, version, datetime.now(timezone.utc).isoformat())
    print(f"recorded {len(run.results)} checks in {time.perf_counter() - started:.1f} s -> {path}")
    return 0


def record_forward() -> int:
    """TF's ⟨u, f(x)⟩ for every op × sample × dtype, into the baseline's ``forward``."""
    import tensorflow as tf

    from .baseline import load_baseline
    from .cases import groups
    from .probe import forward_value
    from .registry import entries

    values = {}
    for entry in entries().values():
        for group, _, _, _ in groups(entry):
            if group not in values:
                try:
                    values[group] = forward_value(tf, group)
                except Exception:
                    continue
    path = write_baseline(
        dict(load_baseline()),
        tf.__version__,
        datetime.now(timezone.utc).isoformat(),
        forward=values,
    )
    print(f"recorded {len(values)} forward values -> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
