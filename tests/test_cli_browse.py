"""``conformance list``, ``show`` and ``engines``: reading the corpus and the engine names."""

import pytest

from conformance.cli import main
from conformance.engines import resolve_engine
from conformance.engines.catalog import suggest
from conformance.errors import EngineUnavailable


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_k_that_matches_nothing_exits_4_and_says_so(capsys):
    code, out, err = run(capsys, "list", "-k", "nomatch-anywhere")
    assert code == 4 and out == ""
    assert "no case matched -k 'nomatch-anywhere'" in err


def test_list_can_show_tags_and_sources(capsys):
    code, out, _ = run(capsys, "list", "--tags", "--sources", "-k", "second-gradient-call-raises")
    assert code == 0
    (line,) = [
        line
        for line in out.splitlines()
        if line.startswith("persistence/second-gradient-call-raises ")
    ]
    assert line.endswith(
        "[persistence, error]  https://www.tensorflow.org/api_docs/python/tf/GradientTape#gradient"
    )


def test_show_prints_doc_quote_source_program_and_expectation(capsys):
    code, out, _ = run(capsys, "show", "second-gradient-call-raises")
    assert code == 0
    assert out.startswith("persistence/second-gradient-call-raises: A non-persistent tape")
    for part in (
        "doc:\n  The resources of a non-persistent GradientTape",
        "documented:\n  > RuntimeError: If called on a used, non-persistent tape.",
        "source: https://www.tensorflow.org/api_docs/python/tf/GradientTape#gradient",
        "program:\n  x = tf.Variable(2.0)",
        "expectation:\n  expect:\n    first:",
        "raises:\n    type: RuntimeError",
    ):
        assert part in out


def test_show_names_the_cases_a_case_builds_on(capsys):
    code, out, _ = run(capsys, "show", "unconnected-zeros-dtype-follows-unconnected-gradients")
    assert code == 0
    assert "\n  builds on: unconnected/default-is-none\n" in out
    _, plain, _ = run(capsys, "show", "second-gradient-call-raises")
    assert "builds on" not in plain


def test_show_of_an_unknown_id_suggests_the_closest(capsys):
    code, _, err = run(capsys, "show", "persistence/second-gradient-call-raise")
    assert code == 2
    assert "did you mean persistence/second-gradient-call-raises" in err


def test_engines_lists_builtins_mutants_and_baselines(capsys):
    code, out, _ = run(capsys, "engines")
    assert code == 0
    assert "  tensorflow  built-in: TensorFlow itself" in out
    assert "  reference   built-in: the suite's NumPy engine" in out
    assert "reusable_tape" in out and "tensorflow-2.21.0" in out


def test_a_misspelled_engine_gets_a_suggestion_without_importing_anything():
    assert suggest("tensorfow") == ["tensorflow"]
    assert suggest("conformance.mutants.reusable_tap")[0] == "conformance.mutants.reusable_tape"
    with pytest.raises(EngineUnavailable, match=r"did you mean 'tensorflow'.*conformance engines"):
        resolve_engine("tensorfow").load()
    assert suggest("zzzzzz") == []
