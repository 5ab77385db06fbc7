"""The ``conformance`` command: run, record, diff, list, coverage, sensitivity, merge,
scoreboard.

Command-line concerns live here and only here: the flags, the frozen
`RunPlan` built from them (``--resume`` fills in the journal's selection), the
choice of executor (worker processes or ``--in-process``), and the exit
statuses. The modules below raise typed errors (`errors`) or return data;
`EXIT_FOR_ERROR` is the one map from an error to its status.

Exit status (for CI):

* 0: every case passed (or was skipped or unsupported) on every engine, and
  no two engines diverged;
* 1: some case failed or errored, or two engines diverged;
* 2: the command line is wrong (`UsageError`, any other `ConformanceError`);
* 3: some case file is malformed or some engine could not be loaded (the
  other cases and engines still ran and were reported), also when nothing
  could run because of that; ``merge`` refused its records
  (`merge.MergeRefused`: other suites, overlapping or missing shards);
* 4: no case ran at all (`NothingRan`), and nothing was malformed.

A ``run`` in which no case ran writes no report: the previous one is kept.

A case that times out or crashes its worker counts as a failure (1), and so
does an ``xfail`` case of an xfails file that passed (``xpassed``).
``conformance sensitivity`` exits 1 when some mutant engine is caught by no case.
``--fail-on`` narrows what makes 1 (see `EXIT_HELP`). ``record`` exits 0
whatever the cases' statuses; ``diff`` exits 1 when something changed.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TextIO

from . import __version__, browse, causes, run_guard
from . import baseline as baselines
from . import shard as shards
from . import xfails as xfail_files
from .case import Case
from .coverage import coverage_table, format_coverage
from .diff import diff_records, format_diff, ran_anything
from .encoding import terminal
from .engines import DEFAULT_ENGINES, resolve_engine
from .engines.base import Engine
from .errors import ConformanceError, EngineUnavailable, NothingRan, UsageError
from .fuzz.cli import add_fuzz
from .isolation import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, Isolation, WorkerPool
from .journal import Journal, JournalContents, default_journal_path, read_journal
from .junit import write_junit
from .loader import builtin_cases_dir, load_cases
from .merge import MergeRefused
from .report import build_record, read_record, render_diff_html, write_html, write_json, write_page
from .rerun import MaxFail, previous_failures, reorder
from .result import PROBLEMS, STATUSES, Result, RunOutcome, unsupported_apis
from .runner import Executor, InProcess, run_cases

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BAD_INPUT, EXIT_NOTHING_RAN = 0, 1, 2, 3, 4
# The one map from the suite's typed errors to exit statuses (first match wins).
EXIT_FOR_ERROR: tuple[tuple[type[ConformanceError], int], ...] = (
    (NothingRan, EXIT_NOTHING_RAN),
    (MergeRefused, EXIT_BAD_INPUT),
    (ConformanceError, EXIT_USAGE),
)
DEFAULT_JSON = Path("reports/conformance.json")
DEFAULT_HTML = Path("reports/conformance.html")
FAIL_ON = ("failed", "divergence", "never")
SUITES = ("cases", "ops", "all")
EXIT_HELP = (
    "exit status: 0 success; 1 a case failed, errored, timed out, crashed or "
    "xpassed, or two engines diverged (narrowed by --fail-on: 'failed' = only those "
    "results, 'divergence' = only divergences and error/timeout/crashed results, "
    "'never' = never 1); 2 usage error or unreadable record; 3 malformed case files "
    "or an engine that could not load (even if nothing else ran); 4 no case ran "
    "(never a success). A run in which no case ran keeps the previous report."
)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``conformance`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except ConformanceError as exc:
        print(terminal(f"conformance: error: {exc}"), file=sys.stderr)
        return exit_code_for(exc)
    except BrokenPipeError:  # `conformance list | head`: the reader has all it wants
        sys.stdout = None  # nothing more to flush at exit
        return EXIT_OK


def exit_code_for(error: ConformanceError) -> int:
    """The exit status of a command stopped by `error` (see `EXIT_FOR_ERROR`)."""
    return next(code for kind, code in EXIT_FOR_ERROR if isinstance(error, kind))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="conformance",
        description="Run TensorFlow autodiff conformance cases on AD engines and report "
        "where each engine differs from the documented behavior and from the "
        "other engines.",
        epilog="Exit status: 0 all passed; 1 failures, errors or divergences; 2 usage error; "
        "3 malformed case files or an engine that could not load; 4 no case ran.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_run(commands)
    _add_list(commands)
    _add_sensitivity(commands)
    _add_record(commands)
    _add_diff(commands)
    _add_coverage(commands)
    _add_drift(commands)
    _add_doc_check(commands)
    _add_merge(commands)
    _add_scoreboard(commands)
    add_fuzz(commands)
    return parser


def _add_selection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="case files or directories (default: the built-in cases)",
    )
    parser.add_argument(
        "-k",
        dest="keyword",
        metavar="EXPR",
        help="only cases whose id, title or tags match EXPR: words are "
        "substrings, combined with and/or/not and parentheses "
        "(e.g. -k 'watch and not error')",
    )
    parser.add_argument(
        "--suite",
        choices=SUITES,
        default="cases",
        help="'cases': the behavior cases (default); 'ops': the op-level "
        "gradient table (every differentiable API x sample x dtype x "
        "check, judged against TensorFlow, finite differences and the "
        "other modes); 'all': both",
    )


def _add_run(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser(
        "run",
        help="run cases on engines and write JSON and HTML reports",
        description="Run cases on engines; print a per-engine summary; "
        "write the JSON record and the HTML report.",
        epilog=EXIT_HELP,
    )
    _add_selection(run)
    run.add_argument(
        "--engine",
        action="append",
        metavar="NAME",
        help="engine to run, repeatable: a built-in name (tensorflow, reference), "
        "an entry point of group conformance.engines, or an import path "
        "pkg.module[:attr]; the first engine is the reference point for "
        "divergences "
        f"(default: {' '.join(DEFAULT_ENGINES)})",
    )
    run.add_argument(
        "--json",
        type=Path,
        default=DEFAULT_JSON,
        metavar="FILE",
        help=f"where to write the JSON record (default: {DEFAULT_JSON})",
    )
    run.add_argument(
        "--html",
        type=Path,
        default=DEFAULT_HTML,
        metavar="FILE",
        help=f"where to write the HTML report (default: {DEFAULT_HTML})",
    )
    run.add_argument("-q", "--quiet", action="store_true", help="print only the summary lines")
    run.add_argument(
        "--xfails",
        "--expectations",
        dest="xfails",
        type=Path,
        metavar="FILE",
        help="xfails file: YAML of known failures per engine (status xfail or "
        "skip, see docs/engines.md); an xfail case that passes fails the run "
        "(--expectations is an older name)",
    )
    run.add_argument(
        "--update-xfails",
        "--update-expectations",
        dest="update_xfails",
        type=Path,
        metavar="FILE",
        help="write the current failures into FILE as xfail entries (keeping "
        "its skip entries and the entries of engines or cases not run)",
    )
    run.add_argument(
        "--against",
        action="append",
        metavar="BASELINE",
        help="also compare with a recorded baseline as if it were an engine "
        "given first, so it is the reference point for divergences: a "
        "shipped one by name "
        f"({', '.join(baselines.shipped_baselines()) or 'none'}) or a file "
        "written by 'conformance record'; needs no TensorFlow "
        "(default engines then: "
        f"{' '.join(baselines.AGAINST_DEFAULT_ENGINES)})",
    )
    run.add_argument(
        "--junit",
        type=Path,
        metavar="FILE",
        help="also write JUnit XML (one testcase per case x engine x context)",
    )
    run.add_argument(
        "--fail-on",
        action="append",
        choices=FAIL_ON,
        help="what makes the exit status 1, repeatable (default: failed and "
        "divergence); see the exit status below",
    )
    run.add_argument(
        "--shard",
        type=_shard_arg,
        metavar="K/N",
        help="run only shard K of N (1-based): the cases whose id hashes to K, "
        "stable when cases are added; 'conformance merge' joins the "
        "shards' records into the record of the whole run",
    )
    _add_isolation(run)
    run.add_argument(
        "-x",
        "--maxfail",
        type=_positive_int,
        nargs="?",
        const=1,
        metavar="N",
        help="stop after N failing results (-x: after the first); the cases run "
        "so far are reported",
    )
    reruns = run.add_mutually_exclusive_group()
    reruns.add_argument(
        "--lf",
        "--last-failed",
        dest="last_failed",
        action="store_true",
        help="run only the cases that failed or diverged in the last record "
        "(--json; all when it has none)",
    )
    reruns.add_argument(
        "--ff",
        "--failed-first",
        dest="failed_first",
        action="store_true",
        help="run the cases that failed or diverged in the last record first, then the others",
    )
    run.add_argument(
        "--journal",
        type=Path,
        metavar="FILE",
        help="append each result to FILE (JSON Lines) as soon as it exists "
        "(default: beside --json, e.g. reports/conformance.journal.jsonl)",
    )
    run.add_argument(
        "--resume",
        type=Path,
        metavar="JOURNAL",
        help="finish an interrupted run: keep the results in JOURNAL, run "
        "only the missing ones (same cases and engines unless given), "
        "append them to JOURNAL and write the full report",
    )
    run.set_defaults(handler=cmd_run)


def _shard_arg(text: str) -> shards.Shard:
    try:
        return shards.parse_shard(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix(f"--shard {text!r}: ")) from None


def _add_isolation(parser: argparse.ArgumentParser) -> None:
    """The flags that control worker processes (``run`` and ``record``)."""
    parser.add_argument(
        "--timeout",
        type=_positive_float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="a case running longer is stopped and reported as 'timeout' "
        f"(default: {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--memory-limit",
        type=int,
        default=DEFAULT_MEMORY_MB,
        metavar="MB",
        help="a worker using more resident memory is stopped and its case "
        f"reported as 'crashed'; 0: no limit (default: {DEFAULT_MEMORY_MB})",
    )
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="run the engines in this process, without worker processes: "
        "no timeout and no protection from crashes (for debugging)",
    )


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return value


def _isolation(args: argparse.Namespace) -> Isolation | None:
    """The `Isolation` the flags ask for (None: ``--in-process``)."""
    if args.in_process:
        return None
    return Isolation(timeout=args.timeout, memory_mb=args.memory_limit or None)


def _add_list(commands: argparse._SubParsersAction) -> None:
    listing = commands.add_parser(
        "list",
        help="list case ids and titles",
        description="List the selected cases, one per line.",
        epilog="exit status: 0 listed; 2 usage error; 3 malformed case files; 4 no case matched.",
    )
    _add_selection(listing)
    listing.add_argument("--tags", action="store_true", help="also show each case's tags")
    listing.add_argument(
        "--sources", action="store_true", help="also show each case's documentation source"
    )
    listing.set_defaults(handler=cmd_list)
    show = commands.add_parser(
        "show",
        help="print one case in full",
        description="Print one case: its documented sentence, quote "
        "and source, the program and the expectation.",
    )
    show.add_argument("case", metavar="ID", help="the case id (or a local id that is unique)")
    show.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="case files or directories (default: the built-in cases)",
    )
    show.set_defaults(handler=cmd_show, keyword=None)
    engines = commands.add_parser(
        "engines",
        help="list what --engine can name",
        description="List the built-in engines (and whether they "
        "are installed), the engines registered as "
        "entry points, the mutants and the shipped "
        "baselines.",
    )
    engines.set_defaults(handler=cmd_engines)


def select(cases: Sequence[Case], keyword: str | None) -> list[Case]:
    """The cases matching a ``-k`` expression (all when it is None)."""
    if not keyword:
        return list(cases)
    matcher = keyword_matcher(keyword)
    return [c for c in cases if matcher(" ".join([c.id, c.title, *c.tags]))]


def keyword_matcher(expression: str):
    """Compile a ``-k`` expression into a predicate over a text."""
    tokens = re.findall(r"\(|\)|[^\s()]+", expression)
    operators = {"and", "or", "not", "(", ")"}

    def matches(text: str) -> bool:
        code = " ".join(t if t in operators else str(t.lower() in text.lower()) for t in tokens)
        try:
            return bool(eval(code, {"__builtins__": {}}, {}))  # only True/False/and/or/not
        except SyntaxError:
            raise UsageError(f"-k: cannot parse {expression!r}") from None

    return matches


def _load(args: argparse.Namespace | RunPlan, out: TextIO) -> tuple[list[Case], list]:
    suite = getattr(args, "suite", "cases")
    cases, errors = [], []
    if suite != "ops" or args.paths:
        paths = list(args.paths) or [builtin_cases_dir()]
        missing = [p for p in paths if not p.exists()]
        if missing:
            raise UsageError(f"no such file or directory: {', '.join(map(str, missing))}")
        loaded = load_cases(paths)
        for error in loaded.errors:
            print(terminal(f"case file error: {error}"), file=out)
        cases, errors = loaded.cases, loaded.errors
    if suite != "cases":
        from .optable.cases import op_cases

        cases = cases + op_cases()
    return select(cases, args.keyword), errors


def cmd_list(args: argparse.Namespace) -> int:
    cases, errors = _load(args, sys.stderr)
    for case in cases:
        print(terminal(browse.list_line(case, tags=args.tags, sources=args.sources)))
    if errors:
        return EXIT_BAD_INPUT
    if not cases:
        print(
            "conformance: error: no case matched"
            + (f" -k {args.keyword!r}" if args.keyword else ""),
            file=sys.stderr,
        )
        return EXIT_NOTHING_RAN
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    cases, errors = _load(args, sys.stderr)
    print(browse.show_case(browse.find_case(cases, args.case)))
    return EXIT_BAD_INPUT if errors else EXIT_OK


def cmd_engines(args: argparse.Namespace) -> int:
    print(browse.engines_text())
    return EXIT_OK


@dataclass(frozen=True)
class RunPlan:
    """What ``conformance run`` will do, decided once from its arguments."""

    paths: tuple[Path, ...]
    keyword: str | None
    engines: tuple[str, ...]  # --engine names; the first is the reference point
    against: tuple[str, ...]  # recorded baselines (files or shipped names), first
    isolation: Isolation | None  # None: in this process
    json: Path
    html: Path
    junit: Path | None
    quiet: bool
    fail_on: tuple[str, ...]
    xfails: xfail_files.Xfails
    update_xfails: Path | None
    journal: Path
    resume: JournalContents | None  # the journal a resumed run appends to
    suite: str = "cases"  # cases, ops (the op table) or all
    shard: shards.Shard | None = None  # --shard K/N: only these cases of the selection
    maxfail: int | None = None  # stop after this many failing results
    rerun: str | None = None  # "last-failed" or "failed-first"


def run_plan(args: argparse.Namespace) -> RunPlan:
    """The plan of a ``run`` command; with ``--resume``, the journal's header fills in
    the selection and engines the command line leaves out."""
    resume = read_journal(args.resume) if args.resume is not None else None
    header = resume.header if resume else {}
    keyword = args.keyword if args.keyword is not None else header.get("keyword")
    default = baselines.AGAINST_DEFAULT_ENGINES if args.against else DEFAULT_ENGINES
    engines = args.engine or header.get("engines") or default
    xfails = xfail_files.load_xfails(args.xfails) if args.xfails else xfail_files.Xfails()
    return RunPlan(
        paths=tuple(args.paths or [Path(p) for p in header.get("paths") or []]),
        keyword=keyword,
        engines=tuple(engines),
        against=tuple(args.against or ()),
        isolation=_isolation(args),
        json=args.json,
        html=args.html,
        junit=args.junit,
        quiet=args.quiet,
        fail_on=tuple(args.fail_on or ()),
        xfails=xfails,
        update_xfails=args.update_xfails,
        resume=resume,
        suite=args.suite,
        journal=args.resume or args.journal or default_journal_path(args.json),
        shard=args.shard,
        maxfail=args.maxfail,
        rerun="last-failed" if args.last_failed else "failed-first" if args.failed_first else None,
    )


def cmd_run(args: argparse.Namespace) -> int:
    started = datetime.now(timezone.utc)
    plan = run_plan(args)
    run_guard.check_outputs([plan.json, plan.html, plan.junit, plan.update_xfails, plan.journal])
    refs, unknown = engine_refs(plan.engines, plan.isolation)
    engines = baselines.with_baselines(list(plan.against), refs)
    executor = _executor(engines, plan.isolation)  # engines load while the cases do
    state, stop = _RunState(), MaxFail(plan.maxfail)
    try:
        with run_guard.interruptible():
            run = _execute(plan, executor, state, stop)
    except run_guard.Interrupted as interrupted:
        return _write_partial(plan, state, interrupted, started)
    finally:
        executor.close()  # also when interrupted before the run started
    run.engine_errors[:0] = unknown
    run, applied = xfail_files.apply_xfails(plan.xfails, run, state.known_ids)
    if not _ran(run):
        return _nothing_ran(run, state.load_errors)
    record = build_record(
        run,
        state.cases,
        state.load_errors,
        started,
        xfails=applied.to_json() if plan.xfails.path else None,
        selection=state.selected,
        shard=plan.shard.to_json() if plan.shard else None,
    )
    _write_run(plan, record, run, applied)
    if stop.stopped:
        print(f"stopped after {stop.failures} failing result(s) (--maxfail {plan.maxfail})")
    return exit_status(run, state.load_errors, plan.fail_on)


class _RunState:
    """What a run has so far: what its report needs if it is interrupted."""

    def __init__(self) -> None:
        self.cases: list[Case] = []
        self.load_errors: list = []
        self.known_ids: list[str] = []
        self.finished: list[Result] = []
        self.engines: list = []
        self.selected: dict | None = None  # the selection before sharding


def _execute(plan: RunPlan, executor: Executor, state: _RunState, stop: MaxFail) -> RunOutcome:
    cases, state.load_errors = _load(plan, sys.stderr)
    state.known_ids = _known_case_ids(plan, cases)
    state.selected, cases = shards.selection(cases), shards.select_shard(cases, plan.shard)
    state.cases = cases = xfail_files.runnable_cases(
        _rerun_order(plan, cases), plan.xfails, _engine_names(plan.engines)
    )
    state.engines = list(executor.start()[0])  # started once; run_cases reuses it
    prior = plan.resume.prior_for(cases) if plan.resume else None
    state.finished = list((prior or {}).values())
    progress = Progress(len(cases), sys.stderr, quiet=plan.quiet)
    with _journal(plan, cases) as log:

        def record(result: Result) -> None:
            log.record(result)
            state.finished.append(result)

        run = run_cases(
            stop.cases(cases),
            executor,
            progress=_both(progress.update, stop.update),
            prior=prior,
            on_result=record,
        )
    progress.done()
    return run


def _write_partial(
    plan: RunPlan, state: _RunState, stop: run_guard.Interrupted, started: datetime
) -> int:
    """Ctrl-C or SIGTERM: write what finished, say how to resume."""
    sys.stderr.write("\n")
    if not state.cases:
        print(f"conformance: {stop} before any case ran", file=sys.stderr)
        return stop.status
    run = run_guard.partial_run(state.cases, state.finished, state.engines)
    record = build_record(run, state.cases, state.load_errors, started)
    write_json(record, plan.json)
    write_html(record, plan.html)
    done = len({r.case for r in run.results})
    print(run_guard.resume_hint(plan.journal, done, len(state.cases), stop.how), file=sys.stderr)
    return stop.status


def _both(*callbacks):
    return lambda result: [callback(result) for callback in callbacks]


def _rerun_order(plan: RunPlan, cases: list[Case]) -> list[Case]:
    """The cases in the order ``--last-failed`` / ``--failed-first`` ask for."""
    if plan.rerun is None:
        return cases
    failed = previous_failures(plan.json)
    if not failed:
        print(f"no failure recorded in {plan.json}; running every selected case", file=sys.stderr)
    return reorder(cases, failed, only=plan.rerun == "last-failed")


def _ran(run: RunOutcome) -> bool:
    return any(r.status in ("passed", *PROBLEMS) for r in run.results)


def _nothing_ran(run: RunOutcome, load_errors: Sequence) -> int:
    """No engine loaded or no case ran: say why, keep the previous report, and exit
    3 when an engine or a case file was at fault (else 4)."""
    print_summary(run, sys.stdout, quiet=True)
    print(
        "conformance: error: no case ran (no cases selected, or no engine could run "
        "them); the previous report was not overwritten",
        file=sys.stderr,
    )
    return EXIT_BAD_INPUT if load_errors or run.engine_errors else EXIT_NOTHING_RAN


def _write_run(plan: RunPlan, record: dict, run: RunOutcome, applied: xfail_files.Applied) -> None:
    """Write the record, the page and JUnit; print the summary."""
    write_json(record, plan.json)
    write_html(record, plan.html)
    if plan.suite != "cases":
        from .optable.matrix import write_matrix

        matrix = write_matrix(record, plan.html.with_name("optable.html"))
        if matrix:
            print(f"wrote {matrix} (op x dtype x check matrix)")
    if plan.junit:
        write_junit(record, plan.junit)
        print(f"wrote {plan.junit}")
    print_summary(run, sys.stdout, quiet=plan.quiet, record=record)
    if plan.xfails.path:
        for line in xfail_files.summary_lines(applied):
            print(line)
    if plan.update_xfails:
        _update_xfails(plan.update_xfails, run)
    print(f"wrote {plan.json} and {plan.html}")


def _journal(plan: RunPlan, cases: Sequence[Case]) -> Journal:
    """The journal results are appended to: the resumed one, or a fresh one."""
    if plan.resume is not None:
        return Journal(plan.journal, cases, append=True)
    header = {
        "paths": [str(p) for p in plan.paths],
        "engines": list(plan.engines),
        "keyword": plan.keyword,
    }
    return Journal(plan.journal, cases, header)


def engine_refs(
    names: Sequence[str], isolation: Isolation | None
) -> tuple[list[Engine | str], list[EngineUnavailable]]:
    """What to hand the executor for these ``--engine`` names, and the names that
    name no engine (reported with suggestions; the others still run).

    Names are resolved here, except ``pkg.module:attr`` names when isolated:
    resolving those imports the module, which is engine code, so the worker does it.
    """
    refs: list[Engine | str] = []
    unknown: list[EngineUnavailable] = []
    for name in names:
        try:
            refs.append(name if isolation is not None and ":" in name else resolve_engine(name))
        except EngineUnavailable as exc:  # (a name that is no import path is a UsageError)
            unknown.append(exc)
    return refs, unknown


def _executor(engines: Sequence[Engine | str], limits: Isolation | None) -> Executor:
    """Worker processes with these limits (their engines start loading now), or
    this process when `limits` is None (``--in-process``)."""
    if limits is None:
        return InProcess(engines)
    pool = WorkerPool(engines, limits)
    pool.spawn_all()
    return pool


def _engine_names(specs: Sequence[str]) -> list[str]:
    """The names results will carry, without loading the engines (an engine that
    cannot even be resolved keeps its spec; the run reports why)."""
    names = []
    for spec in specs:
        try:
            names.append(resolve_engine(spec).name)
        except Exception:  # any import failure is reported by the run itself
            names.append(spec)
    return names


def _known_case_ids(plan: RunPlan, selected: Sequence[Case]) -> list[str]:
    """Every case id of the given paths (``-k`` does not make an entry stale)."""
    if not plan.keyword:
        return [case.id for case in selected]
    return [case.id for case in _load(replace(plan, keyword=None), sys.stderr)[0]]


def _update_xfails(path: Path, run: RunOutcome) -> None:
    previous = xfail_files.load_xfails(path) if path.exists() else xfail_files.Xfails(str(path))
    entries = xfail_files.updated_entries(previous, run.results, _first_problem)
    xfail_files.write_xfails(path, entries)
    print(f"wrote {len(entries)} xfail entr{'y' if len(entries) == 1 else 'ies'} to {path}")


def exit_status(
    run: RunOutcome, load_errors: Sequence, fail_on: Sequence[str] | None = None
) -> int:
    """The command's exit status for a finished run (see the module docstring);
    `fail_on` (``--fail-on``) narrows what makes it 1 (default: failed, divergence)."""
    ran = [r for r in run.results if r.status in ("passed", *PROBLEMS)]
    if not ran:
        print(
            "conformance: error: no case ran (no cases selected, or no engine could "
            "run them); this is never a success",
            file=sys.stderr,
        )
        return EXIT_NOTHING_RAN
    if load_errors or run.engine_errors:
        return EXIT_BAD_INPUT
    policy = set(fail_on or ("failed", "divergence"))
    if "never" in policy:
        return EXIT_OK
    failing = PROBLEMS if "failed" in policy else ("error", "timeout", "crashed")
    if ("divergence" in policy and run.divergences) or any(
        r.status in failing for r in run.results
    ):
        return EXIT_FAILED
    return EXIT_OK


class Progress:
    """A ``[done/total]`` counter on a terminal; when piped (CI logs), a plain
    line every `interval` seconds; nothing when quiet."""

    def __init__(
        self, cases: int, stream: TextIO, quiet: bool = False, interval: float = 10.0
    ) -> None:
        self.total, self.done_count, self.stream = cases, 0, stream
        self.enabled = not quiet and stream.isatty()
        self.periodic, self.interval = not quiet and not self.enabled, interval
        self.started = self.last_line = time.monotonic()
        self.last_case: str | None = None

    def update(self, result: Result) -> None:
        if result.case != self.last_case:
            self.last_case, self.done_count = result.case, self.done_count + 1
        if self.enabled:
            self.stream.write(f"\r[{self.done_count}/{self.total}] {result.case[:60]:<60}")
            self.stream.flush()
        elif self.periodic and time.monotonic() - self.last_line >= self.interval:
            self.last_line = time.monotonic()
            self.stream.write(
                f"progress: {self.done_count}/{self.total} cases "
                f"({100 * self.done_count // max(self.total, 1)}%) after "
                f"{self.last_line - self.started:.0f} s\n"
            )
            self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 75 + "\r")


def print_summary(
    run: RunOutcome, out: TextIO, quiet: bool = False, record: dict | None = None
) -> None:
    """Per engine a line of counts; then (unless quiet) each failure once, its contexts
    named, and the divergences that say more than a failure; then the causes."""
    for error in run.engine_errors:
        print(terminal(f"{error.engine}: UNAVAILABLE: {error.reason}"), file=out)
    for engine in run.engines:
        mine = [r for r in run.results if r.engine == engine.name]
        print(f"{engine.name} {engine.version}: {status_counts(mine)}", file=out)
        for api, ids in unsupported_apis(mine).get(engine.name, {}).items():
            print(f"  {api}: {len(ids)} case(s) unsupported", file=out)
    record = record if record is not None else _minimal_record(run)
    fresh = causes.new_divergences(record)
    repeated = len(run.divergences) - len(fresh)
    print(
        f"divergences: {len(run.divergences)}"
        + (f" ({repeated} repeat a failure of the same case)" if repeated else ""),
        file=out,
    )
    if not quiet:
        _print_problems(record, fresh, out)
        _print_leaks(run, out)
    for line in causes.summary_lines(record):
        print(terminal(line), file=out)


def _minimal_record(run: RunOutcome) -> dict:
    """What `causes` reads, for a run that has no record yet."""
    return {
        "metadata": {"engines": [{"name": e.name} for e in run.engines]},
        "results": [r.to_json() for r in run.results],
        "divergences": [d.to_json() for d in run.divergences],
    }


def _print_problems(record: dict, fresh: Sequence[dict], out: TextIO) -> None:
    for folded in causes.fold_contexts(record["results"]):
        print(
            terminal(
                f"  {folded.status.upper()} {folded.case} [{folded.engine}; "
                f"{', '.join(folded.contexts)}]: {_first_problem(folded.result)}"
            ),
            file=out,
        )
    for divergence in fresh:
        first = divergence["mismatches"][0]
        print(
            terminal(
                f"  DIVERGED {divergence['case']} [{divergence['context']}]: "
                f"{divergence['baseline']} vs {divergence['engine']}: {first['path']} "
                f"{first['field']}: {first['expected']} vs {first['observed']}"
            ),
            file=out,
        )


def _print_leaks(run: RunOutcome, out: TextIO) -> None:
    for result in run.results:
        where = (
            f"{result.case} [{result.engine}"
            f"{'' if result.context == 'eager' else '-' + result.context}]"
        )
        for leak in result.leaks:
            print(terminal(f"  LEAKED {where}: {leak} (its worker was replaced)"), file=out)


def status_counts(results: Sequence[Result]) -> str:
    """``"366 passed, 0 failed"``, plus every other status that occurred."""
    counts = {s: sum(r.status == s for r in results) for s in STATUSES}
    shown = [s for s in STATUSES if s in ("passed", "failed") or counts[s]]
    return ", ".join(f"{counts[s]} {s}" for s in shown)


def _first_problem(result: Result | dict) -> str:
    entry = result if isinstance(result, dict) else result.to_json()
    if entry.get("error"):
        return str(entry["error"])
    if not entry.get("mismatches"):
        return f"{entry['status']} (no mismatch recorded)"
    first = entry["mismatches"][0]
    text = (
        f"{first['path']} {first['field']}: expected {first['expected']}, "
        f"observed {first['observed']}"
    )
    return " ".join(text.split())  # one line, whatever the values' own line breaks


def _add_sensitivity(commands: argparse._SubParsersAction) -> None:
    sens = commands.add_parser(
        "sensitivity",
        help="run the mutant engines and report which cases catch which",
        description="Mutation self-test: run each deliberately broken engine of "
        "conformance.mutants on the cases; print, per mutant, the cases that "
        "catch it, and the cases that catch no mutant.",
    )
    _add_selection(sens)
    sens.add_argument(
        "--mutant",
        action="append",
        metavar="NAME",
        help="only this mutant (repeatable; default: all)",
    )
    sens.add_argument(
        "--oracle",
        "--baseline",
        dest="oracle",
        default="tensorflow",
        metavar="ENGINE",
        help="the engine a case must pass on to count (default: tensorflow; "
        "--baseline is an older name)",
    )
    sens.add_argument(
        "--first-only",
        action="store_true",
        help="stop each mutant at its first catching case (fast; no list of "
        "cases that catch nothing)",
    )
    sens.add_argument(
        "--json",
        type=Path,
        metavar="FILE",
        help="write the sensitivity data (mutants, per-case catches) to FILE",
    )
    sens.add_argument(
        "--record",
        type=Path,
        metavar="FILE",
        help="add the data to an existing run record (key 'sensitivity')",
    )
    sens.set_defaults(handler=cmd_sensitivity)


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from . import sensitivity

    if args.suite == "ops":
        return _rule_sensitivity(args)
    cases, load_errors = _load(args, sys.stderr)
    if not cases:
        raise NothingRan("no cases selected")
    report = sensitivity.measure(
        cases, args.mutant, baseline=args.oracle, first_only=args.first_only
    )
    for line in sensitivity.format_report(report):
        print(line)
    sensitivity.write_outputs(report, json_path=args.json, record_path=args.record)
    if load_errors:
        return EXIT_BAD_INPUT
    return EXIT_FAILED if report.uncaught() else EXIT_OK


def _rule_sensitivity(args: argparse.Namespace) -> int:
    """``sensitivity --suite ops``: every single-rule mutant of the reference."""
    import json

    from .optable import rule_mutants

    cases, _ = _load(args, sys.stderr)
    report = rule_mutants.measure(cases)
    for line in rule_mutants.format_report(report):
        print(line)
    if args.json:
        args.json.write_text(json.dumps(report.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return (
        EXIT_FAILED
        if any(m.reason and m.reason.startswith("not caught") for m in report.mutants)
        else EXIT_OK
    )


def _add_record(commands: argparse._SubParsersAction) -> None:
    record = commands.add_parser(
        "record",
        help="record a baseline: every case's outcome on one engine",
        description="Run the cases on one engine and write the record as a baseline "
        f"({baselines.BASELINE_DIR}/<engine>-<version>.json) for "
        "'conformance run --against' and 'conformance diff'.",
        epilog="exit status: 0 recorded (failing cases are data); 2 usage error; 3 malformed "
        "case files or the engine could not load; 4 no case ran (nothing written).",
    )
    _add_selection(record)
    record.add_argument(
        "--engine",
        default="tensorflow",
        metavar="NAME",
        help="the engine to record (default: tensorflow)",
    )
    record.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="where to write it (default: <dir>/<engine>-<version>.json)",
    )
    record.add_argument(
        "--dir",
        type=Path,
        default=baselines.BASELINE_DIR,
        metavar="DIR",
        help=f"directory of the default output (default: {baselines.BASELINE_DIR})",
    )
    record.add_argument("--html", type=Path, metavar="FILE", help="also write the HTML report")
    record.add_argument("-q", "--quiet", action="store_true", help="print only the summary lines")
    _add_isolation(record)
    record.set_defaults(handler=cmd_record)


def cmd_record(args: argparse.Namespace) -> int:
    started = datetime.now(timezone.utc)
    cases, load_errors = _load(args, sys.stderr)
    limits = _isolation(args)
    progress = Progress(len(cases), sys.stderr, quiet=args.quiet)
    refs, unknown = engine_refs([args.engine], limits)
    run = run_cases(cases, _executor(refs, limits), progress=progress.update)
    progress.done()
    run.engine_errors[:0] = unknown
    record = build_record(run, cases, load_errors, started)
    print_summary(run, sys.stdout, quiet=True)
    if not ran_anything(record):  # a baseline records failures as data, not nothing
        raise NothingRan("no case ran, so there is nothing to record; no baseline was written")
    status = EXIT_BAD_INPUT if load_errors or run.engine_errors else EXIT_OK
    path = baselines.write_baseline(record, args.output, args.dir)
    if args.html:
        write_html(record, args.html)
    print(f"wrote {path}" + (f" and {args.html}" if args.html else ""))
    return status


def _add_diff(commands: argparse._SubParsersAction) -> None:
    diff = commands.add_parser(
        "diff",
        help="what changed between two records (runs or baselines)",
        description="Compare two JSON records case by case: status changes and the "
        "observation fields that changed.",
        epilog="exit status: 0 nothing changed; 1 something changed; 2 a file is not a "
        "record of a supported schema version; 4 a record ran no case.",
    )
    diff.add_argument(
        "old",
        help="the older record: a file, or a shipped baseline's name (e.g. tensorflow-2.15.1)",
    )
    diff.add_argument("new", help="the newer record (a file or a shipped baseline's name)")
    diff.add_argument("--html", type=Path, metavar="FILE", help="also write the diff as a page")
    diff.set_defaults(handler=cmd_diff)


def cmd_diff(args: argparse.Namespace) -> int:
    """Print what changed; 0 when nothing did, 1 when something did; a record that ran
    no case proves nothing (`NothingRan`)."""
    args.old, args.new = (
        Path(p) if Path(p).exists() else baselines.resolve_baseline(p) for p in (args.old, args.new)
    )
    old, new = read_record(args.old), read_record(args.new)
    empty = [str(p) for p, r in ((args.old, old), (args.new, new)) if not ran_anything(r)]
    if empty:
        raise NothingRan(
            f"{', '.join(empty)} ran no case; there is nothing to compare (this is never a success)"
        )
    diff = diff_records(old, new)
    names = (str(args.old), str(args.new))
    print(format_diff(diff, names))
    if args.html is not None:
        write_page(render_diff_html(diff, names), args.html)
        print(f"wrote {args.html}")
    return EXIT_FAILED if diff["changed"] else EXIT_OK


def _add_coverage(commands: argparse._SubParsersAction) -> None:
    coverage = commands.add_parser(
        "coverage",
        help="documented sections and the cases that cover them",
        description="Print each documented section (conformance/doc_sections.yaml) with its "
        "number of cases and their ids, then the sections with no case; with "
        "--suite ops, every public differentiable TensorFlow function and whether "
        "the op table covers it (or why it is excluded).",
    )
    _add_selection(coverage)
    coverage.add_argument("--counts", action="store_true", help="counts only, without case ids")
    coverage.set_defaults(handler=cmd_coverage)


def cmd_coverage(args: argparse.Namespace) -> int:
    if args.suite != "cases":
        from .optable import api_coverage

        status = api_coverage.print_coverage(
            api_coverage.load_coverage(), sys.stdout, show_rows=not args.counts
        )
        if args.suite == "ops":
            return status
    cases, errors = _load(argparse.Namespace(**{**vars(args), "suite": "cases"}), sys.stderr)
    print(format_coverage(coverage_table(cases), show_ids=not args.counts))
    if not cases:
        raise NothingRan("no case selected; the table is empty")
    return EXIT_BAD_INPUT if errors else EXIT_OK


def _add_drift(commands: argparse._SubParsersAction) -> None:
    drift = commands.add_parser(
        "drift",
        help="per case, the TF releases where its outcome changed",
        description="Line up records (default: the baselines shipped for every TensorFlow "
        "release) oldest release first and show, per case, the releases at "
        "which its outcome changed and what changed, with a one-line summary "
        "per release. Noise never counts: timings, tracebacks, object "
        "addresses, tf.function retracing warnings and values within the "
        "case's tolerance (those are listed apart).",
        epilog="exit status: 0 shown (drift is information); 1 with --fail-on-drift when "
        "some case changed; 2 a file is not a record, or fewer than two releases.",
    )
    drift.add_argument(
        "records",
        nargs="*",
        type=Path,
        metavar="RECORD",
        help="records or baselines to line up (default: the shipped "
        "baselines, conformance/baselines/tensorflow-*.json)",
    )
    drift.add_argument(
        "--html", type=Path, metavar="FILE", help="also write the release x case table as a page"
    )
    drift.add_argument("--json", type=Path, metavar="FILE", help="also write the changes as JSON")
    drift.add_argument(
        "--fail-on-drift",
        action="store_true",
        help="exit 1 when some case changed beyond its tolerance",
    )
    drift.set_defaults(handler=cmd_drift)


def cmd_drift(args: argparse.Namespace) -> int:
    """Print the drift; write the page and the JSON when asked; 0, or 1 with
    ``--fail-on-drift`` when some case changed beyond its tolerance."""
    from .drift import compute_drift, format_drift, load_records
    from .report.drift_html import write_drift_html

    drift = compute_drift(load_records(args.records))
    print(format_drift(drift))
    if args.html is not None:
        write_drift_html(drift, args.html)
        print(f"wrote {args.html}")
    if args.json is not None:
        write_json(drift.to_json(), args.json)
        print(f"wrote {args.json}")
    return EXIT_FAILED if args.fail_on_drift and drift.drifted else EXIT_OK


def _add_doc_check(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser(
        "doc-check",
        help="do the cases' quotes still appear in TF's docstrings and guides",
        description="Look up every case's quote where its source points: the installed "
        "TensorFlow's docstrings for an API page, the notebook given with --guide "
        "for a guide page (the guides are not installed), the installed file for "
        "a file of TensorFlow's repository. List the quotes that changed (with "
        "the passage that is there now) or vanished.",
        epilog="exit status: 0 every checked quote was found; 1 some quote changed, vanished "
        "or its symbol or notebook is gone; 2 usage error (a --guide path missing, "
        "TensorFlow not installed); 3 malformed case files (the others were checked); "
        "4 no quote was checked.",
    )
    _add_selection(check)
    check.add_argument(
        "--guide",
        action="append",
        type=Path,
        default=[],
        metavar="PATH",
        help="a guide notebook (autodiff.ipynb) or a directory holding them, "
        "such as a checkout of tensorflow/docs' site/en/guide; repeatable",
    )
    check.add_argument("--json", type=Path, metavar="FILE", help="also write every verdict as JSON")
    check.set_defaults(handler=cmd_doc_check)


def cmd_doc_check(args: argparse.Namespace) -> int:
    """Print the quotes that changed or vanished and a count line; 0 when every
    checked quote was found, 1 when not; no quote checked at all is `NothingRan`."""
    from . import doc_check

    missing = [str(p) for p in args.guide if not p.exists()]
    if missing:
        raise UsageError(f"--guide: no such file or directory: {', '.join(missing)}")
    cases, errors = _load(args, sys.stderr)
    tf = doc_check.import_tensorflow()
    checks = doc_check.quietly(doc_check.check_quotes, cases, doc_check.DocSources(tf, args.guide))
    print(doc_check.format_checks(checks, tf.__version__))
    if args.json:
        write_json(
            {"tensorflow": tf.__version__, "checks": [c.to_json() for c in checks]}, args.json
        )
        print(f"wrote {args.json}")
    if not any(c.status != "unchecked" for c in checks):
        raise NothingRan(
            "no quote was checked (no case with a quote, or only guide quotes and no --guide)"
        )
    if any(c.status in doc_check.PROBLEMS for c in checks):
        return EXIT_FAILED
    return EXIT_BAD_INPUT if errors else EXIT_OK


def _add_merge(commands: argparse._SubParsersAction) -> None:
    merge = commands.add_parser(
        "merge",
        help="join the records of shards, engines and releases into one record",
        description="Merge run records (conformance run, with or without --shard, or "
        "conformance record) into one record in the unsharded run's order: the "
        "shards of a run, and runs of other engines or TF releases (an engine "
        "seen at several versions is renamed name@version).",
        epilog="exit status: 0 merged; 2 usage error or a file that is not a record; 3 refused "
        "(records of different suites, two records holding the same shard of an "
        "engine, or a missing shard without --partial).",
    )
    merge.add_argument(
        "records", nargs="+", type=Path, metavar="RECORD", help="JSON records to merge"
    )
    merge.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="FILE",
        help="where to write the merged record",
    )
    merge.add_argument(
        "--html", type=Path, metavar="FILE", help="also write the HTML report of the merged record"
    )
    merge.add_argument(
        "--partial",
        action="store_true",
        help="merge even when some shard's record is missing (the record "
        "then says which, under 'partial')",
    )
    merge.set_defaults(handler=cmd_merge)


def cmd_merge(args: argparse.Namespace) -> int:
    from . import merge as merging

    sources = merging.read_sources(args.records)
    record = merging.merge_records(sources, partial=args.partial)  # MergeRefused: exit 3
    write_json(record, args.output)
    if args.html:
        write_html(record, args.html)
    for line in merging.summary_lines(sources, record):
        print(line)
    print(f"wrote {args.output}" + (f" and {args.html}" if args.html else ""))
    return EXIT_OK


DEFAULT_SCOREBOARD = Path("reports/scoreboard.html")


def _add_scoreboard(commands: argparse._SubParsersAction) -> None:
    board = commands.add_parser(
        "scoreboard",
        help="one page from many records: engines x releases x shards",
        description="Render a self-contained HTML scoreboard from run records (shards, whole "
        "runs, merged records, baselines; e.g. every artifact of a CI matrix): "
        "pass rates per engine and TF release, per topic, and every case.",
        epilog="exit status: 0 written; 2 usage error or a file that is not a record.",
    )
    board.add_argument(
        "records",
        nargs="*",
        type=Path,
        metavar="RECORD",
        help="JSON records (default: the TensorFlow baselines shipped with "
        "the package, see `conformance engines`)",
    )
    board.add_argument(
        "-o",
        "--output",
        type=Path,
        default=DEFAULT_SCOREBOARD,
        metavar="FILE",
        help=f"where to write the page (default: {DEFAULT_SCOREBOARD})",
    )
    board.add_argument(
        "--title", default="TensorFlow autodiff conformance scoreboard", help="the page's heading"
    )
    board.set_defaults(handler=cmd_scoreboard)


def cmd_scoreboard(args: argparse.Namespace) -> int:
    from . import scoreboard

    records = args.records or list(baselines.shipped_baselines().values())
    if not records:
        raise UsageError("no records given and no baselines ship with this installation")
    board = scoreboard.build_board(records)
    scoreboard.write_scoreboard(board, args.output, args.title)
    for line in scoreboard.summary_lines(board):
        print(line)
    print(f"wrote {args.output}")
    return EXIT_OK
