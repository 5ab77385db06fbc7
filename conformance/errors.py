"""Typed errors of the suite: every problem with user input names where it is.

`CaseError` is what the loader and the expectation grammar raise for a bad
case file; its text is ``path:line: [case-id] message`` so that a person can
jump straight to the spot. `EngineUnavailable` is raised when an engine cannot
be imported or initialized; `UsageError` when the command line or a file
given on it asks for something impossible; `NothingRan` when no case ran. None
is ever shown with a traceback: the CLI maps each to its exit status.
"""

from __future__ import annotations


class ConformanceError(Exception):
    """Base class of the suite's own errors."""


class CaseError(ConformanceError):
    """A case file (or one case in it) is malformed.

    Args:
        message: what is wrong, in one sentence.
        path: the file.
        line: 1-based line in the file, when known.
        case_id: the case's ``id``, when known.
    """

    def __init__(
        self, message: str, *, path: str = "", line: int | None = None, case_id: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.case_id = case_id

    def located(
        self, *, path: str | None = None, line: int | None = None, case_id: str | None = None
    ) -> CaseError:
        """Return a copy with the missing location parts filled in."""
        return CaseError(
            self.message,
            path=self.path or (path or ""),
            line=self.line if self.line is not None else line,
            case_id=self.case_id or case_id,
        )

    def __str__(self) -> str:
        where = self.path or "<case file>"
        if self.line is not None:
            where += f":{self.line}"
        who = f" [{self.case_id}]" if self.case_id else ""
        return f"{where}:{who} {self.message}"

    def to_json(self) -> dict:
        return {"path": self.path, "line": self.line, "case": self.case_id, "message": self.message}


class SpecError(ConformanceError):
    """An expectation does not follow the grammar (see docs/case-format.md).

    `path` is the position inside the expectation, e.g. ``['grads', 1]``, so
    the loader can turn it into a file line.
    """

    def __init__(self, message: str, path: tuple = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


class EngineUnavailable(ConformanceError):
    """An engine could not be imported or initialized."""

    def __init__(self, engine: str, reason: str) -> None:
        super().__init__(f"engine {engine!r} is unavailable: {reason}")
        self.engine = engine
        self.reason = reason


class NothingRan(ConformanceError):
    """No case ran (none selected, or no engine could run them), so nothing was shown;
    never a success."""


class UsageError(ConformanceError):
    """The command line or configuration asks for something impossible."""
