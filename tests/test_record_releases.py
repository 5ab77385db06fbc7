"""scripts/record_releases.py without installing anything: steps are stubbed, the
bookkeeping (subsets, resuming, re-recording, failures, timings) is real."""

from __future__ import annotations

import json

import pytest

from tests.test_release_gates import _sweep_module

sweep = _sweep_module()


@pytest.fixture
def stubbed(tmp_path, monkeypatch):
    """Every step succeeds and is logged; `fail` names steps that exit 1."""
    calls: list[tuple[str, str]] = []
    fail: set[str] = set()

    def run(self, step, command):
        calls.append((self.version, step))
        if step in fail:
            raise sweep.StepFailed(f"{step} exited 1; see {self.log}")
        self.venv.mkdir(parents=True, exist_ok=True)
        if step == "record":
            self.baseline.parent.mkdir(parents=True, exist_ok=True)
            self.baseline.write_text(json.dumps({"recorded": self.version}))
        if step == "check":
            (self.venv / "check.json").write_text(
                json.dumps({"results": [{"engine": "tensorflow", "status": "passed"}] * 3})
            )

    monkeypatch.setattr(sweep.Release, "run", run)
    args = ["--venvs", str(tmp_path / "venvs"), "--out", str(tmp_path / "baselines")]
    return calls, fail, args


def test_a_subset_by_exact_version_or_minor():
    args = sweep.parse_args(["2.21.0", "2.16", "2.12.1"])
    assert args.releases == ["2.12.1", "2.16.2", "2.21.0"]
    with pytest.raises(SystemExit) as exc:
        sweep.parse_args(["2.11"])
    assert exc.value.code == 2


def test_a_rerun_skips_what_is_up_to_date_and_redoes_what_changed(stubbed, capsys):
    calls, _, args = stubbed
    assert sweep.main([*args, "2.15.1"]) == 0
    assert [step for _, step in calls] == ["venv", "install", "install", "record", "check"]
    out = capsys.readouterr().out
    assert "TF 2.15.1: recorded in" in out and "record 0 s" in out and "3 passed, 0 failed" in out
    calls.clear()
    assert sweep.main([*args, "2.15.1"]) == 0
    assert calls == []
    assert "TF 2.15.1: up to date (recorded from the current cases" in capsys.readouterr().out
    assert sweep.main([*args, "2.15.1", "--force"]) == 0
    assert [step for _, step in calls] == ["record", "check"]  # the venv is kept


def test_an_edited_baseline_or_corpus_is_re_recorded(stubbed, monkeypatch):
    calls, _, args = stubbed
    sweep.main([*args, "2.15.1"])
    baseline = sweep.parse_args(args).out / "tensorflow-2.15.1.json"
    baseline.write_text("{}")
    calls.clear()
    sweep.main([*args, "2.15.1"])
    assert [step for _, step in calls] == ["record", "check"]
    monkeypatch.setattr(sweep, "fingerprint", lambda release, package: "the cases changed")
    calls.clear()
    sweep.main([*args, "2.15.1"])
    assert [step for _, step in calls] == ["record", "check"]


def test_a_failing_release_does_not_stop_the_others_and_is_resumed(stubbed, capsys):
    calls, fail, args = stubbed
    fail.add("check")
    assert sweep.main([*args, "2.12", "2.13"]) == 1
    out = capsys.readouterr().out
    assert "TF 2.12.1: failed" in out and "check exited 1" in out
    assert "sweep: 0 of 2 release(s) passed" in out and "failed: 2.12.1, 2.13.1" in out
    fail.clear()
    calls.clear()
    assert sweep.main([*args, "2.12", "2.13"]) == 0
    assert [step for _, step in calls] == ["record", "check"] * 2  # installs were kept
