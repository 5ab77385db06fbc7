"""The pytest plugin: case files collected as tests, one item per case × engine.

Registered through the ``pytest11`` entry point. It collects only YAML files
under the directories it is pointed at: the ini option ``conformance_cases``,
the command-line option ``--conformance-cases DIR``, and the built-in cases
(``pytest --pyargs conformance.builtin_cases``). Other YAML in a project is
never touched.

Item ids look like ``cases/persistence.yaml::second-gradient-call-raises[reference]``
(``[reference-function]`` for the tf.function context, ``[reference-xla]`` for
the XLA one); a case's tags are markers (``-m watch``). A failed item shows expectation and observation field
by field. An item of any other engine also fails when its outcome
diverges from the reference point's (the first ``--engine``).

Each case runs in a worker process of `isolation.WorkerPool` (one pool per
pytest process, so also per xdist worker with ``-n``): a case that hangs or
crashes its engine fails as ``timeout``/``crashed`` and the session goes on
(``--conformance-timeout``, ``--conformance-memory-limit``;
``--conformance-in-process`` runs engines in the pytest process instead).

``--xfails FILE`` (or its older name ``--expectations``) applies an xfails
file (the same YAML as ``conformance run --xfails``): ``xfail`` entries become strict xfail
markers (an unexpected pass fails), ``skip`` entries skip markers, and
entries that match no collected case are reported as warnings.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .case import Case
from .compare import Mismatch, Tolerance, compare_outcomes
from .engines import DEFAULT_ENGINES, resolve_engine
from .engines.base import Engine
from .errors import CaseError, ConformanceError, EngineUnavailable, UsageError
from .isolation import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, Isolation, WorkerPool
from .loader import CASE_SUFFIXES, builtin_cases_dir, load_file
from .result import Result
from .trial import run_case
from .xfails import Xfails, load_xfails

_ENGINES_KEY = pytest.StashKey[dict]()
_RESULTS_KEY = pytest.StashKey[dict]()
_POOL_KEY = pytest.StashKey[list]()
_EXPECTATIONS_KEY = pytest.StashKey[Xfails]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "TensorFlow autodiff conformance cases")
    group.addoption("--engine", action="append", dest="conformance_engines", metavar="NAME",
                    help="engine to run the cases on (repeatable; the first is the reference point "
                         f"for divergences; default: {' '.join(DEFAULT_ENGINES)})")
    group.addoption("--conformance-cases", action="append", dest="conformance_cases",
                    metavar="DIR", default=[], help="also collect case files under DIR")
    group.addoption("--conformance-timeout", type=float, default=DEFAULT_TIMEOUT,
                    metavar="SECONDS", help="a case running longer fails as 'timeout' "
                    f"(default: {DEFAULT_TIMEOUT:g})")
    group.addoption("--conformance-memory-limit", type=int, default=DEFAULT_MEMORY_MB,
                    metavar="MB", help="a case whose worker uses more resident memory fails "
                    f"as 'crashed'; 0: no limit (default: {DEFAULT_MEMORY_MB})")
    group.addoption("--xfails", "--expectations", dest="conformance_expectations",
                    metavar="FILE",
                    help="known failures per engine (YAML, see docs/engines.md): xfail "
                         "entries become strict xfails, skip entries skips; entries that "
                         "match no collected case are reported as warnings")
    group.addoption("--conformance-in-process", action="store_true",
                    help="run engines in the pytest process (no timeout, no crash isolation)")
    parser.addini("conformance_cases", type="paths", default=[],
                  help="directories whose YAML files are conformance cases")
    group.addoption("--conformance-suite", dest="conformance_suite", metavar="SUITE",
                    choices=("cases", "ops", "all"), default=None,
                    help="'cases': the YAML behavior cases (default); 'ops': only the op-level "
                         "gradient table (items ops::<family>/<api>/<sample>/<dtype>/<check>"
                         "[engine]); 'all': both")
    parser.addini("conformance_suite", default="cases",
                  help="default of --conformance-suite (cases, ops or all)")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_ENGINES_KEY] = {}
    config.stash[_RESULTS_KEY] = {}
    config.stash[_POOL_KEY] = []
    config.stash[_EXPECTATIONS_KEY] = _expectations(config)
    config.addinivalue_line("markers", "conformance: a TensorFlow autodiff conformance case")


def _expectations(config: pytest.Config) -> Xfails:
    path = config.getoption("conformance_expectations", None)
    if not path:
        return Xfails()
    try:
        return load_xfails(Path(path))
    except UsageError as exc:
        raise pytest.UsageError(str(exc)) from None


def _suite(config: pytest.Config) -> str:
    return config.getoption("conformance_suite", None) or config.getini("conformance_suite")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config,
                                  items: list[pytest.Item]) -> None:
    """Add the op table's items per ``--conformance-suite`` (before -k and -m select),
    then warn about expectation entries that match no collected case."""
    suite = _suite(config)
    if suite == "ops":
        items[:] = [item for item in items if not isinstance(item, (CaseItem, BadCaseItem))]
    if suite in ("ops", "all"):
        items += list(OpTable.from_parent(session, name="ops").collect())
    _warn_stale(config, items)


def _warn_stale(config: pytest.Config, items: list[pytest.Item]) -> None:
    expectations = config.stash[_EXPECTATIONS_KEY]
    collected = {item.case.id for item in items if isinstance(item, CaseItem)}
    for entry in expectations.stale(collected):
        warnings.warn(pytest.PytestWarning(
            f"{expectations.path}:{entry.line}: expectation for {entry.engine} "
            f"{entry.case!r} matches no collected case (stale?)"), stacklevel=1)


def pytest_unconfigure(config: pytest.Config) -> None:
    for pool in config.stash.get(_POOL_KEY, []):
        pool.close()


def _pool(config: pytest.Config) -> WorkerPool | None:
    """The session's worker pool (None with ``--conformance-in-process``)."""
    if config.getoption("conformance_in_process"):
        return None
    pools = config.stash[_POOL_KEY]
    if not pools:
        limits = Isolation(timeout=config.getoption("conformance_timeout"),
                           memory_mb=config.getoption("conformance_memory_limit") or None)
        pools.append(WorkerPool(engine_names(config), limits))
    return pools[0]


def engine_names(config: pytest.Config) -> list[str]:
    return config.getoption("conformance_engines") or list(DEFAULT_ENGINES)


def case_roots(config: pytest.Config) -> list[Path]:
    """Directories whose YAML files are collected as cases."""
    roots = [Path(p) for p in config.getini("conformance_cases")]
    roots += [Path(p).resolve() for p in config.getoption("conformance_cases")]
    return [r.resolve() for r in roots] + [builtin_cases_dir().resolve()]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix not in CASE_SUFFIXES:
        return None
    resolved = file_path.resolve()
    for root in case_roots(parent.config):
        if resolved.is_relative_to(root):
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
            yield BadCaseItem.from_parent(self, name=f"{error.case_id or 'file'}[load-error]",
                                          error=error)
        for case in cases:
            for tag in case.tags:
                self.config.addinivalue_line("markers", f"{tag}: conformance cases tagged {tag}")
            for context in case.contexts:
                for engine in engine_names(self.config):
                    suffix = engine if context == "eager" else f"{engine}-{context}"
                    item = CaseItem.from_parent(self, name=f"{case.local_id}[{suffix}]",
                                                case=case, engine_name=engine, context=context)
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
                item = CaseItem.from_parent(self, name=f"{case.local_id}[{engine}]", case=case,
                                            engine_name=engine, context="eager")
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
        if result.status == "skipped":
            pytest.skip(result.error or "not applicable")
        if result.status == "unsupported":
            pytest.skip(f"unsupported by {self.engine_name}: {result.unsupported_api}")
        if result.status == "error":
            raise CaseFailure(f"harness error: {result.error}", [], ("expected", "observed"))
        if result.status in ("timeout", "crashed"):
            raise CaseFailure(f"{result.status}: {result.error}", [], ("expected", "observed"))
        if result.mismatches:
            raise CaseFailure(f"{self.case.id} on {self.engine_name}: does not match the case",
                              result.mismatches, ("expected", "observed"))
        self._check_divergence(result)

    def _check_divergence(self, result: Result) -> None:
        baseline = engine_names(self.config)[0]
        if baseline == self.engine_name:
            return
        base = self._result(baseline)
        if base.status not in ("passed", "failed"):
            return
        found = compare_outcomes(base.outcome, result.outcome,
                                 Tolerance(self.case.rtol, self.case.atol))
        if found:
            raise CaseFailure(f"{self.case.id}: {self.engine_name} diverges from {baseline}",
                              found, (baseline, self.engine_name))

    def _result(self, engine_name: str) -> Result:
        cache = self.config.stash[_RESULTS_KEY]
        key = (self.case.id, self.context, engine_name)
        if key not in cache:
            pool = _pool(self.config)
            cache[key] = (pool.run_one(self.case, engine_name, self.context) if pool else
                          run_case(self.case, _engine(self.config, engine_name), self.context))
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


def format_failure(case: Case, failure: CaseFailure) -> str:
    """A field-by-field table of what was expected and what was observed."""
    left, right = failure.labels
    lines = [failure.title, f"  case: {case.path}:{case.line}  ({case.title})",
             f"  source: {case.source}"]
    for m in failure.mismatches:
        lines.append(f"  - {m.where}: {m.field}")
        lines.append(f"      {left:>9}: {m.expected}")
        lines.append(f"      {right:>9}: {m.observed}")
        if m.detail:
            lines.append(f"      {'':>9}  {m.detail}")
    return "\n".join(lines)
