"""The pytest plugin, driven through pytester: collection, ids, markers, failures, xdist."""

import textwrap

import pytest

from tests.conftest import GOOD_CASE
from tests.test_cli import NONE_CASE

INI = "[pytest]\nconformance_cases = cases\n"


@pytest.fixture(autouse=True)
def _tensorflow_imported_once(tf_engine):
    """Import TF in this process before pytester snapshots sys.modules.

    In-process pytester runs drop modules first imported inside them; TF's
    native libraries cannot be imported a second time in one process.
    """


def make_project(pytester, **files):
    pytester.makefile(".ini", pytest=INI)
    for name, text in files.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def test_collects_only_configured_directories(pytester):
    make_project(pytester, **{"cases/a.yaml": GOOD_CASE, "config/other.yaml": "key: value\n"})
    result = pytester.runpytest("--co", "-q", "--engine", "tensorflow", "--engine", "reference")
    result.stdout.fnmatch_lines(["cases/a.yaml::square[[]tensorflow[]]",
                                 "cases/a.yaml::square[[]reference[]]", "*2 tests collected*"])
    assert "other.yaml" not in result.stdout.str()


def test_command_line_option_adds_a_directory(pytester):
    make_project(pytester, **{"more/b.yaml": GOOD_CASE})
    result = pytester.runpytest("--co", "-q", "--engine", "tensorflow",
                                "--conformance-cases", "more", "more")
    result.stdout.fnmatch_lines(["more/b.yaml::square[[]tensorflow[]]"])


def test_cases_pass_and_tags_are_markers(pytester):
    make_project(pytester, **{"cases/a.yaml": GOOD_CASE + NONE_CASE})
    result = pytester.runpytest("-q", "--engine", "tensorflow", "-m", "none")
    result.assert_outcomes(passed=1, deselected=1)


def test_failure_shows_expected_and_observed_field_by_field(pytester):
    make_project(pytester, **{"cases/a.yaml": NONE_CASE})
    result = pytester.runpytest("-q", "--engine", "tests.sample_engines.zeros_for_none",
                                "-p", "no:cacheprovider", "--rootdir", str(pytester.path))
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*does not match the case*", "*- g: none*",
                                 "*expected: None*", "*observed: Tensor float32[[][]] 0.0*"])
    assert "Traceback" not in result.stdout.str()


def test_divergence_from_the_baseline_fails_the_other_engine(pytester):
    # The case is silent on the dtype; the two engines are not.
    silent = GOOD_CASE.replace("{tensor: 6.0, dtype: float32, shape: []}", "6.0")
    make_project(pytester, **{"cases/a.yaml": silent})
    result = pytester.runpytest("-q", "--engine", "tensorflow",
                                "--engine", "tests.sample_engines.float64_gradients")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*float64_gradients diverges from tensorflow*", "*- g: dtype*",
                                 "*tensorflow: float32*", "*float64_gradients: float64*"])


def test_malformed_file_is_one_failed_item_and_others_run(pytester):
    make_project(pytester, **{"cases/a.yaml": GOOD_CASE,
                              "cases/b.yaml": GOOD_CASE.replace("tags: [watch]", "tags: 7")})
    result = pytester.runpytest("-q", "--engine", "tensorflow")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*case file error: *b.yaml:5: [[]square[]] tags: 7 is not of type*"])
    assert "Traceback" not in result.stdout.str()


def test_works_with_xdist(pytester):
    make_project(pytester, **{"cases/a.yaml": GOOD_CASE + NONE_CASE})
    result = pytester.runpytest_subprocess("-q", "-n", "2", "--engine", "tensorflow")
    result.assert_outcomes(passed=2)


EXPECTATIONS = """\
tests.sample_engines.zeros_for_none:
  - case: a/unconnected
    status: xfail
    reason: zeros for None, by design
  - case: a/square
    status: xfail
    reason: claims a failure that does not happen
  - case: gone/*
    status: skip
    reason: a file that no longer exists
"""


def test_expectation_file_gives_strict_xfails_skips_and_stale_warnings(pytester):
    make_project(pytester, **{"cases/a.yaml": GOOD_CASE + NONE_CASE,
                              "known.yaml": EXPECTATIONS})
    result = pytester.runpytest("-q", "-rxX", "--engine", "tests.sample_engines.zeros_for_none",
                                "--expectations", "known.yaml", "--conformance-in-process")
    result.assert_outcomes(xfailed=1, failed=1)  # the xfail that passes fails (strict)
    result.stdout.fnmatch_lines(["*case a/square on*", "*XPASS(strict)*claims a failure*",
                                 "*known.yaml:8: expectation for *'gone/*' matches no collected*"])


def test_malformed_expectation_file_is_a_usage_error(pytester):
    make_project(pytester, **{"cases/a.yaml": GOOD_CASE, "known.yaml": "engine: [1, 2]\n"})
    result = pytester.runpytest("-q", "--expectations", "known.yaml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*known.yaml*"])
