"""The scoreboard: many records on one page (engines x releases x shards)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance.cli import main
from conformance.errors import UsageError
from conformance.scoreboard import build_board, score
from tests.conftest import GOOD_CASE

# Eight cases; the last one fails on every engine (its expectation is wrong on purpose).
CASES = (
    "\n".join(GOOD_CASE.replace("id: square", f"id: square-{i}") for i in range(7))
    + "\n"
    + GOOD_CASE.replace("id: square", "id: wrong").replace("tensor: 6.0", "tensor: 7.0")
)


def _run(root: Path, out: Path, *extra: str) -> Path:
    main(
        [
            "run",
            str(root),
            "--in-process",
            "-q",
            "--engine",
            "reference",
            *extra,
            "--json",
            str(out),
            "--html",
            str(out.with_suffix(".html")),
        ]
    )
    return out


def _as_release(path: Path, version: str, out: Path) -> Path:
    """The record as if its engine were another release (a CI job on another TF)."""
    record = json.loads(path.read_text())
    for engine in record["metadata"]["engines"]:
        engine["version"] = engine["tf_version"] = version
    out.write_text(json.dumps(record))
    return out


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("board")
    root = tmp / "cases"
    root.mkdir()
    (root / "topic.yaml").write_text(CASES)
    found = {f"s{k}": _run(root, tmp / f"s{k}.json", "--shard", f"{k}/3") for k in (1, 2, 3)}
    found["old"] = _as_release(_run(root, tmp / "whole.json"), "2.15.1", tmp / "old.json")
    return found


def test_board_pools_shards_and_separates_releases(records):
    board = build_board([records["s1"], records["s3"], records["old"], records["s2"]])
    assert [(c.engine, c.release) for c in board.columns] == [
        ("reference", "2.15.1"),
        ("reference", "2.21.0"),
    ]
    old, new = board.columns
    assert old.whole and old.missing_shards() == []
    assert sorted(new.shards) == [1, 2, 3] and new.missing_shards() == []
    for column in board.columns:
        assert score(column.counts()) == {"passed": 7, "judged": 8, "percent": 87.5, "problems": 1}
        assert column.overlaps == []


def test_board_marks_a_missing_shard_and_an_overlap(records):
    board = build_board([records["s1"], records["s3"], records["s3"]])
    (column,) = board.columns
    assert column.missing_shards() == [2]
    held = len(json.loads(records["s3"].read_text())["results"])
    assert len(column.overlaps) == held > 0


def test_score_leaves_skipped_results_unjudged():
    assert score({"passed": 3, "failed": 1, "skipped": 4}) == {
        "passed": 3,
        "judged": 4,
        "percent": 75.0,
        "problems": 1,
    }
    assert score({"skipped": 2})["percent"] is None


def test_scoreboard_command_writes_the_page(records, tmp_path, capsys):
    out = tmp_path / "board.html"
    assert (
        main(
            [
                "scoreboard",
                str(records["old"]),
                str(records["s1"]),
                str(records["s2"]),
                "-o",
                str(out),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "reference 2.15.1 (TF 2.15.1): 7/8 passed (87.5%)" in printed
    assert "lacks shard(s) 3 of 3" in printed
    page = out.read_text()
    assert "missing shard 3/3" in page and "<script src" not in page and "http-equiv" in page


def test_scoreboard_refuses_a_file_that_is_not_a_record(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[]")
    with pytest.raises(UsageError, match="not a conformance run record"):
        build_board([bad])
