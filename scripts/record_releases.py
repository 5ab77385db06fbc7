"""Record a TensorFlow baseline for every supported release, each in its own venv.

For each release (default: every one in `RELEASES`, oldest first) this script

1. makes a throwaway virtual environment ``<venvs>/<version>`` (kept, so a rerun
   skips the install) and installs that TensorFlow release with the suite's
   other dependencies, then this repository with ``--no-deps -e``;
2. records the baseline: ``conformance record --engine tensorflow cases -o
   conformance/baselines/tensorflow-<version>.json``;
3. proves it: ``conformance run --engine tensorflow --against <that baseline>``,
   which must exit 0 (no case failed on the live release nor on its replayed
   baseline, and the two did not diverge).

It runs the releases one after another (the sweep is CPU-bound) and prints how
long each step took. It is idempotent and resumable: a release whose baseline
was recorded from the current cases and harness (a fingerprint of ``cases/``
and ``conformance/``) is skipped, so an interrupted sweep restarts where it
stopped; ``--force`` re-records anyway. Each release's full output goes to
``<venvs>/<version>/sweep.log``.

Usage (from anywhere; paths are relative to this repository)::

    python scripts/record_releases.py                      # every release
    python scripts/record_releases.py 2.15.1 2.21.0        # a subset
    python scripts/record_releases.py --venvs /tmp/tf-venvs --force

Exit status: 0 every selected release recorded and passed; 1 some release
failed to install, record or pass (the others still ran); 2 usage error.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

RELEASES = (
    "2.12.1",
    "2.13.1",
    "2.14.1",
    "2.15.1",
    "2.16.2",
    "2.17.1",
    "2.18.1",
    "2.19.1",
    "2.20.0",
    "2.21.0",
)
REPO = Path(__file__).resolve().parent.parent
BASELINES = REPO / "conformance" / "baselines"
DEFAULT_VENVS = Path(
    os.environ.get("CONFORMANCE_TF_VENVS", Path.home() / ".cache" / "conformance-tf-venvs")
)
# The suite's runtime dependencies: pyproject.toml's [project] dependencies without
# ml_dtypes, which each TensorFlow release brings at the version it needs (the project
# itself is installed with --no-deps). Keep the two lists in step.
SUITE_DEPS = (
    "numpy>=1.23",
    "pyyaml>=6.0",
    "jsonschema>=4.0",
    "jinja2>=3.1",
    "packaging>=21",
    "pytest>=7.4",
    "pytest-xdist>=3.3",
    "hypothesis>=6.80",
)
STATE_FILE = "conformance-sweep.json"
INSTALL_MARK = "conformance-install.json"


class StepFailed(Exception):
    """A step of one release failed; the message says which and where the log is."""


@dataclass
class Outcome:
    """What happened to one release."""

    release: str
    status: str = "pending"  # recorded | up to date (…) | failed
    seconds: dict[str, float] = field(default_factory=dict)
    counts: str = ""
    message: str = ""

    @property
    def total(self) -> float:
        return sum(self.seconds.values())


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="record_releases",
        description=__doc__.split("\n\n")[0],
        epilog="exit status: 0 every selected release recorded and passed; 1 some release "
        "failed to install, record or pass; 2 usage error.",
    )
    parser.add_argument(
        "releases",
        nargs="*",
        metavar="VERSION",
        help=f"releases to record (default: all of {', '.join(RELEASES)}); "
        "a prefix such as 2.16 picks that minor release",
    )
    parser.add_argument(
        "--venvs",
        type=Path,
        default=DEFAULT_VENVS,
        metavar="DIR",
        help="where the per-release venvs live (default: $CONFORMANCE_TF_VENVS "
        f"or {DEFAULT_VENVS})",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=BASELINES,
        metavar="DIR",
        help=f"where baselines are written (default: {BASELINES})",
    )
    parser.add_argument(
        "--package",
        default="tensorflow-cpu",
        help="the TensorFlow distribution to install (default: tensorflow-cpu, "
        "the same code as tensorflow without the GPU kernels)",
    )
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="the interpreter the venvs are made from (default: this one)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="re-record releases whose baseline is already up to date",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=1800,
        metavar="SECONDS",
        help="limit for each install, record or check step (default: 1800)",
    )
    args = parser.parse_args(argv)
    args.releases = select_releases(args.releases, parser)
    return args


def select_releases(wanted: list[str], parser: argparse.ArgumentParser) -> list[str]:
    """The releases named by `wanted` (exact versions or minor prefixes), in sweep order."""
    if not wanted:
        return list(RELEASES)
    chosen = []
    for text in wanted:
        matches = [r for r in RELEASES if r == text or r.startswith(text.rstrip(".") + ".")]
        if not matches:
            parser.error(f"unknown release {text!r}; known: {', '.join(RELEASES)}")
        chosen += [m for m in matches if m not in chosen]
    return [r for r in RELEASES if r in chosen]


def fingerprint(release: str, package: str) -> str:
    """A hash of everything a baseline depends on here: the release, the cases and
    the harness's sources. A baseline recorded under the same hash is up to date."""
    digest = hashlib.sha256(f"{package}=={release}".encode())
    for root, pattern in ((REPO / "cases", "*.yaml"), (REPO / "conformance", "*.py")):
        for path in sorted(root.rglob(pattern)):
            digest.update(str(path.relative_to(REPO)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def file_hash(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


class Release:
    """One release's venv, log and baseline."""

    def __init__(self, version: str, args: argparse.Namespace) -> None:
        self.version, self.args = version, args
        self.recorded_from = ""  # the fingerprint the baseline was recorded from
        self.venv = args.venvs / version
        self.python = self.venv / "bin" / "python"
        self.log = self.venv / "sweep.log"
        self.baseline = args.out / f"tensorflow-{version}.json"

    def run(self, step: str, command: list[str]) -> None:
        """Run one step, appending its output to the log; raise `StepFailed` on failure."""
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", PIP_DISABLE_PIP_VERSION_CHECK="1")
        env.pop("PYTHONPATH", None)
        with self.log.open("a") as log:
            log.write(f"\n$ {' '.join(command)}\n")
            log.flush()
            try:
                done = subprocess.run(
                    command,
                    check=False,
                    cwd=REPO,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    timeout=self.args.timeout,
                )
            except subprocess.TimeoutExpired:
                raise StepFailed(
                    f"{step} took over {self.args.timeout:.0f} s; see {self.log}"
                ) from None
        if done.returncode != 0:
            raise StepFailed(f"{step} exited {done.returncode}; see {self.log}")

    def install(self) -> bool:
        """Make the venv and install TF + the suite; False when it was already there."""
        requirement = f"{self.args.package}=={self.version}"
        mark = self.venv / INSTALL_MARK
        wanted = {"requirement": requirement, "deps": list(SUITE_DEPS), "repo": str(REPO)}
        if mark.exists() and json.loads(mark.read_text()) == wanted:
            return False
        self.venv.mkdir(parents=True, exist_ok=True)
        self.run("venv", [self.args.python, "-m", "venv", str(self.venv)])
        pip = [str(self.python), "-m", "pip", "install", "-q"]
        self.run("install", [*pip, requirement, *SUITE_DEPS])
        self.run("install", [*pip, "--no-deps", "-e", str(REPO)])
        mark.write_text(json.dumps(wanted))
        return True

    def up_to_date(self) -> bool:
        state = self.venv / STATE_FILE
        if self.args.force or not state.exists():
            return False
        saved = json.loads(state.read_text())
        return saved.get("fingerprint") == fingerprint(
            self.version, self.args.package
        ) and saved.get("baseline_sha256") == file_hash(self.baseline)

    def record(self) -> None:
        # taken before recording: an edit made while it runs makes the next sweep redo it
        self.recorded_from = fingerprint(self.version, self.args.package)
        self.baseline.parent.mkdir(parents=True, exist_ok=True)
        self.run(
            "record",
            [
                str(self.python),
                "-m",
                "conformance",
                "record",
                "--engine",
                "tensorflow",
                "cases",
                "-o",
                str(self.baseline),
                "-q",
            ],
        )

    def check(self) -> str:
        """Run the live release against its baseline; the summary counts, or raise."""
        record = self.venv / "check.json"
        try:
            self.run(
                "check",
                [
                    str(self.python),
                    "-m",
                    "conformance",
                    "run",
                    "--engine",
                    "tensorflow",
                    "--against",
                    str(self.baseline),
                    "cases",
                    "--json",
                    str(record),
                    "--html",
                    str(self.venv / "check.html"),
                    "-q",
                ],
            )
        finally:
            counts = summary_counts(record)
        return counts

    def save_state(self, outcome: Outcome) -> None:
        state = {
            "fingerprint": self.recorded_from,
            "baseline_sha256": file_hash(self.baseline),
            "seconds": outcome.seconds,
            "counts": outcome.counts,
        }
        (self.venv / STATE_FILE).write_text(json.dumps(state, indent=1))


def summary_counts(record_path: Path) -> str:
    """``"tensorflow: 380 passed, 0 failed, 4 skipped"`` from a run record, if any."""
    if not record_path.exists():
        return ""
    results = json.loads(record_path.read_text())["results"]
    counts: dict[str, int] = {}
    for result in results:
        if result["engine"] == "tensorflow":
            counts[result["status"]] = counts.get(result["status"], 0) + 1
    shown = {"passed": 0, "failed": 0, **counts}
    return ", ".join(f"{n} {status}" for status, n in shown.items())


def sweep_one(release: Release) -> Outcome:
    outcome = Outcome(release.version)
    steps = (("install", release.install), ("record", release.record), ("check", release.check))
    for name, step in steps:
        started = time.monotonic()
        try:
            value = step()
        except StepFailed as exc:
            outcome.status, outcome.message = "failed", str(exc)
            outcome.counts = summary_counts(release.venv / "check.json") if name == "check" else ""
            return outcome
        finally:
            outcome.seconds[name] = round(time.monotonic() - started, 1)
        if name == "install" and value is False and release.up_to_date():
            outcome.status = "up to date (recorded from the current cases and harness)"
            return outcome
        if name == "check":
            outcome.counts = value
    outcome.status = "recorded"
    release.save_state(outcome)
    return outcome


def describe(outcome: Outcome) -> str:
    steps = ", ".join(f"{name} {secs:.0f} s" for name, secs in outcome.seconds.items())
    line = f"TF {outcome.release}: {outcome.status} in {outcome.total:.0f} s ({steps})"
    if outcome.counts:
        line += f"; {outcome.counts}"
    return line + (f"\n    {outcome.message}" if outcome.message else "")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started, outcomes = time.monotonic(), []
    print(
        f"recording {len(args.releases)} release(s) into {args.out} (venvs in {args.venvs})",
        flush=True,
    )
    for version in args.releases:
        print(f"TF {version}: working…", flush=True)
        outcomes.append(sweep_one(Release(version, args)))
        print(describe(outcomes[-1]), flush=True)
    failed = [o.release for o in outcomes if o.status == "failed"]
    print(
        f"sweep: {len(outcomes) - len(failed)} of {len(outcomes)} release(s) passed in "
        f"{time.monotonic() - started:.0f} s" + (f"; failed: {', '.join(failed)}" if failed else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
