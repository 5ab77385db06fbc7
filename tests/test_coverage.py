"""Doc coverage: sections by URL and anchor, the shipped sections file, the command."""

from __future__ import annotations

import pytest

from conformance.cli import main
from conformance.coverage import (
    coverage_table,
    doc_sections,
    format_coverage,
    normalize_url,
    parse_sections,
)
from conformance.errors import UsageError
from conformance.loader import load_cases
from tests.test_report_record import CASES, write_cases

API = "https://www.tensorflow.org/api_docs/python/tf/"


def test_urls_compare_without_trailing_slash():
    assert (
        normalize_url("https://x.org/guide/autodiff/#gradient_tapes")
        == "https://x.org/guide/autodiff#gradient_tapes"
    )
    assert normalize_url(" https://x.org/a/ ") == "https://x.org/a"
    assert normalize_url("https://x.org/a#b") != normalize_url("https://x.org/a#c")


def test_shipped_sections_list_the_guides_and_the_api_members():
    sections = {s.id: s for s in doc_sections()}
    members = [
        "__init__",
        "watch",
        "stop_recording",
        "reset",
        "watched_variables",
        "gradient",
        "jacobian",
        "batch_jacobian",
    ]
    for member in members:
        assert sections[f"GradientTape/{member}"].url == f"{API}GradientTape#{member}"
    assert sections["ForwardAccumulator/jvp"].url == f"{API}autodiff/ForwardAccumulator#jvp"
    for name in ("custom_gradient", "stop_gradient", "UnconnectedGradients"):
        assert sections[name].url == f"{API}{name}"
    assert sum(s.group == "Guide: autodiff" for s in sections.values()) >= 14
    assert sections["advanced_autodiff/example_hessian"].urls[1].endswith("#hessian")


def test_cases_land_in_their_section_and_gaps_are_listed(tmp_path):
    text = CASES.replace("autodiff#gradient_tapes", "autodiff/#watches/")
    cases = load_cases([write_cases(tmp_path / "c", text)]).cases
    table = coverage_table(cases)
    by_id = {s["id"]: s["cases"] for s in table["sections"]}
    assert by_id["autodiff/controlling_what_the_tape_watches"] == ["demo/square"]
    assert by_id["GradientTape/gradient"] == ["demo/raises"]
    assert "autodiff/gradient_tapes" in table["uncovered"]
    assert [o["cases"] for o in table["other_sources"]] == [["demo/hostile"]]
    text = format_coverage(table)
    assert "Sections with no case:" in text and "demo/raises" in text


def test_sections_file_errors_are_typed():
    with pytest.raises(UsageError, match="sections/0: 'url' is a required property"):
        parse_sections("sections:\n  - {id: a, title: A, group: G}\n")
    twice = (
        "sections:\n  - {id: a, title: A, group: G, url: 'https://x/a'}\n"
        "  - {id: b, title: B, group: G, url: 'https://x/a/'}\n"
    )
    with pytest.raises(UsageError, match="belongs to both 'a' and 'b'"):
        parse_sections(twice)


def test_coverage_command(tmp_path, capsys):
    root = write_cases(tmp_path / "c")
    assert main(["coverage", str(root)]) == 0
    out = capsys.readouterr().out
    assert "Gradient tapes" in out and "demo/square" in out
    assert "Sections with no case:" in out
    assert main(["coverage", str(root), "-k", "nomatch"]) == 4
