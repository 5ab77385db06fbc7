"""What isolation costs: the corpus run isolated, in-process, and bare.

Three ways to run the same case programs on one engine (default TensorFlow),
each in a fresh Python process, timed by wall clock from start to exit:

* ``isolated``: ``conformance run`` (worker processes, journal, reports);
* ``in-process``: ``conformance run --in-process``;
* ``bare``: the floor: a process that imports the engine once and ``exec``s
  every case program (in every context it declares) in a loop, with no
  loader, no capture, no observation, no comparison and no report;
* ``bare+freeze``: the same after ``gc.freeze()``, as a worker does once its
  engine loaded: the ratio to it is the harness's cost without that gain.

It prints the median of ``--repeat`` runs of each and the ratios to the
floor; the target is isolated ≤ 1.05 × bare (bare includes one TF import).
``--contract`` also times the per-case isolation contract alone
(`case_state.CaseGuard.after_case`: verify, then restore) over every case.

    TF_CPP_MIN_LOG_LEVEL=2 python bench/harness_overhead.py [--repeat 3] [--cases cases]
    TF_CPP_MIN_LOG_LEVEL=2 python bench/harness_overhead.py --contract --repeat 0
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.05


def bare_main(programs_file: str, engine: str, freeze: bool = False) -> None:
    """The floor: import the engine, exec every program, nothing else (`freeze`:
    move the engine's objects out of the cycle collector first, as a worker does)."""
    import gc
    import importlib

    import numpy as np

    module = {"tensorflow": "tensorflow", "reference": "reference_impl"}.get(engine, engine)
    tf = importlib.import_module(module)
    if freeze:
        gc.collect()
        gc.freeze()
    for path, program, context in json.loads(Path(programs_file).read_text()):
        wrap = _context(tf, context)
        namespace = {"__name__": "__case__", "tf": tf, "np": np, "context": wrap}
        with contextlib.suppress(Exception):  # a case may raise on purpose
            exec(compile(program, path, "exec"), namespace)


def _context(tf, context: str):
    """What ``context`` is bound to, as the harness binds it (``execute.context_wrapper``):
    identity, tf.function, or tf.function(jit_compile=True) for ``xla``."""
    if context == "function":
        return tf.function
    if context == "xla":
        return functools.partial(tf.function, jit_compile=True)
    return lambda fn: fn


def write_programs(cases: Path, target: Path) -> int:
    """Dump (path, program, context) for every case × context; return the count."""
    sys.path.insert(0, str(ROOT))
    from conformance.loader import load_cases

    loaded = load_cases([cases])
    rows = [
        (c.path, "\n" * (c.program_line - 1) + c.program, context)
        for c in loaded.cases
        for context in c.contexts
    ]
    target.write_text(json.dumps(rows))
    return len(rows)


def timed(command: list[str]) -> tuple[float, float]:
    """Wall clock and CPU seconds (user + system, all descendants) of `command`."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL=os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def contract_cost(cases: Path, engine: str) -> None:
    """Per case: milliseconds of `CaseGuard.after_case` (verify + restore)."""
    sys.path.insert(0, str(ROOT))
    from conformance.case_state.contract import CaseGuard, namespaces_of
    from conformance.engines import resolve_engine
    from conformance.loader import load_cases
    from conformance.trial import run_case

    loaded = resolve_engine(engine)
    loaded.load()
    guard = CaseGuard(namespaces_of([loaded]), own_process=False)
    costs, parts = [], {}
    for case in load_cases([cases]).cases:
        for context in case.contexts:
            run_case(case, loaded, context)
            started = time.perf_counter()
            guard.verify()
            parts.setdefault("verify", []).append(time.perf_counter() - started)
            for name, step in guard.restore_steps():
                begun = time.perf_counter()
                step()
                parts.setdefault(name, []).append(time.perf_counter() - begun)
            costs.append(time.perf_counter() - started)
    print(
        f"isolation contract (verify + restore) on {engine}: {len(costs)} case runs, "
        f"median {statistics.median(costs) * 1e3:.2f} ms, mean "
        f"{statistics.mean(costs) * 1e3:.2f} ms, total {sum(costs):.2f} s"
    )
    for name, spent in sorted(parts.items(), key=lambda item: -sum(item[1])):
        print(
            f"  {name:<18} median {statistics.median(spent) * 1e6:7.1f} µs, "
            f"total {sum(spent) * 1e3:6.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=Path, default=ROOT / "cases")
    parser.add_argument("--engine", default="tensorflow")
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs of each (0: none, e.g. with --contract)"
    )
    parser.add_argument("--bare", nargs=1, metavar="PROGRAMS_JSON", help=argparse.SUPPRESS)
    parser.add_argument("--freeze", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--contract",
        action="store_true",
        help="also time the per-case isolation contract alone (in-process)",
    )
    args = parser.parse_args()
    if args.contract:
        contract_cost(args.cases, args.engine)
    if args.bare:
        bare_main(args.bare[0], args.engine, freeze=args.freeze)
        return
    if args.repeat < 1:
        return
    with tempfile.TemporaryDirectory() as tmp:
        programs = Path(tmp) / "programs.json"
        count = write_programs(args.cases, programs)
        out = [f"--json={tmp}/r.json", f"--html={tmp}/r.html", "-q"]
        run = [
            sys.executable,
            "-m",
            "conformance",
            "run",
            str(args.cases),
            "--engine",
            args.engine,
            *out,
        ]
        commands = {
            "bare": [sys.executable, __file__, "--engine", args.engine, "--bare", str(programs)],
            "bare+freeze": [
                sys.executable,
                __file__,
                "--engine",
                args.engine,
                "--bare",
                str(programs),
                "--freeze",
            ],
            "in-process": run + ["--in-process"],
            "isolated": run,
            "import only": [
                sys.executable,
                "-c",
                f"import {'tensorflow' if args.engine == 'tensorflow' else 'numpy'}",
            ],
        }
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.repeat):  # interleaved, so load drifts hit all alike
            for name, command in commands.items():
                times[name].append(timed(command))
    print(f"{count} case programs (case x context) on {args.engine}; median of {args.repeat} runs")
    for index, unit in ((0, "wall clock"), (1, "CPU (user+sys)")):
        medians = {name: statistics.median(v[index] for v in runs) for name, runs in times.items()}
        floor = medians["bare"]
        print(f"{unit} seconds:")
        for name, value in medians.items():
            spread = ", ".join(f"{v[index]:.2f}" for v in times[name])
            print(f"  {name:<12} {value:7.2f} s  {value / floor:5.2f}x bare   ({spread})")
        ratio = medians["isolated"] / floor
        print(
            f"  isolated / bare = {ratio:.3f} "
            f"({'meets' if ratio <= TARGET else 'misses'} the {TARGET}x target); "
            f"isolated / bare+freeze = {medians['isolated'] / medians['bare+freeze']:.3f}"
        )


if __name__ == "__main__":
    main()
