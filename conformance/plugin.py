"""The pytest plugin: case files collected as tests, one item per case × engine.

Registered through the ``pytest11`` entry point. It collects only YAML files
under the directories it is pointed at: the ini option ``conformance_cases``,
the command-line option ``--conformance-cases DIR``, and the built-in cases
(``pytest --pyargs conformance.builtin_cases``). Other YAML in a project is
never touched.

Every option is namespaced, so the plugin fits next to a project's own
(``--engine`` in a project's conftest is the project's): engines come from
``--conformance-engine NAME`` (repeatable), else the environment variable
``CONFORMANCE_ENGINES`` (comma- or space-separated), else the ini option
``conformance_engines``, else the defaults; the xfails file likewise from
``--conformance-xfails``, ``CONFORMANCE_XFAILS`` or ``conformance_xfails``.

Item ids look like ``cases/persistence.yaml::second-gradient-call-raises[reference]``
(``[reference-function]`` for the tf.function context, ``[reference-xla]`` for
the XLA one); a case's tags are markers (``-m watch``). A failed item shows
expectation and observation field by field, under a header naming case,
engine and context. An item of any other engine also fails when its outcome
diverges from the reference point's (the first engine); the terminal summary
lists the divergences. When no case was collected, the summary says where
cases come from.

Each case runs in a worker process of `isolation.WorkerPool` (one pool per
pytest process, so also per xdist worker with ``-n``): a case that hangs or
crashes its engine fails as ``timeout``/``crashed`` and the session goes on
(``--conformance-timeout``, ``--conformance-memory-limit``;
``--conformance-in-process`` runs engines in the pytest process instead).

``--conformance-xfails FILE`` applies an xfails file (the same YAML as
``conformance run --xfails``): ``xfail`` entries become strict xfail markers
(an unexpected pass fails), ``skip`` entries skip markers, and the entries
that match no collected case are listed in one warning.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .case import Case
from .case_state.contract import CaseGuard, namespaces_of
from .compare import Mismatch, Tolerance, compare_outcomes
from .engines import DEFAULT_ENGINES, resolve_engine
from .engines.base import Engine
from .errors import CaseError, ConformanceError, EngineUnavailable, UsageError
from .isolation import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, Isolation, WorkerPool
from .loader import CASE_SUFFIXES, builtin_cases_dir, load_file, resolved
from .result import Result
from .trial import run_case
from .xfails import Xfails, load_xfails

_ENGINES_KEY = pytest.StashKey[dict]()
_RESULTS_KEY = pytest.StashKey[dict]()
_POOL_KEY = pytest.StashKey[list]()
_EXPECTATIONS_KEY = pytest.StashKey[Xfails]()


ENGINES_ENV, XFAILS_ENV = "CONFORMANCE_ENGINES", "CONFORMANCE_XFAILS"
_DIVERGENCE, _SUMMARY = "conformance_divergence", "conformance-summary"
NO_CASES_HINT = (
    "no conformance case was collected: point the plugin at case directories "
    "with the ini option 'conformance_cases' or '--conformance-cases DIR', or "
    "run the built-in cases with 'pytest --pyargs conformance.builtin_cases'"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "TensorFlow autodiff conformance cases")
    group.addoption(
        "--conformance-engine",
        action="append",
        dest="conformance_engines",
        metavar="NAME",
        help="engine to run the cases on (repeatable; the first is the reference "
        f"point for divergences; else ${ENGINES_ENV}, else the ini option "
        f"conformance_engines, else: {' '.join(DEFAULT_ENGINES)})",
    )
    group.addoption(
        "--conformance-cases",
        action="append",
        dest="conformance_cases",
        metavar="DIR",
        default=[],
        help="also collect case files under DIR",
    )
    group.addoption(
        "--conformance-timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"a case running longer fails as 'timeout' (default: {DEFAULT_TIMEOUT:g})",
    )
    group.addoption(
        "--conformance-memory-limit",
        type=int,
        default=DEFAULT_MEMORY_MB,
        metavar="MB",
        help="a case whose worker uses more resident memory fails "
        f"as 'crashed'; 0: no limit (default: {DEFAULT_MEMORY_MB})",
    )
    group.addoption(
        "--conformance-xfails",
        dest="conformance_xfails",
        metavar="FILE",
        help="known failures per engine (YAML, see docs/engines.md): xfail "
        "entries become strict xfails, skip entries skips (else "
        f"${XFAILS_ENV}, else the ini option conformance_xfails)",
    )
    group.addoption(
        "--conformance-in-process",
        action="store_true",
        help="run engines in the pytest process (no timeout, no crash isolation)",
    )
    parser.addini(
        "conformance_cases",
        type="paths",
        default=[],
        help="directories whose YAML files are conformance cases",
    )
    group.addoption(
        "--conformance-suite",
        dest="conformance_suite",
        metavar="SUITE",
        choices=("cases", "ops", "all"),
        default=None,
        help="'cases': the YAML behavior cases (default); 'ops': only the op-level "
        "gradient table (items ops::<family>/<api>/<sample>/<dtype>/<check>"
        "[engine]); 'all': both",
    )
    parser.addini(
        "conformance_suite",
        default="cases",
        help="default of --conformance-suite (cases, ops or all)",
    )
    parser.addini(
        "conformance_engines",
        type="linelist",
        default=[],
        help="engines to run the cases on, the first being the reference point",
    )
    parser.addini("conformance_xfails", default="", help="xfails file (known failures per engine)")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_ENGINES_KEY] = {}
    config.stash[_RESULTS_KEY] = {}
    config.stash[_POOL_KEY] = []
    config.stash[_EXPECTATIONS_KEY] = _expectations(config)
    config.pluginmanager.register(SessionSummary(config), _SUMMARY)
    config.addinivalue_line("markers", "conformance: a TensorFlow autodiff conformance case")


def _expectations(config: pytest.Config) -> Xfails:
    path = (
        config.getoption("conformance_xfails", None)
        or os.environ.get(XFAILS_ENV)
        or config.getini("conformance_xfails")
    )
    if not path:
        return Xfails()
    try:
        return load_xfails(Path(path))
    except UsageError as exc:
        raise pytest.UsageError(str(exc)) from None


def _suite(config: pytest.Config) -> str:
    return config.getoption("conformance_suite", None) or config.getini("conformance_suite")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Add the op table's items per ``--conformance-suite`` (before -k and -m select),
    then list the xfails entries that match no collected case in one warning."""
    suite = _suite(config)
    if suite == "ops":
        items[:] = [item for item in items if not isinstance(item, (CaseItem, BadCaseItem))]
    if suite in ("ops", "all"):
        items += list(OpTable.from_parent(session, name="ops").collect())
    _warn_stale(config, items)


def _warn_stale(config: pytest.Config, items: list[pytest.Item]) -> None:
    expectations = config.stash[_EXPECTATIONS_KEY]
    collected = {item.case.id for item in items if isinstance(item, CaseItem)}
    config.pluginmanager.get_plugin(_SUMMARY).collected = len(collected)
    stale = expectations.stale(collected)
    if stale:
        listed = "\n".join(
            f"  {expectations.path}:{entry.line}: {entry.engine} {entry.case!r}" for entry in stale
        )
        warnings.warn(
            pytest.PytestWarning(
                f"{len(stale)} xfails entr{'y' if len(stale) == 1 else 'ies'} match no "
                f"collected case (stale, or not selected):\n{listed}"
            ),
            stacklevel=1,
        )


class SessionSummary:
    """Registered per session: collects divergences from every item's report (also
    from xdist workers, where they travel in user_properties) and prints them, and
    says where cases come from when none was collected."""

    def __init__(self, config: pytest.Config) -> None:
        self.config, self.divergences = config, []
        self.collected: int | None = None  # None: collection ran elsewhere (xdist)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call":
            self.divergences += [
                text for name, text in report.user_properties if name == _DIVERGENCE
            ]

    def pytest_terminal_summary(self, terminalreporter: Any, exitstatus: int) -> None:
        if self.divergences:
            terminalreporter.section("conformance divergences")
            for text in self.divergences:
                terminalreporter.write_line(text)
        asked = bool(
            self.config.getoption("conformance_engines")
            or os.environ.get(ENGINES_ENV)
            or self.config.getoption("conformance_cases")
        )
        nothing = exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED or self.collected == 0
        if asked and nothing:
            terminalreporter.write_line(NO_CASES_HINT, yellow=True)


def pytest_unconfigure(config: pytest.Config) -> None:
    summary = config.pluginmanager.get_plugin(_SUMMARY)
    if summary is not None:
        config.pluginmanager.unregister(summary)
    for pool in config.stash.get(_POOL_KEY, []):
        pool.close()


def _pool(config: pytest.Config) -> WorkerPool | None:
    """The session's worker pool (None with ``--conformance-in-process``)."""
    if config.getoption("conformance_in_process"):
        return None
    pools = config.stash[_POOL_KEY]
    if not pools:
        limits = Isolation(
            timeout=config.getoption("conformance_timeout"),
            memory_mb=config.getoption("conformance_memory_limit") or None,
        )
        pools.append(WorkerPool(engine_names(config), limits))
    return pools[0]


def engine_names(config: pytest.Config) -> list[str]:
    """The engines: the option, else the environment variable, else the ini, else defaults."""
    from_env = [n for n in re.split(r"[,\s]+", os.environ.get(ENGINES_ENV, "")) if n]
    return (
        config.getoption("conformance_engines")
        or from_env
        or list(config.getini("conformance_engines"))
        or list(DEFAULT_ENGINES)
    )


def case_roots(config: pytest.Config) -> list[Path]:
    """Directories whose YAML files are collected as cases."""
    roots = [Path(p) for p in config.getini("conformance_cases")]
    roots += [Path(p).resolve() for p in config.getoption("conformance_cases")]
    return [r.resolve() for r in roots] + [builtin_cases_dir().resolve()]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix not in CASE_SUFFIXES:
        return None
    real = resolved(file_path)
    for root in case_roots(parent.config):
        if real.is_relative_to(root):
            return CaseFile.from_parent(parent, path=file_path, root=root)
    return None


class CaseFile(pytest.File):
    """One case file: yields an item per case × context × engine."""

    def __init__(self, *, root: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.root = root

    def collect(self) -> Iterator[pytest.Item]:
        cases, errors = load_file(self.path, self.root)
        for error in errors:
            yield BadCaseItem.from_parent(
                self, name=f"{error.case_id or 'file'}[load-error]", error=error
            )
        for case in cases:
            for tag in case.tags:
                self.config.addinivalue_line("markers", f"{tag}: conformance cases tagged {tag}")
            for context in case.contexts:
                for engine in engine_names(self.config):
                    suffix = engine if context == "eager" else f"{engine}-{context}"
                    item = CaseItem.from_parent(
                        self,
                        name=f"{case.local_id}[{suffix}]",
                        case=case,
                        engine_name=engine,
                        context=context,
                    )
                    for tag in ("conformance", *case.tags):
                        item.add_marker(tag)
                    _mark_expected(item, self.config.stash[_EXPECTATIONS_KEY])
                    yield item


def _mark_expected(item: CaseItem, expectations: Xfails) -> None:
    """An expectation-file entry becomes a strict xfail or a skip marker."""
    entry = expectations.entry_for(item.engine_name, item.case.id, item.context)
    if entry is None:
        return
    reason = f"expected by {expectations.path}:{entry.line}: {entry.reason}"
    if entry.status == "skip":
        item.add_marker(pytest.mark.skip(reason=reason))
    else:
        item.add_marker(pytest.mark.xfail(reason=reason, strict=True))


class OpTable(pytest.Collector):
    """The op-level gradient table: an item per op x sample x dtype x check x engine."""

    def collect(self) -> Iterator[pytest.Item]:
        from .optable.cases import op_cases

        engines, tags = engine_names(self.config), set()
        for case in op_cases():
            for tag in set(case.tags) - tags:
                tags.add(tag)
                self.config.addinivalue_line("markers", f"{tag}: op-table checks tagged {tag}")
            for engine in engines:
                item = CaseItem.from_parent(
                    self,
                    name=f"{case.local_id}[{engine}]",
                    case=case,
                    engine_name=engine,
                    context="eager",
                )
                for tag in ("conformance", *case.tags):
                    item.add_marker(tag)
                _mark_expected(item, self.config.stash[_EXPECTATIONS_KEY])
                yield item


class CaseFailure(Exception):
    """Raised by `CaseItem.runtest` with the mismatches to show."""

    def __init__(self, title: str, mismatches: list[Mismatch], labels: tuple[str, str]) -> None:
        super().__init__(title)
        self.title, self.mismatches, self.labels = title, mismatches, labels


class CaseItem(pytest.Item):
    """One case on one engine in one context."""

    def __init__(self, *, case: Case, engine_name: str, context: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case, self.engine_name, self.context = case, engine_name, context

    def runtest(self) -> None:
        result = self._result(self.engine_name)
        for leak in result.leaks:
            warnings.warn(
                pytest.PytestWarning(
                    f"{self.case.id} on {self.engine_name} left "
                    f"state behind: {leak} (its worker was replaced)"
                ),
                stacklevel=2,
            )
        if result.status == "skipped":
            pytest.skip(result.error or "not applicable")
        if result.status == "unsupported":
            pytest.skip(f"unsupported by {self.engine_name}: {result.unsupported_api}")
        where = f"{self.case.id} on {self.engine_name} ({self.context} context)"
        if result.status == "error":
            raise CaseFailure(
                f"{where}: harness error: {result.error}", [], ("expected", "observed")
            )
        if result.status in ("timeout", "crashed"):
            raise CaseFailure(
                f"{where}: {result.status}: {result.error}", [], ("expected", "observed")
            )
        divergence = self._divergence(result)
        if result.mismatches:
            raise CaseFailure(
                f"{where}: does not match the case", result.mismatches, ("expected", "observed")
            )
        if divergence:
            baseline, found = divergence
            raise CaseFailure(
                f"{where}: diverges from {baseline}", found, (baseline, self.engine_name)
            )

    def _divergence(self, result: Result) -> tuple[str, list[Mismatch]] | None:
        """The baseline and the differences from its outcome, noted on the report."""
        baseline = engine_names(self.config)[0]
        if baseline == self.engine_name or result.status not in ("passed", "failed"):
            return None
        base = self._result(baseline)
        if base.status not in ("passed", "failed"):
            return None
        found = compare_outcomes(
            base.outcome, result.outcome, Tolerance(self.case.rtol, self.case.atol)
        )
        if not found:
            return None
        repeats = {(m.path, m.field) for m in found} <= {
            (m.path, m.field) for m in result.mismatches
        }
        first = found[0]
        self.user_properties.append(
            (
                _DIVERGENCE,
                (
                    f"{self.case.id} [{self.engine_name}; {self.context}] vs {baseline}: "
                    f"{first.where} {first.field}: {first.expected} vs {first.observed}"
                    + (f" (+{len(found) - 1} more)" if len(found) > 1 else "")
                    + (" — the same as its failure" if repeats else "")
                ),
            )
        )
        return baseline, found

    def _result(self, engine_name: str) -> Result:
        cache = self.config.stash[_RESULTS_KEY]
        key = (self.case.id, self.context, engine_name)
        if key not in cache:
            pool = _pool(self.config)
            cache[key] = (
                pool.run_one(self.case, engine_name, self.context)
                if pool
                else _run_in_process(self.config, self.case, engine_name, self.context)
            )
        return cache[key]

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style=None) -> Any:
        if isinstance(excinfo.value, CaseFailure):
            return format_failure(self.case, excinfo.value)
        if isinstance(excinfo.value, ConformanceError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.case.line - 1, f"case {self.case.id} on {self.engine_name}"


class BadCaseItem(pytest.Item):
    """Stands for a malformed case (or file): fails with the located message."""

    def __init__(self, *, error: CaseError, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        raise self.error

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style=None) -> str:
        return f"case file error: {excinfo.value}"

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, (self.error.line or 1) - 1, "case file error"


def _engine(config: pytest.Config, name: str) -> Engine:
    engines = config.stash[_ENGINES_KEY]
    if name not in engines:
        try:
            engine = resolve_engine(name)
            engine.load()
            engines[name] = engine
        except ConformanceError as exc:
            engines[name] = exc
    found = engines[name]
    if isinstance(found, Exception):
        raise found if isinstance(found, EngineUnavailable) else EngineUnavailable(name, str(found))
    return found


def _run_in_process(config: pytest.Config, case: Case, name: str, context: str) -> Result:
    """Run in the pytest process, undoing what the case changed (the snapshot is
    taken right before it: pytest's own logging handlers change between tests)."""
    engine = _engine(config, name)
    guard = CaseGuard(namespaces_of([engine]), own_process=False)
    result = run_case(case, engine, context)
    result.leaks = guard.after_case()
    return result


def format_failure(case: Case, failure: CaseFailure) -> str:
    """A field-by-field table of what was expected and what was observed."""
    left, right = failure.labels
    lines = [
        failure.title,
        f"  case: {case.path}:{case.line}  ({case.title})",
        f"  source: {case.source}",
    ]
    for m in failure.mismatches:
        lines.append(f"  - {m.where}: {m.field}")
        lines.append(f"      {left:>9}: {m.expected}")
        lines.append(f"      {right:>9}: {m.observed}")
        if m.detail:
            lines.append(f"      {'':>9}  {m.detail}")
    return "\n".join(lines)
