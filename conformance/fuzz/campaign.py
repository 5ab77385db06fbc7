"""A whole fuzz campaign: discover the shared API, run, shrink, deduplicate, write.

`fuzz(config)` starts both engines in worker processes, finds the fuzzer
APIs both namespaces have (an API only the baseline has is reported as
unsupported by the engine and left out of the programs), runs the
session, shrinks the first divergences of every signature, deduplicates the
shrunk programs by *class* (signature plus the ops, queries and recorder
layout of the minimal program) and drafts one case per class.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..isolation import Isolation
from .casewrite import draft_case
from .ops import all_apis
from .program import Program
from .runner import FuzzRunner, Verdict
from .session import FuzzStats, run_session
from .shrink import shrink


@dataclass
class FuzzConfig:
    """What `conformance fuzz` was asked to do."""

    engine: str
    against: str = "tensorflow"
    n: int | None = None
    seconds: float | None = None
    seed: int = 0
    out: Path = Path("reports/fuzz")
    batch: int = 25
    shrink: bool = True
    per_signature: int = 2
    timeout: float = 20.0
    memory_mb: int | None = 4096


@dataclass
class FuzzClass:
    """One distinct divergence class: its shrunk program and drafted case."""

    key: str
    signature: str
    found: int  # programs of the run with this signature
    original: Verdict
    minimal: Verdict
    case: dict
    shrink_seconds: float = 0.0


@dataclass
class FuzzResult:
    config: FuzzConfig
    stats: FuzzStats
    engines: list[dict] = field(default_factory=list)
    missing_apis: list[str] = field(default_factory=list)
    classes: list[FuzzClass] = field(default_factory=list)
    seconds: float = 0.0


def class_key(verdict: Verdict) -> str:
    """Signature + the minimal program's op kinds, query kinds and recorder layout."""
    p = verdict.program
    ops = ",".join(sorted({op.fn for op in p.ops}))
    queries = ",".join(sorted({q.kind for r in p.recorders for q in r.queries}))
    layout = "/".join(r.kind for r in p.recorders)
    return f"{verdict.signature} | {layout} | {queries} | {ops}"


def fuzz(config: FuzzConfig, progress: Callable[[str], None] | None = None) -> FuzzResult:
    """Run the campaign `config` describes (see the module docstring)."""
    started = time.monotonic()
    say = progress or (lambda text: None)
    limits = Isolation(timeout=config.timeout, memory_mb=config.memory_mb)
    with FuzzRunner(config.against, config.engine, limits, config.batch) as runner:
        if runner.errors or len(runner.engines) != 2:
            reasons = "; ".join(f"{e.engine}: {e.reason}" for e in runner.errors)
            raise RuntimeError(f"an engine could not be loaded: {reasons}")
        base_apis, engine_apis = runner.discover()
        shared = frozenset(base_apis & engine_apis)
        result = FuzzResult(
            config,
            FuzzStats(config.seed),
            [e.describe() for e in runner.engines],
            sorted(set(all_apis()) & base_apis - engine_apis),
        )
        say(
            f"fuzzing {config.engine} against {config.against}: {len(shared)} shared APIs"
            + (
                f", {len(result.missing_apis)} missing in {config.engine}"
                if result.missing_apis
                else ""
            )
        )
        result.stats = run_session(
            runner,
            config.seed,
            n=config.n,
            seconds=config.seconds,
            apis=shared,
            progress=_progress_line(say),
        )
        if config.shrink:
            result.classes = shrink_all(runner, result.stats, config, say)
    result.seconds = time.monotonic() - started
    return result


def _progress_line(say: Callable[[str], None]) -> Callable[[FuzzStats], None]:
    last = [0.0]

    def show(stats: FuzzStats) -> None:
        if time.monotonic() - last[0] >= 5:
            last[0] = time.monotonic()
            say(
                f"  {stats.programs} programs, {stats.statuses['diverged']} diverged, "
                f"{len(stats.signatures)} signatures, {stats.rate:.1f} programs/s"
            )

    return show


def shrink_all(
    runner: FuzzRunner, stats: FuzzStats, config: FuzzConfig, say: Callable[[str], None]
) -> list[FuzzClass]:
    """Shrink the first `per_signature` divergences of each signature; one class per key."""
    tf_version = str(runner.engines[0].describe().get("version", "unknown"))
    classes: dict[str, FuzzClass] = {}
    taken: dict[str, int] = {}
    for verdict in stats.diverged:
        if taken.get(verdict.signature, 0) >= config.per_signature:
            continue
        taken[verdict.signature] = taken.get(verdict.signature, 0) + 1
        began = time.monotonic()
        minimal = shrink_verdict(runner, verdict, config.seed)
        key = class_key(minimal)
        if key not in classes:
            case = draft_case(minimal, config.seed, config.engine, tf_version)
            classes[key] = FuzzClass(
                key,
                verdict.signature,
                stats.signatures[verdict.signature],
                verdict,
                minimal,
                case,
                time.monotonic() - began,
            )
            say(
                f"  shrunk #{verdict.index} ({verdict.signature}): size "
                f"{verdict.program.size()} -> {minimal.program.size()}"
            )
    return sorted(classes.values(), key=lambda c: (-c.found, c.key))


def shrink_verdict(runner: FuzzRunner, verdict: Verdict, seed: int) -> Verdict:
    """`verdict` with its program shrunk (same signature), re-judged."""
    seen: dict[Program, Verdict] = {}

    def still_fails(program: Program) -> bool:
        if program not in seen:
            seen[program] = runner.run([(verdict.index, program)], f"shrink{seed}")[0]
        judged = seen[program]
        return judged.status == "diverged" and judged.signature == verdict.signature

    minimal = shrink(verdict.program, still_fails, seed=seed)
    if minimal == verdict.program or not still_fails(minimal):
        return verdict
    return seen[minimal]
