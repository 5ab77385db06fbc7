"""``conformance fuzz``: the command line of differential fuzzing.

Exit status: 0 the engine agreed with the baseline on every compared
program; 1 some program diverged (the classes are written as cases);
2 usage error; 3 an engine could not be loaded.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import UsageError

DEFAULT_N = 1000
DEFAULT_OUT = Path("reports/fuzz")
EXIT_HELP = (
    "exit status: 0 no divergence; 1 some program diverged (each class is shrunk "
    "and written as a case); 2 usage error; 3 an engine could not be loaded."
)


def add_fuzz(commands: argparse._SubParsersAction) -> None:
    """Register the ``fuzz`` subcommand."""
    fuzz_ = commands.add_parser(
        "fuzz",
        help="differential fuzzing: random tape/accumulator programs on an engine and "
        "on TensorFlow; each divergence shrunk into a ready YAML case",
        description="Generate random GradientTape / ForwardAccumulator programs over the API "
        "both engines expose, run each on both (in worker processes), compare "
        "them field by field, summarize by mismatch signature, shrink each "
        "divergence to a minimal program and draft a case whose expectation is "
        "the baseline's outcome. Deterministic for a seed.",
        epilog=EXIT_HELP,
    )
    fuzz_.add_argument(
        "--engine",
        required=True,
        metavar="NAME",
        help="the engine under test (as for `conformance run --engine`)",
    )
    fuzz_.add_argument(
        "--against",
        default="tensorflow",
        metavar="NAME",
        help="the baseline engine whose outcomes are the truth (default: tensorflow)",
    )
    budget = fuzz_.add_mutually_exclusive_group()
    budget.add_argument(
        "--n", type=int, metavar="N", help=f"number of programs (default: {DEFAULT_N})"
    )
    budget.add_argument("--time", type=float, metavar="S", help="run for S seconds instead")
    fuzz_.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="K",
        help="the program sequence (default: 0); the same seed gives the same programs",
    )
    fuzz_.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        metavar="DIR",
        help=f"where fuzz-cases.yaml, fuzz.json and fuzz.html go (default: {DEFAULT_OUT})",
    )
    fuzz_.add_argument(
        "--batch",
        type=int,
        default=25,
        metavar="B",
        help="programs per worker message (default: 25)",
    )
    fuzz_.add_argument(
        "--no-shrink",
        action="store_true",
        help="report divergences without shrinking them or drafting cases",
    )
    fuzz_.add_argument(
        "--per-signature",
        type=int,
        default=2,
        metavar="M",
        help="divergences shrunk per signature (default: 2); shrunk programs "
        "that still differ in their ops or queries are separate classes",
    )
    fuzz_.add_argument(
        "--timeout",
        type=float,
        default=20.0,
        metavar="S",
        help="seconds a batch may take before its programs are rerun one by "
        "one, and a program before it is lost as a timeout (default: 20)",
    )
    fuzz_.set_defaults(handler=cmd_fuzz)


def cmd_fuzz(args: argparse.Namespace) -> int:
    # imported here: Hypothesis (with what it imports) costs every other command ~0.25 s
    from .campaign import FuzzConfig, fuzz
    from .casewrite import write_cases
    from .report import print_summary, write_reports

    if args.n is not None and args.n < 1:
        raise UsageError("--n must be at least 1")
    if args.batch < 1 or args.per_signature < 0:
        raise UsageError("--batch must be at least 1 and --per-signature not negative")
    config = FuzzConfig(
        engine=args.engine,
        against=args.against,
        n=None if args.time else (args.n or DEFAULT_N),
        seconds=args.time,
        seed=args.seed,
        out=args.out,
        batch=args.batch,
        shrink=not args.no_shrink,
        per_signature=args.per_signature,
        timeout=args.timeout,
    )
    try:
        result = fuzz(config, progress=lambda text: print(text, file=sys.stderr, flush=True))
    except RuntimeError as exc:
        print(f"conformance fuzz: {exc}", file=sys.stderr)
        return 3
    print_summary(result, sys.stdout)
    paths = write_reports(result, args.out)
    if result.classes:
        cases = write_cases([c.case for c in result.classes], args.out / "fuzz-cases.yaml")
        print(f"wrote {len(result.classes)} case(s) to {cases}")
    print(f"wrote {paths['json']} and {paths['html']}")
    return 1 if result.stats.statuses["diverged"] else 0
