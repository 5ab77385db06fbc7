"""Baselines: where recorded runs of one engine are written and how they join a run.

``conformance record --engine tensorflow`` writes every case's outcome on
TensorFlow, with versions, to ``reports/baselines/tensorflow-<version>.json``
(a run record, see `conformance.report.record`). The recorded TensorFlow
releases ship with the package (``conformance/baselines/``) and are named by
their file stem: ``conformance run --against tensorflow-2.21.0`` (or
``--against FILE``) replays one as an engine (`engines.replay.RecordedEngine`,
re-exported here), so an alternative engine can be compared with TensorFlow
on a machine where TensorFlow is not installed.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .engines.replay import PREFIX, BaselineEngine, RecordedEngine
from .errors import UsageError

BASELINE_DIR = Path("reports/baselines")


def shipped_baselines() -> dict[str, Path]:
    """The baselines installed with the package, by name (``tensorflow-2.21.0``)."""
    folder = resources.files("conformance").joinpath("baselines")
    if not folder.is_dir():
        return {}
    found = {
        Path(item.name).stem: Path(str(item))
        for item in folder.iterdir()
        if item.name.endswith(".json")
    }
    return dict(sorted(found.items()))


def resolve_baseline(spec: str | Path) -> Path:
    """The baseline file `spec` names: an existing path, or a shipped baseline's name.

    Raises:
        UsageError: neither; the message lists the shipped names.
    """
    path = Path(spec)
    if path.is_file():
        return path
    shipped = shipped_baselines()
    name = str(spec).removesuffix(".json")
    if name in shipped:
        return shipped[name]
    names = ", ".join(shipped) or "none"
    raise UsageError(f"--against {spec}: no such file, nor a shipped baseline (shipped: {names})")


def baseline_path(record: dict, directory: Path = BASELINE_DIR) -> Path:
    """Where the baseline of `record`'s single engine goes: ``<dir>/<engine>-<version>.json``."""
    (engine,) = record["metadata"]["engines"]
    return Path(directory) / f"{_file_safe(engine['name'])}-{_file_safe(engine['version'])}.json"


def _file_safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in str(text))


AGAINST_DEFAULT_ENGINES = ("reference",)


def with_baselines(against: list[Path] | None, engines: list) -> list:
    """The engine list of a run ``--against`` baselines: the baselines first (the
    first one is the reference point for divergences), then the engines that run;
    a baseline is a file or a shipped baseline's name (`resolve_baseline`)."""
    return [RecordedEngine(resolve_baseline(path)) for path in against or ()] + list(engines)


def write_baseline(record: dict, output: Path | None, directory: Path) -> Path:
    """Write `record` as a baseline at `output` (default: `baseline_path` in `directory`)."""
    from .report.record import write_json

    if len(record["metadata"]["engines"]) != 1:
        raise UsageError("a baseline records exactly one engine; give one --engine")
    path = Path(output) if output else baseline_path(record, directory)
    write_json(record, path)
    return path


__all__ = [
    "BASELINE_DIR",
    "PREFIX",
    "AGAINST_DEFAULT_ENGINES",
    "RecordedEngine",
    "BaselineEngine",
    "baseline_path",
    "with_baselines",
    "write_baseline",
]
