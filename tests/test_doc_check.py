"""``conformance doc-check``: each case's quote, looked up where its source points."""

from __future__ import annotations

import json
import textwrap
import types

import pytest

from conformance import doc_check
from conformance.cli import main
from conformance.doc_check import DocSources, check_quotes, closest_passage, normalize
from conformance.loader import builtin_cases_dir, load_cases

CASE = """\
- id: {id}
  title: a case
  doc: a case
  source: {source}
  quote: "{quote}"
  tags: [watch]
  program: |
    x = 1
  expect:
    x: {{python: 1}}
"""


class Tape:
    """Record operations for automatic differentiation.

    Operations are recorded if they are executed within this context manager
    and at least one of their inputs is being "watched".
    """

    def gradient(self, target):
        """Computes the gradient using operations recorded in context of this tape.

        Raises:
          RuntimeError: If called on a used, non-persistent tape.
        """

    @property
    def watched(self):
        """The variables `watched` by this tape, in **creation** order."""


def fake_tf() -> types.ModuleType:
    tf = types.ModuleType("tensorflow")
    tf.__file__ = "/nonexistent/tensorflow/__init__.py"
    tf.__version__ = "9.9.9"
    tf.GradientTape = Tape
    tf.autodiff = types.SimpleNamespace()
    return tf


def write_case_file(tmp_path, entries) -> list:
    text = "".join(CASE.format(id=f"c{i}", source=s, quote=q) for i, (s, q) in enumerate(entries))
    (tmp_path / "docs.yaml").write_text(text)
    loaded = load_cases([tmp_path / "docs.yaml"])
    assert not loaded.errors, loaded.errors
    return loaded.cases


def write_notebook(path, *cells: str) -> None:
    path.write_text(
        json.dumps(
            {"cells": [{"cell_type": "markdown", "source": c.splitlines(True)} for c in cells]}
        )
    )


API = "https://www.tensorflow.org/api_docs/python/tf/GradientTape"
GUIDE = "https://www.tensorflow.org/guide/autodiff#gradient_tapes"


def statuses(checks) -> list[str]:
    return [c.status for c in checks]


def test_api_quotes_are_found_across_line_breaks_and_markup(tmp_path):
    cases = write_case_file(
        tmp_path,
        [
            (
                API,
                (
                    "Operations are recorded if they are executed within this context manager and "
                    'at least one of their inputs is being \\"watched\\".'
                ),
            ),
            (API + "#gradient", "RuntimeError: If called on a used, non-persistent tape."),
            (API + "#watched", "The variables watched by this tape, in creation order."),
        ],
    )
    checks = check_quotes(cases, DocSources(fake_tf()))
    assert statuses(checks) == ["found", "found", "found"]
    assert {c.where for c in checks} == {"tf.GradientTape"}


def test_a_reworded_quote_is_changed_with_the_passage_there_now(tmp_path):
    cases = write_case_file(
        tmp_path,
        [
            (API, "Operations are recorded when they are executed within this context manager."),
            (API, "Sources must be floating-point tensors of rank at least two."),
        ],
    )
    changed, vanished = check_quotes(cases, DocSources(fake_tf()))
    assert changed.status == "changed" and changed.similarity >= doc_check.SIMILAR
    assert changed.closest.startswith("Operations are recorded if they are executed")
    assert vanished.status == "vanished" and vanished.closest is None


def test_missing_symbols_and_guides_are_unresolved_or_unchecked(tmp_path):
    cases = write_case_file(
        tmp_path,
        [
            ("https://www.tensorflow.org/api_docs/python/tf/autodiff/Gone", "anything at all"),
            (GUIDE, "use tf.GradientTape"),
        ],
    )
    gone, guide = check_quotes(cases, DocSources(fake_tf()))
    assert (gone.status, gone.where) == ("unresolved", "tf.autodiff.Gone does not exist")
    assert guide.status == "unchecked" and "--guide" in guide.where


def test_guide_quotes_are_looked_up_in_the_notebook(tmp_path):
    guides = tmp_path / "site" / "guide"
    guides.mkdir(parents=True)
    write_notebook(
        guides / "autodiff.ipynb",
        "## Gradient tapes\n",
        "TensorFlow provides the `tf.GradientTape` API for\n[automatic "
        "differentiation](https://en.wikipedia.org/wiki/AD); that is, computing.",
    )
    cases = write_case_file(
        tmp_path,
        [
            (GUIDE, "TensorFlow provides the `tf.GradientTape` API for automatic differentiation"),
            ("https://www.tensorflow.org/guide/advanced_autodiff", "Stop gradient"),
        ],
    )
    for where in (tmp_path / "site", guides / "autodiff.ipynb"):
        found, other = check_quotes(cases, DocSources(fake_tf(), [where]))
        assert (found.status, found.where) == ("found", str(guides / "autodiff.ipynb"))
        assert other.status == "unchecked"
        assert "advanced_autodiff.ipynb" in other.where


def test_normalize_and_closest_passage():
    assert normalize("a  `b`\n **c** [d](http://x) <a id='y'></a>e") == "a b c d e"
    passage, ratio = closest_passage("the quick brown fox", "so the quick brown cat sat")
    assert passage == "the quick brown cat" and 0.7 < ratio < 1


@pytest.fixture
def cli_tf(monkeypatch):
    monkeypatch.setattr(doc_check, "import_tensorflow", fake_tf)


def test_cli_exit_codes(tmp_path, capsys, cli_tf):
    good = tmp_path / "good"
    good.mkdir()
    write_case_file(good, [(API + "#gradient", "If called on a used, non-persistent tape.")])
    assert main(["doc-check", str(good)]) == 0
    assert "TensorFlow 9.9.9: 1 quotes: 1 found" in capsys.readouterr().out
    bad = tmp_path / "bad"
    bad.mkdir()
    write_case_file(bad, [(API, "A sentence TensorFlow never wrote, in any release.")])
    out = tmp_path / "checks.json"
    assert main(["doc-check", str(bad), "--json", str(out)]) == 1
    assert "VANISHED docs/c0: in tf.GradientTape" in capsys.readouterr().out
    assert json.loads(out.read_text())["checks"][0]["status"] == "vanished"
    guide_only = tmp_path / "guide"
    guide_only.mkdir()
    write_case_file(guide_only, [(GUIDE, "use tf.GradientTape")])
    assert main(["doc-check", str(guide_only)]) == 4
    assert main(["doc-check", str(good), "--guide", str(tmp_path / "missing")]) == 2
    assert "--guide: no such file" in capsys.readouterr().err


def test_cli_malformed_case_file_is_exit_3_and_the_rest_is_checked(tmp_path, capsys, cli_tf):
    write_case_file(tmp_path, [(API + "#gradient", "If called on a used, non-persistent tape.")])
    (tmp_path / "broken.yaml").write_text(
        textwrap.dedent("""\
        - id: broken
          title: no program
    """)
    )
    assert main(["doc-check", str(tmp_path)]) == 3
    assert "1 found" in capsys.readouterr().out


def test_every_api_quote_of_the_corpus_is_in_the_installed_tensorflow():
    """The built-in cases against the TensorFlow installed here (2.21.0 in CI)."""
    tf = pytest.importorskip("tensorflow")
    cases = [
        c
        for c in load_cases([builtin_cases_dir()]).cases
        if c.quote and doc_check.GUIDE_PAGE.match(c.source) is None
    ]
    checks = doc_check.quietly(check_quotes, cases, DocSources(tf))
    assert len(checks) > 100
    assert [(c.case, c.status, c.closest) for c in checks if c.status in doc_check.PROBLEMS] == []
    assert sum(c.status == "found" for c in checks) > 100
