"""Shards: a deterministic partition of the selected cases by case id.

``conformance run --shard K/N`` runs the cases whose id hashes to shard K of
N (1-based). A case's shard depends only on its id and N (the first 8 bytes
of the SHA-256 of the id, modulo N), never on its position, so adding or
removing cases moves no other case between shards, and every machine, Python
version and run agrees on the partition. A case runs exactly as it would
unsharded (every case resets its engine first), so its verdict does not
depend on the shard it lands in.

The record of a run carries the `selection` it was cut from (the ordered ids
of every selected case and a digest of their texts), and a sharded run also
its ``shard``; `conformance.merge` uses both to put shards back together and
to refuse records of different suites.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .case import Case
from .errors import UsageError

_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    """Shard `index` (1-based) of `count`."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def holds(self, case_id: str) -> bool:
        """True when the case with this id belongs to this shard."""
        return shard_of(case_id, self.count) == self.index

    def to_json(self) -> dict:
        return {"index": self.index, "count": self.count, "method": "sha256(case id) mod count"}


def parse_shard(text: str) -> Shard:
    """``"2/5"`` → ``Shard(2, 5)``; a `UsageError` saying what is wrong otherwise."""
    match = _SHARD.match(text or "")
    if not match:
        raise UsageError(f"--shard {text!r}: expected K/N, e.g. --shard 2/4 (shard 2 of 4)")
    index, count = int(match.group(1)), int(match.group(2))
    if count < 1 or not 1 <= index <= count:
        raise UsageError(f"--shard {text!r}: K must be between 1 and N (N >= 1)")
    return Shard(index, count)


def shard_of(case_id: str, count: int) -> int:
    """The 1-based shard of `count` that the case with this id belongs to."""
    digest = hashlib.sha256(case_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def select_shard(cases: Sequence[Case], shard: Shard | None) -> list[Case]:
    """The cases of `shard`, in their order (all of them when `shard` is None)."""
    return list(cases) if shard is None else [c for c in cases if shard.holds(c.id)]


def selection(cases: Sequence[Case]) -> dict:
    """The record's ``selection``: the ordered ids of the selected cases (before any
    shard is cut) and a digest of their ids and texts as written."""
    texts = [[case.id, case.raw] for case in cases]
    blob = json.dumps(texts, sort_keys=True, ensure_ascii=False, default=str)
    return {
        "case_ids": [case.id for case in cases],
        "digest": "sha256:" + hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest(),
    }
