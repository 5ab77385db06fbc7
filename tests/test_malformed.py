"""Malformed and hostile case files: each gives one located error, never a
traceback, and the valid cases beside them still load and run.

Every file in tests/malformed/ starts with ``# expect: line=N case=ID
good=G match=REGEX``: the one error it must produce (its line, its case id
or ``-``, a regex its message must match) and how many valid cases in the
same file must still load.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conformance.loader import MAX_FILE_BYTES, load_cases, load_file

ROOT = Path(__file__).resolve().parent.parent
MALFORMED = ROOT / "tests" / "malformed"
FILES = sorted(MALFORMED.glob("*.yaml"))
FAKE_CASES = ROOT / "tests" / "faulty_engines" / "cases.yaml"
HEADER = re.compile(rb"# expect: line=(\d+) case=(\S+) good=(\d+) match=(.*)\n")
VALID = """\
- id: same
  title: a valid case
  doc: Valid.
  source: https://www.tensorflow.org/api_docs/python/tf/constant
  tags: [fake]
  program: |
    c = tf.constant(1.0)
  expect:
    c: 1.0
"""


def expectation(path: Path) -> tuple[int, str | None, int, str]:
    found = HEADER.match(path.read_bytes())
    assert found, f"{path.name} has no '# expect:' header"
    line, case, good, match = found.groups()
    case_id = None if case == b"-" else case.decode()
    return int(line), case_id, int(good), match.decode()


def test_the_corpus_covers_at_least_30_kinds_of_malformed_files():
    assert len(FILES) >= 30


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_a_malformed_file_gives_one_error_with_file_line_and_case(path):
    line, case_id, good, pattern = expectation(path)
    cases, errors = load_file(path)
    assert len(errors) == 1, [str(e) for e in errors]
    error = errors[0]
    text = str(error)
    assert text.startswith(f"{path}:{line}:"), text
    assert error.case_id == case_id
    assert (f"[{case_id}]" in text) == (case_id is not None)
    assert re.search(pattern, error.message), error.message
    assert "Traceback" not in text and "internal error" not in text
    assert [case.local_id for case in cases] == ["good"] * good


def test_python_tags_never_construct_anything(tmp_path, monkeypatch):
    called = []
    monkeypatch.setattr(os, "system", lambda *a: called.append(a) or 0)
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text(VALID + f"  x: !!python/object/apply:os.system ['touch {marker}']\n")
    cases, errors = load_file(path)
    assert not called and not marker.exists()
    assert cases == [] and "!!python/object/apply:os.system" in errors[0].message


def test_a_50_mb_file_is_refused_without_being_parsed(tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as handle:
        handle.write(VALID.encode())
        chunk = b"# " + b"x" * (1024 * 1024 - 3) + b"\n"
        for _ in range(50):
            handle.write(chunk)
    assert big.stat().st_size > 50 * 1024 * 1024 > MAX_FILE_BYTES
    started = time.perf_counter()
    cases, errors = load_file(big)
    assert time.perf_counter() - started < 2.0
    assert cases == [] and len(errors) == 1
    assert str(errors[0]).startswith(f"{big}:1:") and "limited to" in errors[0].message


def test_the_same_id_in_two_files_is_two_cases(tmp_path):
    (tmp_path / "a.yaml").write_text(VALID)
    (tmp_path / "b.yaml").write_text(VALID)
    loaded = load_cases([tmp_path])
    assert loaded.errors == []
    assert [case.id for case in loaded.cases] == ["a/same", "b/same"]


def test_a_file_given_twice_is_loaded_once(tmp_path):
    (tmp_path / "a.yaml").write_text(VALID)
    loaded = load_cases([tmp_path, tmp_path / "a.yaml"])
    assert loaded.errors == [] and [case.id for case in loaded.cases] == ["a/same"]


def test_two_files_with_the_same_full_id_are_an_error_naming_both(tmp_path):
    for root in ("one", "two"):
        (tmp_path / root).mkdir()
        (tmp_path / root / "x.yaml").write_text(VALID)
    loaded = load_cases([tmp_path / "one", tmp_path / "two"])
    assert [case.path for case in loaded.cases] == [str(tmp_path / "one" / "x.yaml")]
    assert len(loaded.errors) == 1
    text = str(loaded.errors[0])
    assert text.startswith(f"{tmp_path / 'two' / 'x.yaml'}:1: [same]")
    assert str(tmp_path / "one" / "x.yaml") in text


def test_the_cli_reports_every_malformed_file_and_runs_the_valid_cases(tmp_path):
    out = tmp_path / "run.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "conformance",
            "run",
            str(MALFORMED),
            str(FAKE_CASES),
            "--engine",
            "tests.faulty_engines.fake",
            "--json",
            str(out),
            "--html",
            str(tmp_path / "run.html"),
            "--timeout",
            "20",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 3, proc.stderr  # malformed input, everything else passed
    assert "Traceback" not in proc.stdout + proc.stderr
    reported = [line for line in proc.stderr.splitlines() if line.startswith("case file error:")]
    assert len(reported) == len(FILES)
    for path in FILES:
        assert any(f"{path}:{expectation(path)[0]}:" in line for line in reported), path
    record = json.loads(out.read_text())
    good = sum(expectation(path)[2] for path in FILES)
    assert len(record["load_errors"]) == len(FILES)
    assert [r["status"] for r in record["results"]] == ["passed"] * (good + 4)
