"""The shipped TensorFlow baseline of the op table: what TF returned for every check.

One gzipped JSON file per TensorFlow version (``baselines/tensorflow-<v>.json.gz``):
``{"tf_version", "recorded", "results": {case id: entry}, "forward": {group id:
⟨u, f(x)⟩}}`` where an entry is
``{"observed": observation, "lhs": ⟨u, J v⟩, "fd": FD value}`` or, for a
check TensorFlow itself cannot run (no kernel for the dtype, no second-order
gradient), ``{"raises": "LookupError: ..."}``. An engine is judged against it
without TensorFlow installed; `record` writes it.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path

BASELINE_DIR = Path(__file__).parent / "baselines"
DEFAULT_VERSION = "2.21.0"


def baseline_path(version: str = DEFAULT_VERSION) -> Path:
    return BASELINE_DIR / f"tensorflow-{version}.json.gz"


@lru_cache(maxsize=4)
def _load(version: str) -> dict:
    path = baseline_path(version)
    if not path.exists():
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def load_baseline(version: str = DEFAULT_VERSION) -> dict:
    """The recorded results by case id ({} when there is no baseline yet)."""
    return _load(version).get("results", {})


def load_forward(version: str = DEFAULT_VERSION) -> dict:
    """⟨u, f(x)⟩ TF computed per op × sample × dtype (group id → number)."""
    return _load(version).get("forward", {})


def write_baseline(results: dict, version: str, recorded: str, forward: dict | None = None) -> Path:
    path = baseline_path(version)
    path.parent.mkdir(parents=True, exist_ok=True)
    forward = forward if forward is not None else load_forward(version)
    body = {"tf_version": version, "recorded": recorded, "results": results, "forward": forward}
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as handle:
        json.dump(body, handle, separators=(",", ":"), sort_keys=True)
    _load.cache_clear()
    return path
