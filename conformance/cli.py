"""The ``conformance`` command: run cases on engines, list cases.

Exit status (for CI):

* 0: every case passed (or was skipped or unsupported) on every engine, and
  no two engines diverged;
* 1: some case failed or errored, or two engines diverged;
* 2: the command line is wrong;
* 3: some case file is malformed or some engine could not be loaded (the
  other cases and engines still ran and were reported);
* 4: no case ran at all.

A case that times out or crashes its worker counts as a failure (1), and so
does an ``xfail`` case of an expectation file that passed (``xpassed``).
``conformance sensitivity`` exits 1 when some mutant engine is caught by no case.
``--fail-on`` narrows what makes 1 (see `EXIT_HELP`). ``record`` exits 0
whatever the cases' statuses; ``diff`` exits 1 when something changed.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence, TextIO

from . import __version__, isolation, journal
from .case import Case
from .engines import DEFAULT_ENGINES, resolve_engine
from .errors import ConformanceError, UsageError
from .loader import builtin_cases_dir, load_cases
from .report import build_record, write_html, write_json
from .runner import PROBLEMS, STATUSES, Result, RunOutcome, run_cases, unsupported_apis
from . import expectations as expect_files
from . import baseline as baselines
from . import coverage as doc_coverage
from . import diff as record_diff
from .junit import write_junit
from .fuzz.cli import add_fuzz

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BAD_INPUT, EXIT_NOTHING_RAN = 0, 1, 2, 3, 4
DEFAULT_JSON = Path("reports/conformance.json")
DEFAULT_HTML = Path("reports/conformance.html")
FAIL_ON = ("failed", "divergence", "never")
EXIT_HELP = ("exit status: 0 success; 1 a case failed, errored, timed out, crashed or "
             "xpassed, or two engines diverged (narrowed by --fail-on: 'failed' = only those "
             "results, 'divergence' = only divergences and error/timeout/crashed results, "
             "'never' = never 1); 2 usage error or unreadable record; 3 malformed case files "
             "or an engine that could not load; 4 no case ran (never a success).")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``conformance`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except ConformanceError as exc:
        print(f"conformance: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="conformance",
        description="Run TensorFlow autodiff conformance cases on AD engines and report "
                    "where each engine differs from the documented behavior and from the "
                    "other engines.",
        epilog="Exit status: 0 all passed; 1 failures, errors or divergences; 2 usage error; "
               "3 malformed case files or an engine that could not load; 4 no case ran.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_run(commands)
    _add_list(commands)
    _add_sensitivity(commands)
    _add_record(commands)
    _add_diff(commands)
    _add_coverage(commands)
    add_fuzz(commands)
    return parser


def _add_selection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="case files or directories (default: the built-in cases)")
    parser.add_argument("-k", dest="keyword", metavar="EXPR",
                        help="only cases whose id, title or tags match EXPR: words are "
                             "substrings, combined with and/or/not and parentheses "
                             "(e.g. -k 'watch and not error')")


def _add_run(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser("run", help="run cases on engines and write JSON and HTML reports",
                              description="Run cases on engines; print a per-engine summary; "
                                          "write the JSON record and the HTML report.",
                              epilog=EXIT_HELP)
    _add_selection(run)
    run.add_argument("--engine", action="append", metavar="NAME",
                     help="engine to run, repeatable: a built-in name (tensorflow, reference), "
                          "an entry point of group conformance.engines, or an import path "
                          "pkg.module[:attr]; the first engine is the baseline for divergences "
                          f"(default: {' '.join(DEFAULT_ENGINES)})")
    run.add_argument("--json", type=Path, default=DEFAULT_JSON, metavar="FILE",
                     help=f"where to write the JSON record (default: {DEFAULT_JSON})")
    run.add_argument("--html", type=Path, default=DEFAULT_HTML, metavar="FILE",
                     help=f"where to write the HTML report (default: {DEFAULT_HTML})")
    run.add_argument("-q", "--quiet", action="store_true",
                     help="print only the summary lines")
    run.add_argument("--expectations", type=Path, metavar="FILE",
                     help="YAML file of known failures per engine (status xfail or skip, "
                          "see docs/engines.md); an xfail case that passes fails the run")
    run.add_argument("--update-expectations", type=Path, metavar="FILE",
                     help="write the current failures into FILE as xfail entries (keeping "
                          "its skip entries and the entries of engines or cases not run)")
    run.add_argument("--against", action="append", type=Path, metavar="BASELINE",
                     help="also compare with a recorded baseline (conformance record) as if "
                          "it were an engine given first, so it is the divergence baseline; "
                          "needs no TensorFlow (default engines then: "
                          f"{' '.join(baselines.AGAINST_DEFAULT_ENGINES)})")
    run.add_argument("--junit", type=Path, metavar="FILE",
                     help="also write JUnit XML (one testcase per case x engine x context)")
    run.add_argument("--fail-on", action="append", choices=FAIL_ON,
                     help="what makes the exit status 1, repeatable (default: failed and "
                          "divergence); see the exit status below")
    isolation.add_arguments(run)
    journal.add_arguments(run)
    run.set_defaults(handler=cmd_run)


def _add_list(commands: argparse._SubParsersAction) -> None:
    listing = commands.add_parser("list", help="list case ids and titles",
                                  description="List the selected cases, one per line.")
    _add_selection(listing)
    listing.set_defaults(handler=cmd_list)


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


def _load(args: argparse.Namespace, out: TextIO) -> tuple[list[Case], list]:
    paths = args.paths or [builtin_cases_dir()]
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(map(str, missing))}")
    loaded = load_cases(paths)
    for error in loaded.errors:
        print(f"case file error: {error}", file=out)
    return select(loaded.cases, args.keyword), loaded.errors


def cmd_list(args: argparse.Namespace) -> int:
    cases, errors = _load(args, sys.stderr)
    for case in cases:
        print(f"{case.id}  {case.title}")
    return EXIT_BAD_INPUT if errors else EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    started = datetime.now(timezone.utc)
    resumed = journal.apply_resume(args)
    default = baselines.AGAINST_DEFAULT_ENGINES if args.against else DEFAULT_ENGINES
    names, limits = list(args.engine or default), isolation.from_args(args)
    engines = baselines.with_baselines(args.against, isolation.engine_refs(names, limits))
    pool = isolation.prestart(engines, limits)  # engines load while the cases do
    cases, load_errors = _load(args, sys.stderr)
    expected = _expectations(args)
    known_ids = _known_case_ids(args, cases)
    cases = expect_files.runnable_cases(cases, expected, _engine_names(names))
    progress = Progress(len(cases), sys.stderr, quiet=args.quiet)
    with journal.open_for_run(args, cases, names) as log:
        run = run_cases(cases, engines, progress=progress.update, isolation=pool,
                        prior=resumed.prior_for(cases) if resumed else None,
                        on_result=log.record)
    progress.done()
    applied = expect_files.apply_expectations(expected, run, known_ids)
    record = build_record(run, cases, load_errors, started)
    record["capabilities"] = unsupported_apis(run.results)
    if args.expectations:
        record["expectations"] = applied.to_json()
    write_json(record, args.json)
    write_html(record, args.html)
    if args.junit:
        write_junit(record, args.junit)
        print(f"wrote {args.junit}")
    print_summary(run, sys.stdout, quiet=args.quiet)
    if args.expectations:
        for line in expect_files.summary_lines(applied):
            print(line)
    if args.update_expectations:
        _update_expectations(args.update_expectations, run)
    print(f"wrote {args.json} and {args.html}")
    return exit_status(run, load_errors, args.fail_on)


def _expectations(args: argparse.Namespace) -> expect_files.Expectations:
    if args.expectations:
        return expect_files.load_expectations(args.expectations)
    return expect_files.Expectations()


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


def _known_case_ids(args: argparse.Namespace, selected: Sequence[Case]) -> list[str]:
    """Every case id of the given paths (``-k`` does not make an entry stale)."""
    if not args.keyword:
        return [case.id for case in selected]
    return [case.id for case in load_cases(args.paths or [builtin_cases_dir()]).cases]


def _update_expectations(path: Path, run: RunOutcome) -> None:
    previous = expect_files.load_expectations(path) if path.exists() else \
        expect_files.Expectations(str(path))
    entries = expect_files.updated_entries(previous, run.results, _first_problem)
    expect_files.write_expectations(path, entries)
    print(f"wrote {len(entries)} expectation(s) to {path}")


def exit_status(run: RunOutcome, load_errors: Sequence,
                fail_on: Sequence[str] | None = None) -> int:
    """The command's exit status for a finished run (see the module docstring);
    `fail_on` (``--fail-on``) narrows what makes it 1 (default: failed, divergence)."""
    ran = [r for r in run.results if r.status in ("passed", *PROBLEMS)]
    if not ran:
        print("conformance: error: no case ran (no cases selected, or no engine could "
              "run them); this is never a success", file=sys.stderr)
        return EXIT_NOTHING_RAN
    if load_errors or run.engine_errors:
        return EXIT_BAD_INPUT
    policy = set(fail_on or ("failed", "divergence"))
    if "never" in policy:
        return EXIT_OK
    failing = PROBLEMS if "failed" in policy else ("error", "timeout", "crashed")
    if ("divergence" in policy and run.divergences) or any(r.status in failing
                                                             for r in run.results):
        return EXIT_FAILED
    return EXIT_OK


class Progress:
    """A ``[done/total]`` counter on a terminal; when piped (CI logs), a plain
    line every `interval` seconds; nothing when quiet."""

    def __init__(self, cases: int, stream: TextIO, quiet: bool = False,
                 interval: float = 10.0) -> None:
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
            self.stream.write(f"progress: {self.done_count}/{self.total} cases "
                              f"({100 * self.done_count // max(self.total, 1)}%) after "
                              f"{self.last_line - self.started:.0f} s\n")
            self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 75 + "\r")


def print_summary(run: RunOutcome, out: TextIO, quiet: bool = False) -> None:
    """Per engine a line of counts; then failures and divergences, one line each."""
    for error in run.engine_errors:
        print(f"{error.engine}: UNAVAILABLE: {error.reason}", file=out)
    for engine in run.engines:
        mine = [r for r in run.results if r.engine == engine.name]
        print(f"{engine.name} {engine.version}: {status_counts(mine)}", file=out)
        for api, ids in unsupported_apis(mine).get(engine.name, {}).items():
            print(f"  {api}: {len(ids)} case(s) unsupported", file=out)
    print(f"divergences: {len(run.divergences)}", file=out)
    if quiet:
        return
    for result in run.results:
        if result.status in PROBLEMS:
            print(f"  {result.status.upper()} {result.case} [{result.engine}"
                  f"{'' if result.context == 'eager' else '-' + result.context}]: "
                  f"{_first_problem(result)}", file=out)
    for divergence in run.divergences:
        first = divergence.mismatches[0]
        print(f"  DIVERGED {divergence.case}: {divergence.baseline} vs {divergence.engine}: "
              f"{first.path} {first.field}: {first.expected} vs {first.observed}", file=out)


def status_counts(results: Sequence[Result]) -> str:
    """``"366 passed, 0 failed"``, plus every other status that occurred."""
    counts = {s: sum(r.status == s for r in results) for s in STATUSES}
    shown = [s for s in STATUSES if s in ("passed", "failed") or counts[s]]
    return ", ".join(f"{counts[s]} {s}" for s in shown)


def _first_problem(result: Result) -> str:
    if result.error:
        return result.error
    if not result.mismatches:
        return f"{result.status} (no mismatch recorded)"
    first = result.mismatches[0]
    return f"{first.path} {first.field}: expected {first.expected}, observed {first.observed}"


def _add_sensitivity(commands: argparse._SubParsersAction) -> None:
    sens = commands.add_parser(
        "sensitivity", help="run the mutant engines and report which cases catch which",
        description="Mutation self-test: run each deliberately broken engine of "
                    "conformance.mutants on the cases; print, per mutant, the cases that "
                    "catch it, and the cases that catch no mutant.")
    _add_selection(sens)
    sens.add_argument("--mutant", action="append", metavar="NAME",
                      help="only this mutant (repeatable; default: all)")
    sens.add_argument("--baseline", default="tensorflow", metavar="ENGINE",
                      help="the engine a case must pass on to count (default: tensorflow)")
    sens.add_argument("--first-only", action="store_true",
                      help="stop each mutant at its first catching case (fast; no list of "
                           "cases that catch nothing)")
    sens.add_argument("--json", type=Path, metavar="FILE",
                      help="write the sensitivity data (mutants, per-case catches) to FILE")
    sens.add_argument("--record", type=Path, metavar="FILE",
                      help="add the data to an existing run record (key 'sensitivity')")
    sens.set_defaults(handler=cmd_sensitivity)


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from . import sensitivity
    cases, load_errors = _load(args, sys.stderr)
    if not cases:
        print("conformance: error: no cases selected", file=sys.stderr)
        return EXIT_NOTHING_RAN
    report = sensitivity.measure(cases, args.mutant, baseline=args.baseline,
                                 first_only=args.first_only)
    for line in sensitivity.format_report(report):
        print(line)
    sensitivity.write_outputs(report, json_path=args.json, record_path=args.record)
    if load_errors:
        return EXIT_BAD_INPUT
    return EXIT_FAILED if report.uncaught() else EXIT_OK


def _add_record(commands: argparse._SubParsersAction) -> None:
    record = commands.add_parser(
        "record", help="record a baseline: every case's outcome on one engine",
        description="Run the cases on one engine and write the record as a baseline "
                    f"({baselines.BASELINE_DIR}/<engine>-<version>.json) for "
                    "'conformance run --against' and 'conformance diff'.",
        epilog="exit status: 0 recorded (failing cases are data); 2 usage error; 3 malformed "
               "case files or the engine could not load; 4 no case ran (nothing written).")
    _add_selection(record)
    record.add_argument("--engine", default="tensorflow", metavar="NAME",
                        help="the engine to record (default: tensorflow)")
    record.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="where to write it (default: <dir>/<engine>-<version>.json)")
    record.add_argument("--dir", type=Path, default=baselines.BASELINE_DIR, metavar="DIR",
                        help=f"directory of the default output (default: {baselines.BASELINE_DIR})")
    record.add_argument("--html", type=Path, metavar="FILE", help="also write the HTML report")
    record.add_argument("-q", "--quiet", action="store_true", help="print only the summary lines")
    isolation.add_arguments(record)
    record.set_defaults(handler=cmd_record)


def cmd_record(args: argparse.Namespace) -> int:
    started = datetime.now(timezone.utc)
    cases, load_errors = _load(args, sys.stderr)
    limits = isolation.from_args(args)
    progress = Progress(len(cases), sys.stderr, quiet=args.quiet)
    run = run_cases(cases, isolation.engine_refs([args.engine], limits),
                    progress=progress.update, isolation=limits)
    progress.done()
    record = build_record(run, cases, load_errors, started)
    print_summary(run, sys.stdout, quiet=True)
    status = baselines.record_exit_status(record, load_errors, sys.stderr)
    if status == EXIT_NOTHING_RAN:
        return status
    path = baselines.write_baseline(record, args.output, args.dir)
    if args.html:
        write_html(record, args.html)
    print(f"wrote {path}" + (f" and {args.html}" if args.html else ""))
    return status


def _add_diff(commands: argparse._SubParsersAction) -> None:
    diff = commands.add_parser(
        "diff", help="what changed between two records (runs or baselines)",
        description="Compare two JSON records case by case: status changes and the "
                    "observation fields that changed.",
        epilog="exit status: 0 nothing changed; 1 something changed; 2 a file is not a "
               "record of a supported schema version; 4 a record ran no case.")
    diff.add_argument("old", type=Path, help="the older record (e.g. a baseline)")
    diff.add_argument("new", type=Path, help="the newer record")
    diff.add_argument("--html", type=Path, metavar="FILE", help="also write the diff as a page")
    diff.set_defaults(handler=cmd_diff)


def cmd_diff(args: argparse.Namespace) -> int:
    return record_diff.run_diff(args.old, args.new, args.html, sys.stdout, sys.stderr)


def _add_coverage(commands: argparse._SubParsersAction) -> None:
    coverage = commands.add_parser(
        "coverage", help="documented sections and the cases that cover them",
        description="Print each documented section (conformance/doc_sections.yaml) with its "
                    "number of cases and their ids, then the sections with no case.")
    _add_selection(coverage)
    coverage.add_argument("--counts", action="store_true", help="counts only, without case ids")
    coverage.set_defaults(handler=cmd_coverage)


def cmd_coverage(args: argparse.Namespace) -> int:
    cases, errors = _load(args, sys.stderr)
    status = doc_coverage.run_coverage(cases, sys.stdout, show_ids=not args.counts)
    return status or (EXIT_BAD_INPUT if errors else EXIT_OK)
