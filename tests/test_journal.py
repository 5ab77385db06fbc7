"""The journal: every finished result survives ``kill -9``, and ``--resume``
runs only what is missing and writes the full report."""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conformance.errors import UsageError
from conformance.journal import read_journal
from conformance.loader import load_cases

ROOT = Path(__file__).resolve().parent.parent
SLOW_CASES = 8


def slow_cases(directory: Path, marker: Path) -> Path:
    """Cases on the `slow` engine that log their id and pid to `marker` when run."""
    text = ""
    for i in range(SLOW_CASES):
        text += textwrap.dedent(f"""\
            - id: slow-{i}
              title: slow case {i}
              doc: Takes a quarter of a second.
              source: https://www.tensorflow.org/guide/autodiff
              tags: [fake]
              program: |
                import os
                with open({str(marker)!r}, "a") as log:
                    log.write(f"slow-{i} {{os.getpid()}}\\n")
                x = tf.constant({i}.0)
                with tf.GradientTape() as tape:
                  tape.watch(x)
                  y = x * x
                g = tape.gradient(y, x)
              expect:
                g: {2.0 * i}
            """)
    path = directory / "slow.yaml"
    path.write_text(text)
    return path


def run_args(cases: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "conformance",
        "run",
        str(cases),
        "--engine",
        "tests.faulty_engines.slow",
        "--json",
        str(out),
        "--html",
        str(out.with_suffix(".html")),
        "--timeout",
        "30",
    ]


def journaled(path: Path) -> list[dict]:
    lines = path.read_text().splitlines()[1:] if path.exists() else []
    found = []
    for line in lines:
        with contextlib.suppress(ValueError):
            found.append(json.loads(line))
    return found


def alive(pid: int) -> bool:
    """True if `pid` runs (a zombie waiting to be reaped does not run)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def test_kill_9_keeps_every_finished_result_and_resume_completes_the_run(tmp_path):
    marker = tmp_path / "ran.log"
    cases = slow_cases(tmp_path, marker)
    out = tmp_path / "report.json"
    journal = tmp_path / "report.journal.jsonl"  # the default: beside --json
    proc = subprocess.Popen(
        run_args(cases, out), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while len(journaled(journal)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert not out.exists()  # the run really was cut short
    finished = {r["case"] for r in journaled(journal)}
    assert 3 <= len(finished) < SLOW_CASES
    ran_before = marker.read_text().splitlines()
    assert {f"slow/{line.split()[0]}" for line in ran_before} >= finished
    worker_pid = int(ran_before[-1].split()[1])
    time.sleep(1.0)
    assert not alive(worker_pid)  # the worker died with its parent

    resumed = subprocess.run(
        [
            sys.executable,
            "-m",
            "conformance",
            "run",
            "--resume",
            str(journal),
            "--json",
            str(out),
            "--html",
            str(tmp_path / "r.html"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    ran_after = [line.split()[0] for line in marker.read_text().splitlines()[len(ran_before) :]]
    assert not {f"slow/{case}" for case in ran_after} & finished  # nothing ran twice
    record = json.loads(out.read_text())
    assert [r["case"] for r in record["results"]] == [f"slow/slow-{i}" for i in range(SLOW_CASES)]
    assert {r["status"] for r in record["results"]} == {"passed"}
    assert {r["case"] for r in journaled(journal)} == {r["case"] for r in record["results"]}


def test_a_line_cut_short_is_ignored(tmp_path):
    journal = tmp_path / "j.jsonl"
    header = {"journal": "tf-autodiff-conformance/journal", "version": 1, "paths": []}
    good = {
        "case": "a/b",
        "engine": "e",
        "context": "eager",
        "status": "passed",
        "outcome": None,
        "mismatches": [],
        "case_hash": "x",
    }
    journal.write_text(
        json.dumps(header)
        + "\n"
        + json.dumps(good)
        + "\n"
        + json.dumps(good | {"case": "a/c"})[:30]
    )
    contents = read_journal(journal)
    assert list(contents.results) == [("a/b", "eager", "e")]
    assert contents.bad_lines == 1


def test_a_changed_case_is_run_again(tmp_path):
    cases = slow_cases(tmp_path, tmp_path / "ran.log")
    out = tmp_path / "r.json"
    proc = subprocess.run(
        run_args(cases, out) + ["-k", "slow-1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    journal = read_journal(tmp_path / "r.journal.jsonl")
    assert set(journal.prior_for(load_cases([cases]).cases)) == {
        ("slow/slow-1", "eager", "tests.faulty_engines.slow")
    }
    cases.write_text(cases.read_text().replace("Takes a quarter", "Takes about a quarter"))
    assert journal.prior_for(load_cases([cases]).cases) == {}


def test_a_file_that_is_not_a_journal_is_refused(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"case": "a"}\n')
    with pytest.raises(UsageError, match="not a conformance journal"):
        read_journal(path)
    with pytest.raises(UsageError, match="cannot read"):
        read_journal(tmp_path / "missing.jsonl")
