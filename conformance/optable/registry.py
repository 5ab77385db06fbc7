"""Look up op-table entries by id: ``<family>/<api>`` and ``<family>/<api>/<sample>/<dtype>``."""

from __future__ import annotations

from functools import lru_cache

from ..errors import UsageError
from .table import OpEntry, Sample


@lru_cache(maxsize=1)
def entries() -> dict[str, OpEntry]:
    """Every entry of every family module, by id (built once per process)."""
    from .families import all_entries

    found: dict[str, OpEntry] = {}
    for entry in all_entries():
        if entry.id in found:
            raise UsageError(f"op table: two entries with id {entry.id!r}")
        found[entry.id] = entry
    return found


def lookup(group_id: str) -> tuple[OpEntry, Sample, str]:
    """``unary/math.sin/typical/float32`` → (entry, sample, dtype)."""
    family, api, sample_name, dtype = group_id.split("/")
    entry = entries()[f"{family}/{api}"]
    for sample in entry.samples:
        if sample.name == sample_name:
            return entry, sample, dtype
    raise KeyError(f"{group_id}: no sample {sample_name!r}")
