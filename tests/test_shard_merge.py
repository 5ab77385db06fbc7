"""Sharding (`conformance run --shard`) and merging (`conformance merge`)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from conformance.cli import main
from conformance.errors import UsageError
from conformance.merge import comparable
from conformance.shard import Shard, parse_shard, shard_of

# Cases with None gradients: the zeros-for-None engine diverges from the reference on
# some of them and fails some, so the record has failures, divergences and passes.
SELECTION = "none_gradients"
ENGINES = ["--engine", "reference", "--engine", "tests.sample_engines.zeros_for_none"]


def run(tmp_path: Path, name: str, *extra: str) -> Path:
    out = tmp_path / f"{name}.json"
    main(
        [
            "run",
            "--in-process",
            "-q",
            "-k",
            SELECTION,
            *ENGINES,
            *extra,
            "--json",
            str(out),
            "--html",
            str(tmp_path / f"{name}.html"),
        ]
    )
    return out


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    """The unsharded run and its three shards, each run on its own."""
    tmp = tmp_path_factory.mktemp("runs")
    found = {"full": run(tmp, "full")}
    for k in (1, 2, 3):
        found[f"s{k}"] = run(tmp, f"s{k}", "--shard", f"{k}/3")
    return found


def test_shard_of_partitions_ids_and_adding_ids_moves_none():
    ids = [f"topic{i % 7}/case-{i}" for i in range(300)]
    before = {case_id: shard_of(case_id, 4) for case_id in ids}
    assert set(before.values()) == {1, 2, 3, 4}
    assert all(
        Shard(before[i], 4).holds(i) and not Shard(before[i] % 4 + 1, 4).holds(i) for i in ids
    )
    added = [f"new/case-{i}" for i in range(50)] + ids
    assert {case_id: shard_of(case_id, 4) for case_id in added if case_id in before} == before


def test_shard_of_is_a_hash_not_a_position():
    # sha256("persistence/second-gradient-call-raises")[:8] big-endian, mod 3, plus 1:
    # fixed by the algorithm, so every machine and Python version agrees on it.
    import hashlib

    digest = hashlib.sha256(b"persistence/second-gradient-call-raises").digest()
    assert (
        shard_of("persistence/second-gradient-call-raises", 3)
        == int.from_bytes(digest[:8], "big") % 3 + 1
    )
    assert shard_of("x", 1) == 1


@pytest.mark.parametrize("text", ["0/3", "4/3", "1/0", "3", "a/b", "", "1/3/5"])
def test_parse_shard_refuses_bad_specs(text):
    with pytest.raises(UsageError, match="--shard"):
        parse_shard(text)


def test_run_rejects_a_bad_shard_as_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["run", "--shard", "5/4"])
    assert exited.value.code == 2
    assert "K must be between 1 and N" in capsys.readouterr().err


def test_shards_partition_the_run(runs):
    full = read(runs["full"])
    shards = [read(runs[f"s{k}"]) for k in (1, 2, 3)]
    ids = [list(s["cases"]) for s in shards]
    assert sorted(i for part in ids for i in part) == sorted(full["cases"]) and all(ids)
    assert all(s["selection"] == full["selection"] for s in shards)
    assert [s["shard"]["index"] for s in shards] == [1, 2, 3]
    assert "shard" not in full


def test_merged_shards_are_the_unsharded_record(runs, tmp_path):
    """The exact claim: equal as JSON text, key order included, once the per-run fields
    (metadata.started, metadata.duration_seconds, metadata.merged_from, results' seconds)
    are left out; every other byte of the merged record is the unsharded run's."""
    shuffled = [str(runs[f"s{k}"]) for k in (3, 1, 2)]
    random.Random(0).shuffle(shuffled)
    out = tmp_path / "merged.json"
    assert main(["merge", *shuffled, "-o", str(out)]) == 0
    full, merged = read(runs["full"]), read(out)
    assert full["divergences"] and full["summary"]["engines"]["reference"]["passed"]
    assert any(r["status"] == "failed" for r in full["results"])
    assert json.dumps(comparable(merged)) == json.dumps(comparable(full))
    assert [m["shard"] for m in merged["metadata"]["merged_from"]] == [
        read(Path(p))["shard"]["index"] and f"{read(Path(p))['shard']['index']}/3" for p in shuffled
    ]


def test_merge_refuses_the_same_shard_twice(runs, tmp_path, capsys):
    status = main(
        ["merge", str(runs["s1"]), str(runs["s2"]), str(runs["s1"]), "-o", str(tmp_path / "m.json")]
    )
    err = capsys.readouterr().err
    assert status == 3
    assert "shard 1/3" in err and "overlapping records" in err
    assert not (tmp_path / "m.json").exists()


def test_merge_refuses_a_shard_with_the_unsharded_run(runs, tmp_path, capsys):
    assert main(["merge", str(runs["full"]), str(runs["s2"]), "-o", str(tmp_path / "m.json")]) == 3
    assert "unsharded" in capsys.readouterr().err


def test_merge_refuses_a_missing_shard_unless_partial(runs, tmp_path, capsys):
    out = tmp_path / "m.json"
    assert main(["merge", str(runs["s1"]), str(runs["s3"]), "-o", str(out)]) == 3
    assert "lacks shard 2/3" in capsys.readouterr().err
    assert main(["merge", "--partial", str(runs["s1"]), str(runs["s3"]), "-o", str(out)]) == 0
    assert read(out)["partial"]["missing"] == [
        "reference 0.1.0 lacks shard 2/3",
        _zeros_name(runs) + " lacks shard 2/3",
    ]


def _zeros_name(runs) -> str:
    engine = read(runs["full"])["metadata"]["engines"][1]
    return f"{engine['name']} {engine['version']}"


def test_merge_refuses_records_of_different_suites(runs, tmp_path, capsys):
    other = tmp_path / "other.json"
    main(
        [
            "run",
            "--in-process",
            "-q",
            "-k",
            "persistence",
            "--engine",
            "reference",
            "--json",
            str(other),
            "--html",
            str(tmp_path / "o.html"),
        ]
    )
    assert main(["merge", str(runs["full"]), str(other), "-o", str(tmp_path / "m.json")]) == 3
    assert "different case selections" in capsys.readouterr().err


def test_merge_refuses_shards_run_on_different_case_texts(case_dir, tmp_path, capsys):
    """Shard 1 ran one checkout of the cases and shard 2 another, where a case that
    landed in shard 2 was edited: no record holds that case twice, yet merge refuses."""
    from tests.conftest import GOOD_CASE

    text = "\n".join(GOOD_CASE.replace("id: square", f"id: square-{i}") for i in range(8))
    roots = {"one": case_dir(a=text)}
    edited = tmp_path / "edited"
    edited.mkdir()
    (edited / "a.yaml").write_text(text.replace("y = x**2\n", "y = x**2  # edited\n", 8))
    records = []
    for k, root in ((1, roots["one"]), (2, edited)):
        out = tmp_path / f"s{k}.json"
        main(
            [
                "run",
                str(root),
                "--in-process",
                "-q",
                "--engine",
                "reference",
                "--shard",
                f"{k}/2",
                "--json",
                str(out),
                "--html",
                str(tmp_path / "r.html"),
            ]
        )
        assert read(out)["cases"], "each shard must hold a case for the test to mean much"
        records.append(str(out))
    assert main(["merge", *records, "-o", str(tmp_path / "m.json")]) == 3
    assert "different case texts" in capsys.readouterr().err


def test_merge_refuses_a_case_text_that_differs_between_records(runs, tmp_path, capsys):
    edited = read(runs["full"])
    first = next(iter(edited["cases"]))
    edited["cases"][first]["program"] += "\n# edited"
    for engine in edited["metadata"]["engines"]:
        engine["version"] = "0.0.9"  # another release, so the records do not overlap
    changed = tmp_path / "edited.json"
    changed.write_text(json.dumps(edited))
    assert main(["merge", str(changed), str(runs["full"]), "-o", str(tmp_path / "m.json")]) == 3
    assert f"case {first} differs" in capsys.readouterr().err


def test_merge_refuses_a_file_that_is_not_a_record(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"a": 1}')
    assert main(["merge", str(bad), "-o", str(tmp_path / "m.json")]) == 2
    assert "not a conformance run record" in capsys.readouterr().err


def test_merge_combines_releases_renaming_the_engine(runs, tmp_path):
    """Two runs of one engine name at two versions (two TF releases in two CI jobs)."""
    older = read(runs["full"])
    for engine in older["metadata"]["engines"]:
        engine["version"] = "0.0.9"
    old_path = tmp_path / "older.json"
    old_path.write_text(json.dumps(older))
    out = tmp_path / "m.json"
    assert main(["merge", str(old_path), str(runs["full"]), "-o", str(out)]) == 0
    merged = read(out)
    names = [e["name"] for e in merged["metadata"]["engines"]]
    ref, zeros = ((e["name"], e["version"]) for e in read(runs["full"])["metadata"]["engines"])
    assert names == [
        f"{ref[0]}@0.0.9",
        f"{zeros[0]}@0.0.9",
        f"{ref[0]}@{ref[1]}",
        f"{zeros[0]}@{zeros[1]}",
    ]
    assert set(merged["summary"]["engines"]) == set(names)
    counts = read(runs["full"])["summary"]["engines"]["reference"]
    assert merged["summary"]["engines"]["reference@0.0.9"] == counts
    assert len(merged["results"]) == 2 * len(older["results"])
    assert {d["baseline"] for d in merged["divergences"]} == {
        f"{ref[0]}@0.0.9",
        f"{ref[0]}@{ref[1]}",
    }
