"""Command-line options of isolation, shared by ``conformance run`` and ``record``."""

from __future__ import annotations

from typing import Any, Sequence

from ..engines.base import Engine
from .limits import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, Isolation
from .pool import WorkerPool

def add_arguments(parser: Any) -> None:
    """The ``conformance run`` flags that control isolation."""
    parser.add_argument("--timeout", type=_positive_float, default=DEFAULT_TIMEOUT,
                        metavar="SECONDS",
                        help="a case running longer is stopped and reported as 'timeout' "
                             f"(default: {DEFAULT_TIMEOUT:g})")
    parser.add_argument("--memory-limit", type=int, default=DEFAULT_MEMORY_MB, metavar="MB",
                        help="a worker using more resident memory is stopped and its case "
                             f"reported as 'crashed'; 0: no limit (default: {DEFAULT_MEMORY_MB})")
    parser.add_argument("--in-process", action="store_true",
                        help="run the engines in this process, without worker processes: "
                             "no timeout and no protection from crashes (for debugging)")


def from_args(args: Any) -> Isolation | None:
    """The `Isolation` the parsed flags ask for (None: ``--in-process``)."""
    if args.in_process:
        return None
    return Isolation(timeout=args.timeout, memory_mb=args.memory_limit or None)


def prestart(engines: Sequence[Engine | str], isolation: Isolation | None) -> WorkerPool | None:
    """A pool whose engines start loading now, while the caller loads its cases;
    hand it to `run_cases` as its `isolation` (None when not isolated)."""
    if isolation is None:
        return None
    pool = WorkerPool(engines, isolation)
    pool.spawn_all()
    return pool


def engine_refs(names: Sequence[str], isolation: Isolation | None) -> list[Engine | str]:
    """What to hand `run_cases` for these ``--engine`` names.

    Names are resolved here, so an unknown name is a usage error, except
    ``pkg.module:attr`` names when isolated: resolving those imports the
    module, which is engine code, so the worker does it.
    """
    from ..engines import resolve_engine
    return [name if isolation is not None and ":" in name else resolve_engine(name)
            for name in names]


def _positive_float(text: str) -> float:
    import argparse
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return value
