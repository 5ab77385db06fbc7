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
    result = pytester.runpytest(
        "--co", "-q", "--conformance-engine", "tensorflow", "--conformance-engine", "reference"
    )
    result.stdout.fnmatch_lines(
        [
            "cases/a.yaml::square[[]tensorflow[]]",
            "cases/a.yaml::square[[]reference[]]",
            "*2 tests collected*",
        ]
    )
    assert "other.yaml" not in result.stdout.str()


def test_command_line_option_adds_a_directory(pytester):
    make_project(pytester, **{"more/b.yaml": GOOD_CASE})
    result = pytester.runpytest(
        "--co", "-q", "--conformance-engine", "tensorflow", "--conformance-cases", "more", "more"
    )
    result.stdout.fnmatch_lines(["more/b.yaml::square[[]tensorflow[]]"])


def test_cases_pass_and_tags_are_markers(pytester):
    make_project(pytester, **{"cases/a.yaml": GOOD_CASE + NONE_CASE})
    result = pytester.runpytest("-q", "--conformance-engine", "tensorflow", "-m", "none")
    result.assert_outcomes(passed=1, deselected=1)


def test_failure_shows_expected_and_observed_field_by_field(pytester):
    make_project(pytester, **{"cases/a.yaml": NONE_CASE})
    result = pytester.runpytest(
        "-q",
        "--conformance-engine",
        "tests.sample_engines.zeros_for_none",
        "-p",
        "no:cacheprovider",
        "--rootdir",
        str(pytester.path),
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*a/unconnected on tests.sample_engines.zeros_for_none "
            "(eager context): does not match the case*",
            "*- g: none*",
            "*expected: None*",
            "*observed: Tensor float32[[][]] 0.0*",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_divergence_from_the_baseline_fails_the_other_engine(pytester):
    # The case is silent on the dtype; the two engines are not.
    silent = GOOD_CASE.replace("{tensor: 6.0, dtype: float32, shape: []}", "6.0")
    make_project(pytester, **{"cases/a.yaml": silent})
    result = pytester.runpytest(
        "-q",
        "--conformance-engine",
        "tensorflow",
        "--conformance-engine",
        "tests.sample_engines.float64_gradients",
    )
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*float64_gradients (eager context): diverges from tensorflow*",
            "*- g: dtype*",
            "*tensorflow: float32*",
            "*float64_gradients: float64*",
            "*conformance divergences*",
            "a/square [[]tests.sample_engines.float64_gradients; eager[]] vs "
            "tensorflow: g dtype: float32 vs float64*",
        ]
    )


def test_malformed_file_is_one_failed_item_and_others_run(pytester):
    make_project(
        pytester,
        **{
            "cases/a.yaml": GOOD_CASE,
            "cases/b.yaml": GOOD_CASE.replace("tags: [watch]", "tags: 7"),
        },
    )
    result = pytester.runpytest("-q", "--conformance-engine", "tensorflow")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["*case file error: *b.yaml:5: [[]square[]] tags: 7 is not of type*"]
    )
    assert "Traceback" not in result.stdout.str()


def test_works_with_xdist(pytester):
    make_project(pytester, **{"cases/a.yaml": GOOD_CASE + NONE_CASE})
    result = pytester.runpytest_subprocess("-q", "-n", "2", "--conformance-engine", "tensorflow")
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
    make_project(pytester, **{"cases/a.yaml": GOOD_CASE + NONE_CASE, "known.yaml": EXPECTATIONS})
    result = pytester.runpytest(
        "-q",
        "-rxX",
        "--conformance-engine",
        "tests.sample_engines.zeros_for_none",
        "--conformance-xfails",
        "known.yaml",
        "--conformance-in-process",
    )
    result.assert_outcomes(xfailed=1, failed=1)  # the xfail that passes fails (strict)
    result.stdout.fnmatch_lines(
        [
            "*case a/square on*",
            "*XPASS(strict)*claims a failure*",
            "*1 xfails entry match no collected case*",
            "*known.yaml:8: tests.sample_engines.zeros_for_none 'gone/*'",
        ]
    )


def test_malformed_expectation_file_is_a_usage_error(pytester):
    make_project(pytester, **{"cases/a.yaml": GOOD_CASE, "known.yaml": "engine: [1, 2]\n"})
    result = pytester.runpytest("-q", "--conformance-xfails", "known.yaml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*known.yaml*"])


def test_fits_a_project_whose_conftest_defines_its_own_engine_option(pytester):
    make_project(
        pytester,
        **{
            "cases/a.yaml": GOOD_CASE,
            "conftest.py": """\
        def pytest_addoption(parser):
            parser.addoption("--engine", default="v8", help="the project's own engine")
            parser.addoption("--expectations", help="the project's own")

        """,
            "test_own.py": """\
        def test_the_project_keeps_its_option(pytestconfig):
            assert pytestconfig.getoption("--engine") == "spidermonkey"
        """,
        },
    )
    result = pytester.runpytest(
        "-q",
        "--engine",
        "spidermonkey",
        "test_own.py",
        "cases",
        "--conformance-engine",
        "reference",
        "-p",
        "no:cacheprovider",
    )
    result.assert_outcomes(passed=2)
    assert "conflicting option" not in result.stderr.str()


def test_engines_and_expectations_from_the_environment_and_the_ini(pytester, monkeypatch):
    make_project(
        pytester,
        **{
            "cases/a.yaml": GOOD_CASE + NONE_CASE,
            "known.yaml": """\
        tests.sample_engines.zeros_for_none:
          - case: a/unconnected
            status: xfail
            reason: zeros for None
        """,
        },
    )
    monkeypatch.setenv("CONFORMANCE_ENGINES", "tests.sample_engines.zeros_for_none")
    monkeypatch.setenv("CONFORMANCE_XFAILS", "known.yaml")
    result = pytester.runpytest("-q", "--conformance-in-process")
    result.assert_outcomes(passed=1, xfailed=1)
    monkeypatch.delenv("CONFORMANCE_ENGINES")
    monkeypatch.delenv("CONFORMANCE_XFAILS")
    pytester.makefile(
        ".ini",
        pytest=INI + "conformance_engines =\n    reference\n"
        "    tests.sample_engines.zeros_for_none\n"
        "conformance_xfails = known.yaml\n",
    )
    result = pytester.runpytest("-q", "--co", "--conformance-in-process")
    result.stdout.fnmatch_lines(
        [
            "cases/a.yaml::square[[]reference[]]",
            "cases/a.yaml::square[[]tests.sample_engines.zeros_for_none[]]",
        ]
    )


def test_no_collected_case_says_where_cases_come_from(pytester):
    pytester.makefile(".ini", pytest="[pytest]\n")
    result = pytester.runpytest("-q", "--conformance-engine", "reference")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    result.stdout.fnmatch_lines(
        ["*no conformance case was collected*conformance_cases*--pyargs conformance.builtin_cases*"]
    )
