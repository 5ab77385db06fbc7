"""The run journal: results appended as JSON Lines the moment each one exists.

A journal survives the run being killed (even with ``kill -9``): every line
is written and flushed as its case finishes, so every finished result is in
it, and at worst the last line is cut short (it is then ignored). Its first
line is a header naming what was run; each other line is one result
(`result.Result.to_json` plus the ``case_hash`` of the case it came from).

``conformance run --resume JOURNAL`` reads the header to select the same
cases and engines, keeps every journaled result whose case is unchanged
(same ``case_hash``), runs only what is missing, appends those results to
the same journal and writes the full report.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .case import Case
from .encoding import dumps
from .errors import UsageError
from .result import Result, ResultKey

JOURNAL_FORMAT = "tf-autodiff-conformance/journal"
JOURNAL_VERSION = 1


def default_journal_path(json_path: Path) -> Path:
    """Where the journal goes by default: beside the JSON record."""
    return json_path.with_name(json_path.stem + ".journal.jsonl")


def case_hash(case: Case) -> str:
    """A fingerprint of everything in a case that can change its result."""
    text = json.dumps([case.id, case.program, case.raw], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class JournalContents:
    """What a journal holds: its header and the results it recorded."""

    header: dict
    results: dict[ResultKey, Result] = field(default_factory=dict)
    hashes: dict[ResultKey, str] = field(default_factory=dict)
    bad_lines: int = 0

    def prior_for(self, cases: Iterable[Case]) -> dict[ResultKey, Result]:
        """The recorded results still valid for `cases` (their case is unchanged)."""
        current = {case.id: case_hash(case) for case in cases}
        return {
            key: result
            for key, result in self.results.items()
            if current.get(key[0]) == self.hashes.get(key)
        }


class Journal:
    """An open journal being appended to; use as a context manager.

    The journal is locked (``flock``) while it is open, so a second run on the
    same file is refused instead of interleaving lines with the first. Each
    record is one ``write`` of one whole line to a file opened for appending,
    and a torn last line left by a killed run is cut off before appending.

    Raises:
        UsageError: another run holds the journal, or it cannot be opened.
    """

    def __init__(
        self, path: Path, cases: Sequence[Case], header: dict | None = None, append: bool = False
    ) -> None:
        self.path = Path(path)
        self.hashes = {case.id: case_hash(case) for case in cases}
        self._fd = _open_locked(self.path)
        if append:
            repair_torn_tail(self._fd)
        else:
            os.ftruncate(self._fd, 0)
            self._write({"journal": JOURNAL_FORMAT, "version": JOURNAL_VERSION, **(header or {})})

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def record(self, result: Result) -> None:
        """Append one result (and flush it to the operating system)."""
        entry = result.to_json()
        entry["case_hash"] = self.hashes.get(result.case)
        self._write(entry)

    def _write(self, entry: dict) -> None:
        data = (dumps(entry) + "\n").encode("ascii")
        while data:  # one write on a regular file; the loop only guards short writes
            data = data[os.write(self._fd, data) :]

    def close(self) -> None:
        if self._fd is not None:
            os.fsync(self._fd)
            os.close(self._fd)  # releases the lock
            self._fd = None


def _open_locked(path: Path) -> int:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o666)
    except OSError as exc:
        raise UsageError(f"{path}: cannot open the journal: {exc.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise UsageError(
            f"{path}: another conformance run is writing this journal; wait "
            "for it to finish, or give this run its own --journal (or --json)"
        ) from None
    return fd


def repair_torn_tail(fd: int) -> int:
    """Cut a last line that has no newline (a record torn by a kill); return the
    number of bytes removed."""
    size = os.fstat(fd).st_size
    if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
        return 0
    keep = os.pread(fd, size, 0).rfind(b"\n") + 1
    os.ftruncate(fd, keep)
    return size - keep


def read_journal(path: Path) -> JournalContents:
    """Read a journal, ignoring a last line cut short by a kill.

    Raises:
        UsageError: the file is missing or is not a journal.
    """
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the journal: {exc.strerror}") from None
    header = _parse(lines[0]) if lines else None
    if not isinstance(header, dict) or header.get("journal") != JOURNAL_FORMAT:
        raise UsageError(f"{path}: not a conformance journal (no journal header line)")
    if header.get("version") != JOURNAL_VERSION:
        raise UsageError(
            f"{path}: journal version {header.get('version')!r} is not "
            f"supported (this version reads {JOURNAL_VERSION})"
        )
    contents = JournalContents(header=header)
    for line in lines[1:]:
        entry = _parse(line)
        result = result_from_json(entry) if isinstance(entry, dict) else None
        if result is None:
            contents.bad_lines += 1
            continue
        key = (result.case, result.context, result.engine)
        contents.results[key] = result
        contents.hashes[key] = entry.get("case_hash")
    return contents


def _parse(line: str) -> Any:
    try:
        return json.loads(line)
    except ValueError:
        return None


def result_from_json(entry: dict) -> Result | None:
    """The `Result` a journal line describes, or None if the line is not one."""
    return Result.from_json(entry)


__all__ = [
    "Journal",
    "JournalContents",
    "read_journal",
    "result_from_json",
    "case_hash",
    "default_journal_path",
]
