"""The JSON record of a run: the one place results are kept.

Layout (JSON Schema ``conformance/schema/run.schema.json``, whose
descriptions document each field; version `SCHEMA_VERSION`): ``metadata`` (engines
and versions, Python, platform, start time, duration), ``summary`` (per
engine: count per status), ``load_errors``, ``engine_errors``, ``cases`` (per
case id: title, source, quote, tags, file, line, program, expectation as
written), ``results`` (one per case × engine × context), ``divergences``,
``coverage`` (documented section → case ids), ``capabilities`` (per engine,
the APIs it lacks and the cases that cost), and, when used, ``xfails`` (what an
xfails file changed), ``sensitivity`` (`conformance sensitivity`), ``selection``
(the ordered ids and digest of the selected cases) and ``shard`` (``--shard K/N``).
`build_record` (and `add_sensitivity`, for a record already written) is the
one place these keys are made. All numbers are strict JSON:
NaN and infinities are written as the strings ``"nan"``, ``"inf"``, ``"-inf"``.

A baseline (``conformance record``) is a record of one engine.
"""

from __future__ import annotations

import json
import platform
import sys
from collections.abc import Sequence
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from .. import __version__
from ..case import Case
from ..encoding import dumps, json_safe, write_atomically
from ..engines.base import Engine
from ..errors import CaseError, UsageError
from ..result import STATUSES, RunOutcome, unsupported_apis

SCHEMA_ID = "tf-autodiff-conformance/run"
SCHEMA_VERSION = 1
CASE_FIELDS = (
    "title",
    "doc",
    "source",
    "quote",
    "basis",
    "observed_with",
    "tags",
    "program",
    "path",
    "line",
    "contexts",
    "versions",
    "rtol",
    "atol",
    "builds_on",
)


def build_record(
    run: RunOutcome,
    cases: Sequence[Case],
    load_errors: Sequence[CaseError],
    started: datetime | None = None,
    coverage: dict | None = None,
    *,
    xfails: dict | None = None,
    sensitivity: dict | None = None,
    selection: dict | None = None,
    shard: dict | None = None,
) -> dict:
    """Assemble the JSON-ready record of a finished run (every key of it).

    Args:
        run: what the runner produced.
        cases: the cases that were selected (their texts go in the record).
        load_errors: problems found while loading case files.
        started: when the run started (default: now).
        coverage: the doc-coverage table (`conformance.coverage.coverage_table`);
            computed from `cases` when None.
        xfails: what an xfails file changed (`xfails.Applied.to_json`), if one was used.
        sensitivity: the mutation data (`sensitivity.Sensitivity.to_json`), if measured.
        selection: the selection the cases were cut from (`shard.selection`).
        shard: the shard the run held (`shard.Shard.to_json`), if it was sharded.
    """
    if coverage is None:
        coverage = _coverage(cases)
    record = {
        "schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "metadata": _metadata(run, started),
        "summary": summarize(run),
        "load_errors": [e.to_json() for e in load_errors],
        "engine_errors": [{"engine": e.engine, "message": e.reason} for e in run.engine_errors],
        "cases": {case.id: _case_entry(case) for case in cases},
        "results": [r.to_json() for r in run.results],
        "divergences": [d.to_json() for d in run.divergences],
        "capabilities": unsupported_apis(run.results),
    }
    optional = {
        "coverage": coverage,
        "xfails": xfails,
        "sensitivity": sensitivity,
        "selection": selection,
        "shard": shard,
    }
    record.update({key: value for key, value in optional.items() if value is not None})
    return strict_json(record)


def _coverage(cases: Sequence[Case]) -> dict | None:
    from ..coverage import coverage_table

    try:
        return coverage_table(cases)
    except FileNotFoundError:  # an install without the sections file: no table
        return None


def _metadata(run: RunOutcome, started: datetime | None) -> dict:
    return {
        "suite_version": __version__,
        "engines": [describe_engine(e) for e in run.engines],
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "started": (started or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
        "duration_seconds": round(run.seconds, 3),
    }


def describe_engine(engine: Engine) -> dict:
    """The engine's own description plus the module bound as ``tf`` (for repro scripts)."""
    described = dict(engine.describe())
    if "module" not in described:
        try:
            described["module"] = getattr(engine.namespace, "__name__", None)
        except Exception:  # an engine without a module namespace has no repro import
            described["module"] = None
    return described


def _case_entry(case: Case) -> dict:
    entry = {name: getattr(case, name) for name in CASE_FIELDS}
    entry["tags"], entry["contexts"] = list(case.tags), list(case.contexts)
    entry["builds_on"] = list(case.builds_on)
    entry["names"] = list(case.observed_names)
    entry["expect"] = {
        key: case.raw[key] for key in ("expect", "raises", "logs", "variants") if key in case.raw
    }
    return entry


def summarize(run: RunOutcome) -> dict:
    """Per engine: how many results have each status; plus divergence count."""
    counts = {e.name: dict.fromkeys(STATUSES, 0) for e in run.engines}
    for result in run.results:
        counts.setdefault(result.engine, dict.fromkeys(STATUSES, 0))[result.status] += 1
    return {"engines": counts, "divergences": len(run.divergences), "results": len(run.results)}


def strict_json(value: Any) -> Any:
    """`value` as strict JSON data (`encoding.json_safe`: NaN/inf as strings,
    huge integers as text, tuples as lists)."""
    return json_safe(value)


def add_sensitivity(record: dict, sensitivity: dict) -> dict:
    """`record` (already written, e.g. read back from a file) with its ``sensitivity`` key."""
    return strict_json({**record, "sensitivity": sensitivity})


def write_json(record: dict, path: Path) -> None:
    """Write the record (creating parent directories; atomically)."""
    write_atomically(Path(path), dumps(record, indent=1) + "\n")


@lru_cache(maxsize=1)
def run_schema() -> dict:
    """The JSON Schema of a record."""
    text = resources.files("conformance").joinpath("schema/run.schema.json").read_text()
    return json.loads(text)


def validate_record(record: Any, where: str = "record") -> None:
    """Raise `UsageError` naming the first place where `record` breaks the schema."""
    if not isinstance(record, dict) or record.get("schema") != SCHEMA_ID:
        raise UsageError(f'{where}: not a conformance run record (no "schema": "{SCHEMA_ID}")')
    version = record.get("schema_version")
    if version != SCHEMA_VERSION:
        raise UsageError(
            f"{where}: record schema version {version!r} is not supported; "
            f"this conformance {__version__} reads version {SCHEMA_VERSION} "
            "(re-create the file with this version, or use the conformance "
            "release that wrote it)"
        )
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(run_schema()).iter_errors(record)
    )
    if error is not None:
        place = "/".join(map(str, error.absolute_path)) or "(top level)"
        raise UsageError(f"{where}: malformed record at {place}: {error.message[:300]}")


def read_record(path: Path) -> dict:
    """Read and validate a record, refusing files that are not records of a known version."""
    try:
        record = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: not a readable JSON record ({exc})") from None
    validate_record(record, str(path))
    return record
