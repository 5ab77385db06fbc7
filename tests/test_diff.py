"""``conformance diff``: what changed per case, exit 0 only when nothing did."""

from __future__ import annotations

import json

from conformance.cli import main
from conformance.diff import diff_records, format_diff
from conformance.report import write_json
from tests.test_report_record import BAD, GOOD, CannedEngine, exception, make_record, outcome, tensor


def records(tmp_path, old_outcomes, new_outcomes, new_name="tf"):
    old = make_record(tmp_path / "old", [CannedEngine("tf", old_outcomes, version="2.15.1")])
    new = make_record(tmp_path / "new", [CannedEngine(new_name, new_outcomes,
                                                      version="2.21.0")])
    return old, new


def test_status_and_field_changes_are_reported(tmp_path):
    old, new = records(tmp_path, GOOD, BAD)
    diff = diff_records(old, new)
    changes = {c["case"]: c for c in diff["changes"]}
    assert set(changes) == {"demo/square", "demo/vector"}
    square = changes["demo/square"]
    assert (square["kind"], square["old_status"], square["new_status"]) == \
        ("status", "passed", "failed")
    (field,) = square["fields"]
    assert (field["path"], field["field"], field["old"], field["new"]) == \
        ("g", "value", "6.0", "5.0")
    assert diff["counts"]["status"] == 2 and diff["changed"]
    text = format_diff(diff, ("old.json", "new.json"))
    assert "STATUS demo/square [tf eager]: passed → failed" in text
    assert text.endswith("2 change(s): 2 status")


def test_outcome_changes_without_status_change(tmp_path):
    changed = {**GOOD, "raises": outcome(
        {"first": tensor(4.0)},
        exception("RuntimeError", "A non-persistent GradientTape can only be used to compute "
                  "one set of gradients (or jacobians)"),
        logs=[{"source": "tensorflow", "level": "WARNING", "message": "new warning"}])}
    diff = diff_records(*records(tmp_path, GOOD, changed))
    (change,) = diff["changes"]
    assert change["kind"] == "outcome"
    assert [f["field"] for f in change["fields"]] == ["exception_message", "logs"]


def test_added_and_removed_cases_and_renamed_single_engines(tmp_path):
    fewer = {k: v for k, v in GOOD.items() if k != "raises"}
    old, new = records(tmp_path, GOOD, fewer, new_name="tensorflow")
    diff = diff_records(old, new)
    assert diff["pairs"] == [["tf", "tensorflow"]]
    (change,) = diff["changes"]
    assert (change["case"], change["kind"], change["new_status"]) == \
        ("demo/raises", "status", "error")
    new["results"] = [r for r in new["results"] if r["case"] != "demo/raises"]
    (change,) = diff_records(old, new)["changes"]
    assert (change["kind"], change["old_status"]) == ("removed", "passed")


def test_cli_exit_status_and_html(tmp_path, capsys):
    old, new = records(tmp_path, GOOD, BAD)
    paths = {}
    for name, record in (("old", old), ("new", new)):
        paths[name] = tmp_path / f"{name}.json"
        write_json(record, paths[name])
    assert main(["diff", str(paths["old"]), str(paths["old"])]) == 0
    assert capsys.readouterr().out.strip().endswith("no change")
    assert main(["diff", str(paths["old"]), str(paths["new"]), "--html",
                 str(tmp_path / "d.html")]) == 1
    assert "demo/vector" in (tmp_path / "d.html").read_text()


def test_unknown_schema_version_and_empty_records_are_refused(tmp_path, capsys):
    old, _ = records(tmp_path, GOOD, GOOD)
    good, future, empty = (tmp_path / n for n in ("good.json", "future.json", "empty.json"))
    write_json(old, good)
    future.write_text(json.dumps({**old, "schema_version": 2}))
    write_json({**old, "results": [], "divergences": []}, empty)
    assert main(["diff", str(future), str(good)]) == 2
    assert "record schema version 2 is not supported" in capsys.readouterr().err
    assert main(["diff", str(good), str(empty)]) == 4
    assert "ran no case" in capsys.readouterr().err
