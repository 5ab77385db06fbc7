"""Sharded and unsharded runs of the whole corpus agree: the sweep behind the merge test.

Runs ``conformance run`` once unsharded and once per shard of ``--shards N``
(each a fresh process, worker isolation as by default, on the given engines),
merges the shards with ``conformance merge`` and compares the merged record
with the unsharded one, leaving out only the per-run fields
(`conformance.merge.comparable`). Prints the wall time of each run, the
number of results, and every path at which the two records differ (none is
the claim). The test suite checks the same on a small selection in seconds.

    TF_CPP_MIN_LOG_LEVEL=2 python bench/shard_equivalence.py [--shards 3] [-k EXPR]
        [--engine tensorflow --engine reference]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from conformance.merge import comparable


def conformance(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "conformance", *args], check=False, stdout=subprocess.DEVNULL
    )
    return time.perf_counter() - started


def differences(a: object, b: object, path: str = "") -> list[str]:
    """The paths at which two JSON values differ."""
    if type(a) is not type(b):
        return [f"{path}: {type(a).__name__} vs {type(b).__name__}"]
    if isinstance(a, dict):
        if list(a) != list(b):
            return [f"{path}: keys {list(a)} vs {list(b)}"]
        return [d for k in a for d in differences(a[k], b[k], f"{path}/{k}")]
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} vs {len(b)} items"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {str(a)[:120]!r} vs {str(b)[:120]!r}"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shards", type=int, default=3)
    parser.add_argument("-k", dest="keyword")
    parser.add_argument("--engine", action="append")
    args = parser.parse_args()
    selection = (["-k", args.keyword] if args.keyword else []) + [
        flag for name in args.engine or ["tensorflow", "reference"] for flag in ("--engine", name)
    ]
    out = Path(tempfile.mkdtemp(prefix="shards-"))
    whole = conformance(
        "run",
        "-q",
        *selection,
        "--json",
        str(out / "whole.json"),
        "--html",
        str(out / "whole.html"),
    )
    print(f"unsharded: {whole:.1f} s")
    parts = []
    for k in range(1, args.shards + 1):
        seconds = conformance(
            "run",
            "-q",
            *selection,
            "--shard",
            f"{k}/{args.shards}",
            "--json",
            str(out / f"s{k}.json"),
            "--html",
            str(out / f"s{k}.html"),
        )
        print(f"shard {k}/{args.shards}: {seconds:.1f} s")
        parts.append(str(out / f"s{k}.json"))
    conformance("merge", *parts, "-o", str(out / "merged.json"))
    full, merged = (json.loads((out / n).read_text()) for n in ("whole.json", "merged.json"))
    found = differences(comparable(full), comparable(merged))
    print(f"{len(full['results'])} results; merged record differs at {len(found)} path(s)")
    for line in found[:40]:
        print("  " + line)
    print(f"records in {out}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
