"""The JSON record of a run: the one place results are kept.

Layout (schema ``conformance/schema/run.schema.json``, version `SCHEMA_VERSION`):
``metadata`` (engines and versions, Python, platform, start time, duration),
``summary`` (per engine: count per status), ``load_errors``, ``engine_errors``,
``cases`` (per case id: title, source, quote, tags, file, line, program,
expectation as written), ``results`` (one per case × engine × context) and
``divergences``. All numbers are strict JSON (NaN is written as ``"nan"``).
"""

from __future__ import annotations

import json
import platform
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

from .. import __version__
from ..case import Case
from ..errors import CaseError, UsageError
from ..runner import STATUSES, RunOutcome

SCHEMA_ID = "tf-autodiff-conformance/run"
SCHEMA_VERSION = 1
CASE_FIELDS = ("title", "doc", "source", "quote", "basis", "observed_with", "tags",
               "program", "path", "line", "contexts", "versions")


def build_record(run: RunOutcome, cases: Sequence[Case], load_errors: Sequence[CaseError],
                 started: datetime | None = None) -> dict:
    """Assemble the JSON-ready record of a finished run."""
    return {
        "schema": SCHEMA_ID, "schema_version": SCHEMA_VERSION,
        "metadata": _metadata(run, started),
        "summary": summarize(run),
        "load_errors": [e.to_json() for e in load_errors],
        "engine_errors": [{"engine": e.engine, "message": e.reason} for e in run.engine_errors],
        "cases": {case.id: _case_entry(case) for case in cases},
        "results": [r.to_json() for r in run.results],
        "divergences": [d.to_json() for d in run.divergences],
    }


def _metadata(run: RunOutcome, started: datetime | None) -> dict:
    return {"suite_version": __version__,
            "engines": [e.describe() for e in run.engines],
            "python": sys.version.split()[0], "platform": platform.platform(),
            "started": (started or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
            "duration_seconds": round(run.seconds, 3)}


def _case_entry(case: Case) -> dict:
    entry = {name: getattr(case, name) for name in CASE_FIELDS}
    entry["tags"], entry["contexts"] = list(case.tags), list(case.contexts)
    entry["expect"] = {key: case.raw[key] for key in ("expect", "raises", "logs", "variants")
                       if key in case.raw}
    return entry


def summarize(run: RunOutcome) -> dict:
    """Per engine: how many results have each status; plus divergence count."""
    counts = {e.describe()["name"]: dict.fromkeys(STATUSES, 0) for e in run.engines}
    for result in run.results:
        counts.setdefault(result.engine, dict.fromkeys(STATUSES, 0))[result.status] += 1
    return {"engines": counts, "divergences": len(run.divergences),
            "results": len(run.results)}


def write_json(record: dict, path: Path) -> None:
    """Write the record (creating parent directories)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1, allow_nan=False, default=str) + "\n")


def read_record(path: Path) -> dict:
    """Read a record, refusing files that are not records of a known version."""
    try:
        record = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: not a readable JSON record ({exc})") from None
    if not isinstance(record, dict) or record.get("schema") != SCHEMA_ID:
        raise UsageError(f"{path}: not a conformance run record")
    if record.get("schema_version") != SCHEMA_VERSION:
        raise UsageError(f"{path}: record schema version {record.get('schema_version')!r} "
                         f"is not supported (this version reads {SCHEMA_VERSION})")
    return record
