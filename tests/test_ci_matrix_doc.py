"""docs/ci-matrix.yml stays runnable: valid YAML, and every conformance command in it
parses with today's command line, with files it names present in the repository."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

from conformance.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / "docs" / "ci-matrix.yml"


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _commands(workflow: dict) -> list[tuple[str, list[str]]]:
    """(job, argv) of every `conformance` line, with the matrix and env values put in."""
    found = []
    for name, job in workflow["jobs"].items():
        values = {
            "matrix.shard": "1",
            "matrix.tf": "2.21.0",
            "env.SHARDS": str(workflow["env"]["SHARDS"]),
        }
        env = {**workflow["env"], **job.get("env", {})}
        for step in job["steps"]:
            for line in str(step.get("run", "")).splitlines():
                if not line.strip().startswith("conformance "):
                    continue
                line = re.sub(r"\$\{\{\s*([\w.]+)\s*\}\}", lambda m, v=values: v[m.group(1)], line)
                line = re.sub(r"\$(\w+)", lambda m, e=env: str(e[m.group(1)]), line)
                found.append((name, shlex.split(line)[1:]))
    return found


def test_every_conformance_command_parses():
    commands = _commands(_workflow())
    assert {argv[0] for _, argv in commands} == {"run", "merge", "scoreboard"}
    parser = build_parser()
    for job, argv in commands:
        args = parser.parse_args(argv)  # exits (fails the test) on an unknown option
        for path in getattr(args, "against", None) or []:
            assert (ROOT / path).exists(), f"{job}: {path} is not in the repository"


def test_shard_lists_match_the_shard_count():
    workflow = _workflow()
    count = int(workflow["env"]["SHARDS"])
    for name in ("tensorflow", "engines"):
        assert workflow["jobs"][name]["strategy"]["matrix"]["shard"] == list(range(1, count + 1))
    shards = [
        argv[argv.index("--shard") + 1] for _, argv in _commands(workflow) if "--shard" in argv
    ]
    assert shards and all(s.endswith(f"/{count}") for s in shards)


def test_merge_runs_after_every_job_even_when_one_failed():
    jobs = _workflow()["jobs"]
    assert set(jobs["merge"]["needs"]) == set(jobs) - {"merge"}
    assert jobs["merge"]["if"] == "always()"
