"""Nothing a case does or returns breaks the run, and run-level faults are handled.

Each test rebuilds one observed fault (a NaN expectation, a fork, a lone
surrogate, a huge array, control characters, a stray child process, a torn
journal line, two runs on one journal, Ctrl-C, SIGTERM, an unwritable output
path) and asserts the property: the right status on the right case, the
later results unchanged, valid output files and a clean machine.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conformance.journal import Journal, read_journal

ROOT = Path(__file__).resolve().parent.parent
FAKE_CASES = ROOT / "tests" / "faulty_engines" / "cases.yaml"


def case(case_id: str, program: str, expect: str, title: str | None = None) -> str:
    """One case entry; `expect` is the YAML of its ``expect:`` mapping."""
    program = textwrap.indent(textwrap.dedent(program).strip() + "\n", "    ")
    expect = textwrap.indent(textwrap.dedent(expect).strip() + "\n", "    ")
    return (
        f"- id: {case_id}\n  title: {title or json.dumps(case_id)}\n  doc: a fault.\n"
        "  source: https://www.tensorflow.org/guide/autodiff\n  tags: [fault]\n"
        f"  program: |\n{program}  expect:\n{expect}"
    )


LATER = case("later", "g = 1.0 + 1.0", "g: {python: 2.0}")


def run(
    tmp: Path,
    *args: str,
    cases: str | None = None,
    engine: str = "reference",
    env: dict | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess:
    """``conformance run`` on `cases` (YAML text) with outputs in `tmp`."""
    paths = []
    if cases is not None:
        (tmp / "cases.yaml").write_text(cases)
        paths = [str(tmp / "cases.yaml")]
    command = [
        sys.executable,
        "-m",
        "conformance",
        "run",
        *paths,
        "--engine",
        engine,
        "--json",
        str(tmp / "r.json"),
        "--html",
        str(tmp / "r.html"),
        *args,
    ]
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env or _env(tmp)
    )


def _env(tmp: Path) -> dict:
    private = tmp / "systmp"
    private.mkdir(exist_ok=True)
    return dict(
        os.environ,
        TMPDIR=str(private),
        TF_CPP_MIN_LOG_LEVEL="2",
        PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    )


def results(tmp: Path) -> dict[str, dict]:
    record = json.loads((tmp / "r.json").read_text())
    return {r["case"].rpartition("/")[2]: r for r in record["results"]}


@pytest.mark.parametrize("special", [".nan", ".inf"])
def test_a_nan_or_inf_expectation_is_a_mismatch_and_every_writer_survives_it(tmp_path, special):
    cases = case("special", "p = 1.0", f"p: {{python: {special}}}") + LATER
    proc = run(tmp_path, "--junit", str(tmp_path / "j.xml"), cases=cases)
    assert proc.returncode == 1, proc.stderr
    found = results(tmp_path)
    assert found["special"]["status"] == "failed" and found["later"]["status"] == "passed"
    assert found["special"]["mismatches"][0]["expected"] in ("nan", "inf")
    ET.parse(tmp_path / "j.xml")
    journal = tmp_path / "r.journal.jsonl"
    assert len(read_journal(journal).results) == 2
    resumed = run(tmp_path, "--resume", str(journal))
    assert resumed.returncode == 1 and "Traceback" not in resumed.stderr


def test_a_huge_integer_result_is_recorded_as_text(tmp_path):
    proc = run(tmp_path, cases=case("big", "n = 10**5000", "n: {python: 1}") + LATER)
    assert proc.returncode == 1, proc.stderr
    found = results(tmp_path)
    assert found["big"]["status"] == "failed"
    assert found["big"]["outcome"]["values"]["n"]["value"].startswith("<int of 5001 digits: 1000")
    assert found["later"]["status"] == "passed"


def test_a_fork_never_answers_and_a_failing_case_after_it_still_fails(tmp_path):
    forks = case(
        "forks",
        """
        import os
        pid = os.fork()
        if pid:
          os.waitpid(pid, 0)
        child = pid == 0
        """,
        "child: {python: false}",
    )
    must_fail = case("must-fail", "g = 1.0", "g: {python: 2.0}")
    proc = run(tmp_path, "--timeout", "20", cases=forks + must_fail + LATER)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    found = results(tmp_path)
    assert found["forks"]["status"] == "passed"
    assert any("forked the worker" in leak for leak in found["forks"]["leaks"])
    assert found["must-fail"]["status"] == "failed" and found["later"]["status"] == "passed"


def test_lone_surrogates_reach_every_report_escaped(tmp_path):
    (tmp_path / "r.html").write_text("previous report")
    cases = (
        case(
            "surrogate",
            """
        print('\\ud800')
        raise ValueError('\\udcff')
        """,
            "x: {python: 1}",
            title='"\\ud800 title"',
        )
        + LATER
    )
    proc = run(tmp_path, "--junit", str(tmp_path / "j.xml"), cases=cases)
    assert proc.returncode == 1, proc.stderr
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "\\ud800" in html and "\\udcff" in html
    found = results(tmp_path)
    assert found["surrogate"]["outcome"]["exception"]["message"] == "\udcff"
    assert found["surrogate"]["outcome"]["output"] == "\ud800\n"
    ET.parse(tmp_path / "j.xml")
    assert run(tmp_path, cases=cases).returncode == 1  # the journal reads back too


def test_control_characters_give_parseable_junit_and_an_escaped_terminal(tmp_path):
    cases = (
        case("colors", "print('\\x1b[31m\\x00')\ns = '\\x1b[31m\\x00'", "s: {python: plain}")
        + LATER
    )
    proc = run(tmp_path, "--junit", str(tmp_path / "j.xml"), cases=cases)
    assert proc.returncode == 1
    assert "\x1b" not in proc.stdout and "\\x1b[31m\\x00" in proc.stdout
    failure = next(
        c
        for c in ET.parse(tmp_path / "j.xml").getroot().iter("testcase")
        if c.find("failure") is not None
    ).find("failure")
    assert "\\x1b[31m\\x00" in failure.text


def test_a_huge_array_is_capped_in_the_worker_and_still_compared(tmp_path):
    cases = (
        case(
            "zeros-right",
            "z = np.zeros(10_000_000, np.float32)",
            "z: {ndarray: 0.0, dtype: float32, shape: [10000000]}",
        )
        + case(
            "zeros-wrong",
            "z = np.zeros(10_000_000, np.float32)",
            "z: {ndarray: 1.0, dtype: float32, shape: [10000000]}",
        )
        + LATER
    )
    started = time.monotonic()
    proc = run(tmp_path, cases=cases)
    assert proc.returncode == 1, proc.stderr
    assert time.monotonic() - started < 60
    found = results(tmp_path)
    assert found["zeros-right"]["status"] == "passed"
    assert found["zeros-wrong"]["status"] == "failed"
    assert found["zeros-wrong"]["mismatches"][0]["field"] == "value"
    capped = found["zeros-right"]["outcome"]["values"]["z"]
    assert capped["value"] is None and capped["capped"]["elements"] == 10_000_000
    assert (tmp_path / "r.json").stat().st_size < 1_000_000


def _sleepers() -> list[str]:
    out = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line.strip() == "sleep 97"]


def test_a_child_process_ends_with_its_case_and_is_named(tmp_path):
    cases = (
        case(
            "starts-child",
            "import subprocess\np = subprocess.Popen(['sleep', '97'])",
            "p: {type: Popen}",
        )
        + case(
            "child-and-hang",
            """
                 import subprocess, time
                 p = subprocess.Popen(['sleep', '97'])
                 time.sleep(100)
                 """,
            "p: {type: Popen}",
        )
        + LATER
    )
    proc = run(tmp_path, "--timeout", "3", cases=cases)
    assert proc.returncode == 1
    found = results(tmp_path)
    assert "(sleep) still running (killed)" in found["starts-child"]["leaks"][0]
    assert found["child-and-hang"]["status"] == "timeout"
    assert found["later"]["status"] == "passed"
    assert _sleepers() == []


def test_symlink_loops_and_fifos_are_located_errors(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "good.yaml").write_text(LATER)
    (cases / "loop.yaml").symlink_to(cases / "loop.yaml")
    os.mkfifo(cases / "pipe.yaml")
    for command in ("list", "run"):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "conformance",
                command,
                str(cases),
                *(
                    [
                        "--engine",
                        "reference",
                        "--json",
                        str(tmp_path / "r.json"),
                        "--html",
                        str(tmp_path / "r.html"),
                    ]
                    if command == "run"
                    else []
                ),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 3, proc.stderr
        assert "Traceback" not in proc.stderr
        assert (
            f"{cases / 'loop.yaml'}:1: cannot read the file: Too many levels of "
            "symbolic links" in proc.stderr
        )
        assert (
            f"{cases / 'pipe.yaml'}:1: cannot read the file: not a regular file (a FIFO)"
            in proc.stderr
        )


def test_an_unwritable_output_path_is_refused_before_any_case_runs(tmp_path):
    (tmp_path / "file").write_text("")
    started = time.monotonic()
    proc = run(tmp_path, "--junit", str(tmp_path / "file" / "j.xml"), cases=LATER)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"conformance: error: {tmp_path / 'file' / 'j.xml'}: cannot create it: "
        f"{tmp_path / 'file'} is not a directory"
    ]
    assert not (tmp_path / "r.journal.jsonl").exists() and not (tmp_path / "r.json").exists()
    assert time.monotonic() - started < 30


def test_a_torn_last_journal_line_is_cut_and_no_record_is_lost(tmp_path):
    cases = LATER + case("second", "h = 3", "h: {python: 3}")
    assert run(tmp_path, cases=cases).returncode == 0
    journal = tmp_path / "r.journal.jsonl"
    lines = journal.read_text().splitlines(keepends=True)
    journal.write_text("".join(lines[:-1]) + lines[-1][:25])  # killed mid-write
    proc = run(tmp_path, "--resume", str(journal))
    assert proc.returncode == 0, proc.stderr
    contents = read_journal(journal)
    assert contents.bad_lines == 0 and len(contents.results) == 2
    assert {r["status"] for r in results(tmp_path).values()} == {"passed"}


def test_a_second_run_on_the_same_journal_is_refused(tmp_path):
    journal = tmp_path / "shared.jsonl"
    with Journal(journal, []):
        proc = run(tmp_path, "--journal", str(journal), cases=LATER)
    assert proc.returncode == 2
    assert "another conformance run is writing this journal" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "signum, status, how", [(signal.SIGINT, 130, "Ctrl-C"), (signal.SIGTERM, 143, "SIGTERM")]
)
def test_an_interrupted_run_writes_the_partial_report_and_says_how_to_resume(
    tmp_path, signum, status, how
):
    slow = FAKE_CASES.read_text()
    env = _env(tmp_path)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "conformance",
            "run",
            str(FAKE_CASES),
            "--engine",
            "tests.faulty_engines.hang",
            "--timeout",
            "60",
            "--json",
            str(tmp_path / "r.json"),
            "--html",
            str(tmp_path / "r.html"),
        ],
        cwd=ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    journal = tmp_path / "r.journal.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_lines(journal)) < 2:  # "constant" finished
        time.sleep(0.1)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == status, err
    assert "Traceback" not in err
    assert f"interrupted ({how}) after 1 of 4 case(s)" in err
    assert f"conformance run --resume {journal}" in err
    assert [r["case"] for r in json.loads((tmp_path / "r.json").read_text())["results"]] == [
        "cases/constant"
    ]
    assert "constant" in (tmp_path / "r.html").read_text() and slow
    assert list((tmp_path / "systmp").iterdir()) == []


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text().splitlines()
    except OSError:
        return []


def test_ids_and_tags_with_a_trailing_newline_are_refused(case_dir):
    from conformance.loader import load_cases

    root = case_dir(
        bad=LATER.replace("- id: later", '- id: "later\\n"')
        + case("tagged", "x = 1", "x: {python: 1}").replace("tags: [fault]", 'tags: ["fault\\n"]')
    )
    loaded = load_cases([root])
    assert loaded.cases == []
    messages = sorted(str(e) for e in loaded.errors)
    assert len(messages) == 2 and all("must be one line" in m for m in messages)


def test_pytest_last_failed_and_failed_first_select_the_failed_items(pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    pytester.makefile(".yaml", cases=FAKE_CASES.read_text())
    args = [
        "--conformance-cases",
        str(pytester.path),
        "--conformance-engine",
        "tests.faulty_engines.fake",
        "--conformance-engine",
        "tests.faulty_engines.abort",
        "--conformance-timeout",
        "20",
    ]
    pytester.runpytest_subprocess(*args).assert_outcomes(passed=6, failed=2)
    last_failed = pytester.runpytest_subprocess(*args, "--lf", "-v")
    last_failed.assert_outcomes(failed=2)  # only the two failed items ran
    last_failed.stdout.fnmatch_lines(
        ["*cases.yaml::square-gradient[[]tests.faulty_engines.abort[]]*"]
    )
    failed_first = pytester.runpytest_subprocess(*args, "--ff", "-v")
    failed_first.assert_outcomes(passed=6, failed=2)
    ran = [line for line in failed_first.outlines if "cases.yaml::" in line and "::" in line]
    assert all("abort" in line for line in ran[:2]), ran
