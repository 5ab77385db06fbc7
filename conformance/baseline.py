"""Baselines: where recorded runs of one engine are written and how they join a run.

``conformance record --engine tensorflow`` writes every case's outcome on
TensorFlow, with versions, to ``reports/baselines/tensorflow-<version>.json``
(a run record, see `conformance.report.record`). ``conformance run --against
FILE`` replays it as an engine (`engines.replay.RecordedEngine`, re-exported
here), so an alternative engine can be compared with TensorFlow on a machine
where TensorFlow is not installed.
"""

from __future__ import annotations

from pathlib import Path

from .engines.replay import PREFIX, BaselineEngine, RecordedEngine
from .errors import UsageError

BASELINE_DIR = Path("reports/baselines")


def baseline_path(record: dict, directory: Path = BASELINE_DIR) -> Path:
    """Where the baseline of `record`'s single engine goes: ``<dir>/<engine>-<version>.json``."""
    (engine,) = record["metadata"]["engines"]
    return Path(directory) / f"{_file_safe(engine['name'])}-{_file_safe(engine['version'])}.json"


def _file_safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in str(text))


AGAINST_DEFAULT_ENGINES = ("reference",)


def with_baselines(against: list[Path] | None, engines: list) -> list:
    """The engine list of a run ``--against`` baselines: the baselines first (the
    first one is the reference point for divergences), then the engines that run."""
    return [RecordedEngine(path) for path in against or ()] + list(engines)


def write_baseline(record: dict, output: Path | None, directory: Path) -> Path:
    """Write `record` as a baseline at `output` (default: `baseline_path` in `directory`)."""
    from .report.record import write_json
    if len(record["metadata"]["engines"]) != 1:
        raise UsageError("a baseline records exactly one engine; give one --engine")
    path = Path(output) if output else baseline_path(record, directory)
    write_json(record, path)
    return path


__all__ = ["BASELINE_DIR", "PREFIX", "AGAINST_DEFAULT_ENGINES", "RecordedEngine", "BaselineEngine",
           "baseline_path", "with_baselines", "write_baseline"]
