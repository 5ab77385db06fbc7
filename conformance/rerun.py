"""Reruns and early stops: ``--last-failed``, ``--failed-first`` and ``--maxfail``.

`previous_failures` reads the cases that failed (or diverged) in the last
run's record; `reorder` keeps only those (``--last-failed``) or runs them
first (``--failed-first``), as pytest's options of the same names do;
`MaxFail` stops handing out cases once N results failed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from .case import Case
from .result import PROBLEMS, Result


def previous_failures(record_path: Path) -> list[str] | None:
    """The ids of the cases with a failing result or a divergence in the record at
    `record_path`, in record order; None when there is no readable record."""
    try:
        record = json.loads(Path(record_path).read_text(encoding="utf-8"))
        results, divergences = record["results"], record.get("divergences", [])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    failing = [r["case"] for r in results if r.get("status") in PROBLEMS]
    failing += [d["case"] for d in divergences]
    return list(dict.fromkeys(failing))


def reorder(cases: Sequence[Case], failed: Sequence[str] | None, *, only: bool) -> list[Case]:
    """`cases` with the previously failed ones first (or, with `only`, just those).

    With nothing recorded as failed, every case runs, in order (pytest does the same).
    """
    if not failed:
        return list(cases)
    wanted = set(failed)
    first = [c for c in cases if c.id in wanted]
    return first if only else first + [c for c in cases if c.id not in wanted]


class MaxFail:
    """Counts failing results; `cases` stops yielding once `limit` results failed."""

    def __init__(self, limit: int | None) -> None:
        self.limit, self.failures, self.stopped = limit, 0, False

    def update(self, result: Result) -> None:
        if result.status in PROBLEMS:
            self.failures += 1

    def cases(self, cases: Iterable[Case]) -> Iterator[Case]:
        for case in cases:
            if self.limit is not None and self.failures >= self.limit:
                self.stopped = True
                return
            yield case
