"""A recorded run of one engine (a baseline file), replayed as an engine of its own.

``conformance run --against FILE`` loads a baseline (``conformance record``)
as a `RecordedEngine`. It runs no program: the runner asks it for the
`recorded_outcome` of each case and judges that outcome against the case's
*current* expectation (`trial.run_case`), so editing an expectation takes
effect without re-recording, and an alternative engine can be compared with
TensorFlow on a machine where TensorFlow is not installed. A case the
baseline does not know, or whose program changed since it was recorded, is
``skipped`` on it with a reason that says to re-record it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..case import Case
from ..errors import EngineUnavailable, UsageError
from ..report.record import read_record
from ..result import Result
from .base import Engine

PREFIX = "baseline:"


class RecordedEngine(Engine):
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
            raise EngineUnavailable(
                self.name,
                f"{self.path} records {len(engines)} engines; a baseline records exactly one",
            )
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
        return {
            "name": self.name,
            "version": self.version,
            "tf_version": self.tf_version,
            "module": self._engine.get("module"),
            "baseline": {
                "path": str(self.path),
                "engine": self._engine.get("name"),
                "started": metadata.get("started"),
                "platform": metadata.get("platform"),
                "python": metadata.get("python"),
            },
        }

    def recorded_outcome(self, case: Case, context: str) -> Result:
        stored = self._results.get((case.id, context))
        result = Result(case.id, self.name, context, "skipped")
        if stored is None:
            result.error = (
                f"the baseline {self.path.name} has no result for this case "
                f"({context}); re-record the baseline"
            )
            return result
        recorded_case = self._record["cases"].get(case.id, {}) if self._record else {}
        if recorded_case.get("program") != case.program:
            result.error = (
                f"the case's program changed since {self.path.name} was "
                "recorded; re-record the baseline"
            )
            return result
        return self._replay(stored, result)

    def _replay(self, stored: dict, result: Result) -> Result:
        result.seconds = stored.get("seconds", 0.0)
        if stored["status"] not in ("passed", "failed") or not stored.get("outcome"):
            result.status = stored["status"]
            result.error = stored.get("error") or (
                "the baseline did not run this case" if stored["status"] == "skipped" else None
            )
            result.unsupported_api = stored.get("unsupported_api")
            return result
        result.outcome = stored["outcome"]  # the runner judges it (`trial.run_case`)
        return result


BaselineEngine = RecordedEngine  # the former name
