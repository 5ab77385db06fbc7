"""``conformance drift``: per case, the release where its outcome changed, and never noise."""

from __future__ import annotations

import copy
import json

import pytest

from conformance import drift as drift_mod
from conformance.cli import main
from conformance.drift import compute_drift, format_drift
from conformance.report import write_json
from conformance.report.drift_html import render_drift_html
from tests.test_report_record import (
    GOOD,
    CannedEngine,
    exception,
    make_record,
    outcome,
    tensor,
)

RETRACE = (
    "{n} out of the last {n} calls to <function pfor.<locals>.f at 0x7fb5a46ab560> "
    "triggered tf.function retracing. Tracing is expensive"
)


def releases(tmp_path) -> dict[str, dict]:
    """Three releases of canned outcomes: what changes where is in each comment."""
    old = copy.deepcopy(GOOD)
    old["raises"]["logs"] = [
        {"source": "tensorflow", "level": "WARNING", "message": RETRACE.format(n=5)}
    ]
    old["raises"]["output"] = (
        "WARNING:absl:Importing a function (__inference_call_5169) "
        "with ops with unsaved custom gradients.\n"
    )
    mid = copy.deepcopy(GOOD)
    mid["vector"]["values"]["v"] = tensor([1.0, 2.000001, 3.0, 4.0])  # within float32 tolerance
    mid["hostile"]["exception"] = exception("TypeError", "</pre><b>now a TypeError</b>")
    mid["raises"]["exception"]["message"] += "\nTraceback (most recent call last): line 7"
    mid["raises"]["logs"] = [
        {
            "source": "tensorflow",
            "level": "WARNING",
            "message": RETRACE.format(n=6).replace("b5a4", "ef3f"),
        }
    ]
    new = copy.deepcopy(mid)
    new["square"] = outcome({"g": tensor(5.0)})  # beyond tolerance
    records = {}
    for version, outcomes in (("2.14.1", new), ("2.12.1", old), ("2.13.1", mid)):
        engine = CannedEngine("tensorflow", outcomes, version=version)
        records[version] = make_record(tmp_path / version, [engine])
    return records


@pytest.fixture
def drift(tmp_path):
    records = releases(tmp_path)
    return compute_drift([(f"{v}.json", r) for v, r in records.items()])


def changes(drift) -> dict[str, list[tuple[str, str, list[str]]]]:
    return {
        row.case: [
            (drift.releases[c.release].label, c.kind, [f["field"] for f in c.fields])
            for c in row.changes
        ]
        for row in drift.rows
        if row.changes
    }


def test_each_change_is_reported_at_the_release_where_it_starts(drift):
    assert [r.label for r in drift.releases] == ["2.12.1", "2.13.1", "2.14.1"]
    assert changes(drift) == {
        "demo/hostile": [("2.13.1", "outcome", ["exception_type", "exception_message"])],
        "demo/square": [("2.14.1", "outcome", ["value"])],
        "demo/vector": [("2.13.1", "numeric", ["value"])],
    }
    square = next(row for row in drift.rows if row.case == "demo/square")
    assert square.cells == ["passed", "passed", "failed"] and square.drifted
    vector = next(row for row in drift.rows if row.case == "demo/vector")
    assert not vector.drifted


def test_noise_is_not_drift(drift):
    """Tracebacks past the summary line, retracing warnings and their counts, object
    addresses, graph-function counters and logging lines in the output: demo/raises
    differs in all of these between the releases and shows no change."""
    raises = next(row for row in drift.rows if row.case == "demo/raises")
    assert raises.changes == []


def test_a_missing_release_is_a_gap_not_a_change(tmp_path):
    records = releases(tmp_path)
    records["2.13.1"]["results"] = [
        r for r in records["2.13.1"]["results"] if r["case"] != "demo/square"
    ]
    drift = compute_drift([(v, r) for v, r in records.items()])
    square = next(row for row in drift.rows if row.case == "demo/square")
    assert square.cells == ["passed", None, "failed"]
    (change,) = square.changes
    assert (change.since, change.release) == (0, 2)


def test_a_version_gate_shows_as_a_status_change(tmp_path):
    records = releases(tmp_path)
    for result in records["2.12.1"]["results"]:
        if result["case"] == "demo/square":
            result.update(status="skipped", outcome=None, error="the case applies to TF >=2.13")
    drift = compute_drift([(v, r) for v, r in records.items()])
    square = next(row for row in drift.rows if row.case == "demo/square")
    first = square.changes[0]
    assert (first.kind, first.old_status, first.new_status) == ("status", "skipped", "passed")
    assert first.fields[0]["detail"] == "the case applies to TF >=2.13"


def test_text_view_has_a_line_per_release_and_the_changes(drift):
    text = format_drift(drift)
    assert "drift over 3 releases: 2.12.1, 2.13.1, 2.14.1" in text
    assert (
        "  2.13.1  1 case changed (1 exception type, 1 exception message); "
        "1 within tolerance" in text
    )
    assert "  2.14.1  1 case changed (1 value)" in text
    assert "2.14.1 (since 2.13.1): g value: 6.0 → 5.0" in text
    assert "2 of 4 case results drifted, 1 more only within tolerance" in text
    assert "demo/raises" not in text


def test_page_highlights_changed_cells_and_escapes_case_text(drift):
    page = render_drift_html(drift)
    assert page.count('class="cell k-outcome"') == 2 and page.count('class="cell k-numeric"') == 1
    assert "<b>now a TypeError</b>" not in page and "&lt;b&gt;now a TypeError" in page
    assert "<img src=x" not in page
    assert "first at [1]: before 2.0, after 2.000001" in page


def test_cli_defaults_exit_codes_and_outputs(tmp_path, capsys):
    records = releases(tmp_path)
    paths = []
    for version, record in records.items():
        paths.append(tmp_path / f"tensorflow-{version}.json")
        write_json(record, paths[-1])
    html, out = tmp_path / "drift.html", tmp_path / "drift.json"
    args = ["drift", *map(str, paths), "--html", str(html), "--json", str(out)]
    assert main(args) == 0
    assert main([*args, "--fail-on-drift"]) == 1
    assert "k-outcome" in html.read_text()
    data = json.loads(out.read_text())
    assert [r["case"] for r in data["rows"]] == ["demo/hostile", "demo/square", "demo/vector"]
    capsys.readouterr()
    assert main(["drift", str(paths[0])]) == 2
    assert "drift needs at least two releases" in capsys.readouterr().err


def test_default_records_are_the_shipped_baselines(monkeypatch, tmp_path):
    records = releases(tmp_path)
    for version, record in records.items():
        write_json(record, tmp_path / "shipped" / f"tensorflow-{version}.json")
    monkeypatch.setattr(drift_mod, "SHIPPED_DIR", tmp_path / "shipped")
    loaded = drift_mod.load_records([])
    assert [p.rsplit("/", 1)[-1] for p, _ in loaded] == [
        "tensorflow-2.12.1.json",
        "tensorflow-2.13.1.json",
        "tensorflow-2.14.1.json",
    ]
