"""A fuzz session: stream generated programs through both engines and collect verdicts.

Programs are generated in a helper process, chunk by chunk, while the
workers run the previous batch (generation costs about as much as running a
program on TensorFlow, so doing both in one process halves the rate).
`FuzzStats` counts verdicts by status and divergences by signature.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..isolation.pool import _main_module_hidden
from .generate import CHUNK, chunk_programs
from .program import Program
from .runner import FuzzRunner, Verdict


@dataclass
class FuzzStats:
    """What a session found."""

    seed: int
    programs: int = 0
    statuses: Counter = field(default_factory=Counter)
    signatures: Counter = field(default_factory=Counter)
    unsupported: Counter = field(default_factory=Counter)
    diverged: list[Verdict] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)  # every verdict, when kept
    seconds: float = 0.0
    keep_all: bool = False

    def add(self, verdict: Verdict) -> None:
        self.programs += 1
        self.statuses[verdict.status] += 1
        if self.keep_all:
            self.verdicts.append(verdict)
        if verdict.status == "diverged":
            self.signatures[verdict.signature] += 1
            self.diverged.append(verdict)
        elif verdict.status == "unsupported":
            self.unsupported[verdict.note] += 1

    @property
    def compared(self) -> int:
        return self.statuses["agreed"] + self.statuses["diverged"]

    @property
    def agreement(self) -> float:
        """Agreed / (agreed + diverged); 1.0 when nothing was compared."""
        return self.statuses["agreed"] / self.compared if self.compared else 1.0

    @property
    def rate(self) -> float:
        return self.programs / self.seconds if self.seconds else 0.0


def program_stream(
    seed: int, apis: frozenset | None, background: bool = True
) -> Iterator[tuple[int, Program]]:
    """(index, program) for the whole sequence of `seed`, generated ahead in a helper process."""
    if not background:
        for chunk in range(10**9):
            yield from enumerate(chunk_programs(seed, chunk, apis), chunk * CHUNK)
    context = multiprocessing.get_context("spawn")
    with _main_module_hidden(False):  # the helper needs nothing from the caller's script
        pool = context.Pool(1)
    with pool:
        chunks = pool.imap(_chunk_job, ((seed, c, apis) for c in range(10**9)))
        for number, programs in enumerate(chunks):
            yield from enumerate(programs, number * CHUNK)


def _chunk_job(args: tuple) -> list[Program]:
    return chunk_programs(*args)


def run_session(
    runner: FuzzRunner,
    seed: int,
    *,
    n: int | None = None,
    seconds: float | None = None,
    apis: frozenset | None = None,
    progress: Callable[[FuzzStats], None] | None = None,
    background: bool = True,
    keep_all: bool = False,
) -> FuzzStats:
    """Run programs of `seed` until `n` programs or `seconds` have gone by."""
    stats = FuzzStats(seed, keep_all=keep_all)
    started = time.monotonic()
    stream = program_stream(seed, apis, background)
    batch: list[tuple[int, Program]] = []
    try:
        for item in stream:
            batch.append(item)
            done = n is not None and stats.programs + len(batch) >= n
            if len(batch) == runner.batch or done:
                for verdict in runner.run(batch, f"s{seed}"):
                    stats.add(verdict)
                batch = []
                stats.seconds = time.monotonic() - started
                if progress:
                    progress(stats)
            if done or (seconds is not None and time.monotonic() - started >= seconds):
                break
    finally:
        stream.close()
    stats.seconds = time.monotonic() - started
    return stats
