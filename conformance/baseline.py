"""Baselines: a recorded run of one engine, replayed as an engine of its own.

``conformance record --engine tensorflow`` writes every case's outcome on
TensorFlow, with versions, to ``reports/baselines/tensorflow-<version>.json``
(a run record, see `conformance.report.record`). The recorded TensorFlow
releases ship with the package (``conformance/baselines/``) and are named by
their file stem: ``conformance run --against tensorflow-2.21.0`` (or
``--against FILE``) loads one as a `BaselineEngine`: the runner asks it for a
`recorded_result` instead of executing the case, so an alternative engine can
be compared with TensorFlow on a machine where TensorFlow is not installed.

A stored outcome is re-judged against the *current* expectation of the case,
so editing a case's expectation takes effect without re-recording. A case the
baseline does not know, or whose program changed since it was recorded, is
``skipped`` on the baseline with a reason that says to re-record it.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from .case import Case
from .engines.base import Engine
from .errors import EngineUnavailable, UsageError
from .report.record import read_record
from .runner import Result, judge

BASELINE_DIR = Path("reports/baselines")
PREFIX = "baseline:"


def shipped_baselines() -> dict[str, Path]:
    """The baselines installed with the package, by name (``tensorflow-2.21.0``)."""
    folder = resources.files("conformance").joinpath("baselines")
    if not folder.is_dir():
        return {}
    found = {Path(item.name).stem: Path(str(item)) for item in folder.iterdir()
             if item.name.endswith(".json")}
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
    raise UsageError(f"--against {spec}: no such file, nor a shipped baseline "
                     f"(shipped: {names})")


def baseline_path(record: dict, directory: Path = BASELINE_DIR) -> Path:
    """Where the baseline of `record`'s single engine goes: ``<dir>/<engine>-<version>.json``."""
    (engine,) = record["metadata"]["engines"]
    return Path(directory) / f"{_file_safe(engine['name'])}-{_file_safe(engine['version'])}.json"


def _file_safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in str(text))


class BaselineEngine(Engine):
    """A recorded run of one engine, standing in for that engine.

    Args:
        path: the baseline file (a record of exactly one engine).
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.name = f"{PREFIX}{self.path.stem}"
        self._record: dict | None = None
        self._engine: dict = {}
        self._results: dict[tuple[str, str], dict] = {}

    def load(self) -> None:
        try:
            record = read_record(self.path)
        except UsageError as exc:
            raise EngineUnavailable(self.name, str(exc)) from None
        engines = record["metadata"]["engines"]
        if len(engines) != 1:
            raise EngineUnavailable(self.name, f"{self.path} records {len(engines)} engines; "
                                    "a baseline records exactly one")
        self._record, self._engine = record, engines[0]
        self.name = f"{PREFIX}{engines[0]['name']}-{engines[0]['version']}"
        self._results = {(r["case"], r["context"]): r for r in record["results"]}

    @property
    def namespace(self) -> Any:
        raise EngineUnavailable(self.name, "a recorded baseline cannot run programs")

    @property
    def version(self) -> str:
        return str(self._engine.get("version", "unknown"))

    @property
    def tf_version(self) -> str | None:
        return self._engine.get("tf_version")

    def describe(self) -> dict:
        metadata = (self._record or {}).get("metadata", {})
        return {"name": self.name, "version": self.version, "tf_version": self.tf_version,
                "module": self._engine.get("module"),
                "baseline": {"path": str(self.path), "engine": self._engine.get("name"),
                             "started": metadata.get("started"),
                             "platform": metadata.get("platform"),
                             "python": metadata.get("python")}}

    def recorded_result(self, case: Case, context: str) -> Result:
        stored = self._results.get((case.id, context))
        result = Result(case.id, self.name, context, "skipped")
        if stored is None:
            result.error = (f"the baseline {self.path.name} has no result for this case "
                            f"({context}); re-record the baseline")
            return result
        recorded_case = self._record["cases"].get(case.id, {}) if self._record else {}
        if recorded_case.get("program") != case.program:
            result.error = (f"the case's program changed since {self.path.name} was "
                            "recorded; re-record the baseline")
            return result
        return self._replay(case, stored, result)

    def _replay(self, case: Case, stored: dict, result: Result) -> Result:
        result.seconds = stored.get("seconds", 0.0)
        if stored["status"] not in ("passed", "failed") or not stored.get("outcome"):
            result.status = stored["status"]
            result.error = stored.get("error") or (
                "the baseline did not run this case" if stored["status"] == "skipped" else None)
            result.unsupported_api = stored.get("unsupported_api")
            return result
        result.outcome = stored["outcome"]
        return judge(case, self, result, None)


AGAINST_DEFAULT_ENGINES = ("reference",)


def with_baselines(against: list[Path] | None, engines: list) -> list:
    """The engine list of a run ``--against`` baselines: the baselines first (the
    first one is the divergence baseline), then the engines that run."""
    return [BaselineEngine(resolve_baseline(path)) for path in against or ()] + list(engines)


def record_exit_status(record: dict, load_errors: list, out: Any) -> int:
    """Exit status of ``conformance record``: a baseline records failures as data,
    so only a run where nothing ran (4) or with bad input (3) is not a success."""
    ran = [r for r in record["results"] if r["status"] not in ("skipped", "unsupported")]
    if not ran:
        print("conformance: error: no case ran, so there is nothing to record; "
              "no baseline was written", file=out)
        return 4
    if load_errors or record["engine_errors"]:
        return 3
    return 0


def write_baseline(record: dict, output: Path | None, directory: Path) -> Path:
    """Write `record` as a baseline at `output` (default: `baseline_path` in `directory`)."""
    from .report.record import write_json
    if len(record["metadata"]["engines"]) != 1:
        raise UsageError("a baseline records exactly one engine; give one --engine")
    path = Path(output) if output else baseline_path(record, directory)
    write_json(record, path)
    return path
