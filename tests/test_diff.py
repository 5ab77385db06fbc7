"""``conformance diff``: what changed per case, exit 0 only when nothing did."""

from __future__ import annotations

import json

from conformance.cli import main
from conformance.diff import diff_records, format_diff
from conformance.report import write_json
from tests.test_report_record import (
    BAD,
    GOOD,
    CannedEngine,
    exception,
    make_record,
    outcome,
    tensor,
)


def records(tmp_path, old_outcomes, new_outcomes, new_name="tf"):
    old = make_record(tmp_path / "old", [CannedEngine("tf", old_outcomes, version="2.15.1")])
    new = make_record(tmp_path / "new", [CannedEngine(new_name, new_outcomes, version="2.21.0")])
    return old, new


def test_status_and_field_changes_are_reported(tmp_path):
    old, new = records(tmp_path, GOOD, BAD)
    diff = diff_records(old, new)
    changes = {c["case"]: c for c in diff["changes"]}
    assert set(changes) == {"demo/square", "demo/vector"}
    square = changes["demo/square"]
    assert (square["kind"], square["old_status"], square["new_status"]) == (
        "behavior",
        "passed",
        "failed",
    )
    assert square["meaning"] == "behavior changed; no longer matches the case"
    (field,) = square["fields"]
    assert (field["path"], field["field"], field["old"], field["new"]) == (
        "g",
        "value",
        "6.0",
        "5.0",
    )
    assert diff["counts"]["behavior"] == 2 and diff["changed"]
    text = format_diff(diff, ("old.json", "new.json"))
    assert (
        "BEHAVIOR demo/square [tf eager]: behavior changed; no longer matches the case "
        "(passed → failed)"
    ) in text
    assert "    g value: 6.0 → 5.0" in text
    assert text.endswith("2 change(s): 2 behavior")


def test_outcome_changes_without_status_change(tmp_path):
    changed = {
        **GOOD,
        "raises": outcome(
            {"first": tensor(4.0)},
            exception(
                "RuntimeError",
                "A non-persistent GradientTape can only be used to compute "
                "one set of gradients (or jacobians)",
            ),
            logs=[{"source": "tensorflow", "level": "WARNING", "message": "new warning"}],
        ),
    }
    diff = diff_records(*records(tmp_path, GOOD, changed))
    (change,) = diff["changes"]
    assert change["kind"] == "behavior" and change["meaning"] == "behavior changed"
    assert [f["field"] for f in change["fields"]] == ["exception_message", "logs"]


def test_added_and_removed_cases_and_renamed_single_engines(tmp_path):
    fewer = {k: v for k, v in GOOD.items() if k != "raises"}
    old, new = records(tmp_path, GOOD, fewer, new_name="tensorflow")
    diff = diff_records(old, new)
    assert diff["pairs"] == [["tf", "tensorflow"]]
    (change,) = diff["changes"]
    assert (change["case"], change["kind"], change["new_status"]) == (
        "demo/raises",
        "verdict",
        "error",
    )
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
    assert (
        main(["diff", str(paths["old"]), str(paths["new"]), "--html", str(tmp_path / "d.html")])
        == 1
    )
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


def test_an_upgrade_that_makes_a_case_pass_is_a_behavior_change_not_good_news(tmp_path):
    """2.15 → 2.21 style: the case pins the new behavior, so the old release failed it and
    the new one passes; for someone upgrading, the behavior changed."""
    old, new = records(tmp_path, BAD, GOOD)
    text = format_diff(diff_records(old, new))
    assert (
        "BEHAVIOR demo/square [tf eager]: behavior changed; now matches the case (failed → passed)"
    ) in text
    assert "    g value: 5.0 → 6.0" in text


def test_an_edited_expectation_is_a_verdict_change_with_the_same_behavior(tmp_path):
    old, new = records(tmp_path, GOOD, GOOD)
    new["results"] = [dict(r) for r in new["results"]]
    square = next(r for r in new["results"] if r["case"] == "demo/square")
    square.update(
        status="failed",
        mismatches=[
            {
                "path": "g",
                "steps": ["g"],
                "field": "value",
                "expected": "7.0",
                "observed": "6.0",
                "detail": "",
            }
        ],
    )
    (change,) = diff_records(old, new)["changes"]
    assert change["kind"] == "verdict"
    assert change["meaning"] == "same behavior, judged differently; no longer matches the case"


def test_history_dependent_warnings_are_not_changes(tmp_path):
    retrace = {
        "source": "tensorflow",
        "level": "WARNING",
        "message": (
            "5 out of the last 5 calls to <function pfor.<locals>.f at 0x7fb5a46aa480> triggered "
            "tf.function retracing. Tracing is expensive"
        ),
    }
    noisy = {**GOOD, "square": {**GOOD["square"], "logs": [retrace]}}
    assert diff_records(*records(tmp_path, GOOD, noisy))["changes"] == []


def test_an_engine_in_one_record_only_is_listed_and_counted(tmp_path, capsys):
    old = make_record(tmp_path / "old", [CannedEngine("tf", GOOD), CannedEngine("a", GOOD)])
    new = make_record(
        tmp_path / "new",
        [CannedEngine("tf", GOOD), CannedEngine("a", GOOD), CannedEngine("extra", GOOD)],
    )
    diff = diff_records(old, new)
    text = format_diff(diff)
    assert "ENGINE only in new: extra (not compared)" in text
    assert text.endswith("1 change(s): 1 engine")
    paths = [tmp_path / "o.json", tmp_path / "n.json"]
    write_json(old, paths[0])
    write_json(new, paths[1])
    assert main(["diff", *map(str, paths)]) == 1
    assert main(["diff", str(paths[0]), str(paths[0])]) == 0
