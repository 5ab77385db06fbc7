"""Merge run records: the shards of a run, and runs of other engines and releases.

``conformance merge RECORD... -o OUT`` reads records written by ``conformance
run`` (with or without ``--shard``) or ``conformance record`` and writes one
record holding all their results, in the order an unsharded run would have
written them: cases in the order of the suite's selection, then context, then
engine. Everything derived from the results (summary, capabilities, coverage,
xfails counts) is recomputed from the merged results, so the merged
record of a run's N shards is the record of the unsharded run, except for
what is measured per run:

* ``metadata.started``: the earliest start of the merged runs;
* ``metadata.duration_seconds``: the sum of their durations (machine time);
* ``results[].seconds``: each result keeps the time its own run measured;
* ``metadata.merged_from``: which file brought which engines and shard.

A run's engine is identified by its name and version. Records of the same
engine name at different versions (TensorFlow 2.20 and 2.21, each in its own
CI job) are combined with the engine renamed ``name@version`` in every place
that names it. Divergences are those each run found between the engines it
ran together; merge does not compare engines that ran in different jobs
(``conformance diff`` compares two records).

Refused, with a `MergeRefused` naming the files: records of different suites
(another suite version, another case selection, or a case whose text
differs), two records that both hold results of one engine for the same
shard (or one unsharded and one sharded), shards of one engine cut with
different N, and an incomplete set of shards unless ``partial`` is set.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UsageError
from .report.record import read_record, strict_json, validate_record
from .result import Divergence, Result, RunOutcome, unsupported_apis

PER_RUN_METADATA = ("started", "duration_seconds", "merged_from")


class MergeRefused(UsageError):
    """The records cannot be merged into one (different suites, overlapping shards)."""


@dataclass
class Source:
    """One record given to merge, with what identifies its part of the whole."""

    path: str
    record: dict
    engines: list[tuple[str, str]] = field(default_factory=list)  # (name, version)

    @property
    def shard(self) -> dict | None:
        return self.record.get("shard")

    @property
    def shard_text(self) -> str:
        return f"shard {self.shard['index']}/{self.shard['count']}" if self.shard else "unsharded"

    @property
    def selection(self) -> dict:
        """The case selection the run was cut from (older records: their cases)."""
        return self.record.get("selection") or {
            "case_ids": list(self.record["cases"]),
            "digest": None,
        }


def read_sources(paths: Sequence[Path]) -> list[Source]:
    """Read and validate every record (a `UsageError` for an unreadable one)."""
    sources = []
    for path in paths:
        record = read_record(Path(path))
        engines = [(e["name"], str(e.get("version"))) for e in record["metadata"]["engines"]]
        sources.append(Source(str(path), record, engines))
    return sources


def merge_records(sources: Sequence[Source], partial: bool = False) -> dict:
    """The one record of `sources` (see the module docstring); raises `MergeRefused`."""
    if not sources:
        raise UsageError("merge: no records given")
    check_same_suite(sources)
    check_shards(sources, partial)
    names = engine_names(sources)
    order = _Order(sources[0].selection["case_ids"], _contexts_of(sources), list(names.values()))
    results = order.sorted(_renamed_results(sources, names), "engine")
    divergences = order.sorted(_renamed_divergences(sources, names), "engine")
    merged = _assemble(sources, names, order, results, divergences)
    merged = strict_json(_in_key_order(merged, sources[0].record))
    validate_record(merged, "merged record")
    return merged


# ----------------------------------------------------------------- refusals


def check_same_suite(sources: Sequence[Source]) -> None:
    """Refuse records of another suite version, case selection or case text."""
    first = sources[0]
    for other in sources[1:]:
        mine, theirs = (s.record["metadata"]["suite_version"] for s in (first, other))
        if mine != theirs:
            raise MergeRefused(
                f"{first.path} was written by conformance {mine} and "
                f"{other.path} by {theirs}: records of different suites"
            )
    seen: dict[str, tuple[str, dict]] = {}
    for source in sources:
        for case_id, entry in source.record["cases"].items():
            text = {k: v for k, v in entry.items() if k != "path"}  # paths differ per machine
            earlier = seen.setdefault(case_id, (source.path, text))
            if earlier[1] != text:
                raise MergeRefused(
                    f"case {case_id} differs between {earlier[0]} and "
                    f"{source.path}: records of different suites"
                )
    for other in sources[1:]:
        _same_selection(first, other)


def _same_selection(first: Source, other: Source) -> None:
    mine, theirs = first.selection, other.selection
    if mine["case_ids"] != theirs["case_ids"]:
        extra = [i for i in theirs["case_ids"] if i not in set(mine["case_ids"])]
        missing = [i for i in mine["case_ids"] if i not in set(theirs["case_ids"])]
        example = (
            f"{other.path} also has {extra[0]}"
            if extra
            else f"{other.path} lacks {missing[0]}"
            if missing
            else "the order differs"
        )
        raise MergeRefused(
            f"{first.path} and {other.path} ran different case selections "
            f"({len(mine['case_ids'])} vs {len(theirs['case_ids'])} cases; "
            f"{example}): records of different suites"
        )
    if None not in (mine["digest"], theirs["digest"]) and mine["digest"] != theirs["digest"]:
        raise MergeRefused(
            f"{first.path} and {other.path} ran the same case ids with "
            "different case texts (the digests of their selections differ): "
            "records of different suites"
        )


def check_shards(sources: Sequence[Source], partial: bool = False) -> list[str]:
    """Refuse two records holding one engine's results for the same cases, and
    (unless `partial`) an engine with missing shards; returns what is missing."""
    held: dict[tuple[str, str], list[Source]] = {}
    for source in sources:
        for key in source.engines:
            held.setdefault(key, []).append(source)
    missing = []
    for key, group in held.items():
        _no_overlap(key, group)
        missing += _missing_shards(key, group)
    if missing and not partial:
        raise MergeRefused(
            f"incomplete: {'; '.join(missing)} (give every shard's record, "
            "or --partial to merge what there is)"
        )
    return missing


def _no_overlap(key: tuple[str, str], group: Sequence[Source]) -> None:
    engine = f"{key[0]} {key[1]}"
    for i, one in enumerate(group):
        for other in group[i + 1 :]:
            if one.shard is None or other.shard is None or one.shard == other.shard:
                raise MergeRefused(
                    f"{one.path} ({one.shard_text}) and {other.path} "
                    f"({other.shard_text}) both hold results of {engine} "
                    "for the same cases: overlapping records"
                )
            if one.shard["count"] != other.shard["count"]:
                raise MergeRefused(
                    f"{one.path} ({one.shard_text}) and {other.path} "
                    f"({other.shard_text}) cut the cases of {engine} into "
                    "different numbers of shards: overlapping records"
                )


def _missing_shards(key: tuple[str, str], group: Sequence[Source]) -> list[str]:
    if group[0].shard is None:
        return []
    count = group[0].shard["count"]
    absent = sorted(set(range(1, count + 1)) - {s.shard["index"] for s in group})
    return [f"{key[0]} {key[1]} lacks shard {i}/{count}" for i in absent]


# ----------------------------------------------------------------- combining


def engine_names(sources: Sequence[Source]) -> dict[tuple[str, str], str]:
    """(name, version) → the engine's name in the merged record: its own, or
    ``name@version`` when the records hold that name at several versions."""
    keys = list(dict.fromkeys(key for source in sources for key in source.engines))
    versions: dict[str, set[str]] = {}
    for name, version in keys:
        versions.setdefault(name, set()).add(version)
    return {
        (name, version): name if len(versions[name]) == 1 else f"{name}@{version}"
        for name, version in keys
    }


class _Order:
    """The unsharded run's order: case (selection order), context (as the case lists
    them), engine (first appearance)."""

    def __init__(
        self, case_ids: Sequence[str], contexts: dict[str, list[str]], engines: Sequence[str]
    ) -> None:
        self.ids = list(case_ids)
        self.case = {case_id: i for i, case_id in enumerate(self.ids)}
        self.contexts, self.engine = contexts, {name: i for i, name in enumerate(engines)}

    def key(self, case_id: str, context: str, engine: str) -> tuple[int, int, int]:
        listed = self.contexts.get(case_id, [])
        return (
            self.case.get(case_id, len(self.case)),
            listed.index(context) if context in listed else len(listed),
            self.engine.get(engine, len(self.engine)),
        )

    def sorted(self, items: list[dict], engine_field: str) -> list[dict]:
        return sorted(items, key=lambda d: self.key(d["case"], d["context"], d[engine_field]))


def _contexts_of(sources: Sequence[Source]) -> dict[str, list[str]]:
    return {
        case_id: entry.get("contexts") or ["eager"]
        for source in reversed(sources)
        for case_id, entry in source.record["cases"].items()
    }


def _rename(source: Source, names: dict[tuple[str, str], str], name: str) -> str:
    version = dict(source.engines).get(name)
    return names.get((name, version), name) if version is not None else name


def _renamed_results(sources: Sequence[Source], names: dict) -> list[dict]:
    return [
        {**r, "engine": _rename(s, names, r["engine"])}
        for s in sources
        for r in s.record["results"]
    ]


def _renamed_divergences(sources: Sequence[Source], names: dict) -> list[dict]:
    return [
        {
            **d,
            "baseline": _rename(s, names, d["baseline"]),
            "engine": _rename(s, names, d["engine"]),
        }
        for s in sources
        for d in s.record["divergences"]
    ]


def _assemble(
    sources: Sequence[Source],
    names: dict,
    order: _Order,
    results: list[dict],
    divergences: list[dict],
) -> dict:
    first = sources[0].record
    record = {
        "schema": first["schema"],
        "schema_version": first["schema_version"],
        "metadata": _metadata(sources, names),
        "summary": _summary(results, divergences, list(names.values())),
        "load_errors": _unique(e for s in sources for e in s.record["load_errors"]),
        "engine_errors": _unique(e for s in sources for e in s.record["engine_errors"]),
        "cases": _cases(sources, order),
        "results": results,
        "divergences": divergences,
    }
    record.update(_optional_keys(sources, names, order, results))
    return record


def _optional_keys(
    sources: Sequence[Source], names: dict, order: _Order, results: list[dict]
) -> dict:
    """The keys a record may lack, combined from the records that have them."""
    first, record = sources[0].record, {}
    if all("coverage" in s.record for s in sources):
        record["coverage"] = _coverage([s.record["coverage"] for s in sources], order)
    if any("capabilities" in s.record for s in sources):
        record["capabilities"] = unsupported_apis(_as_results(results))
    if all("selection" in s.record for s in sources):
        record["selection"] = first["selection"]
    xfails = [s for s in sources if "xfails" in s.record]
    if xfails:
        record["xfails"] = _xfails(xfails, names, order)
    missing = check_shards(sources, partial=True)
    if missing:
        record["partial"] = {"missing": missing}
    return record


def _metadata(sources: Sequence[Source], names: dict) -> dict:
    metas = [s.record["metadata"] for s in sources]
    described: dict[tuple[str, str], dict] = {}
    for source, meta in zip(sources, metas):
        for key, engine in zip(source.engines, meta["engines"]):
            described.setdefault(key, {**engine, "name": names[key]})
    merged = {
        **metas[0],
        "engines": list(described.values()),
        "python": _joined(m["python"] for m in metas),
        "platform": _joined(m["platform"] for m in metas),
        "started": min((m["started"] for m in metas), key=_instant),
        "duration_seconds": round(sum(m["duration_seconds"] for m in metas), 3),
    }
    merged["merged_from"] = [
        {
            "file": Path(s.path).name,
            "engines": [names[k] for k in s.engines],
            "shard": s.shard and f"{s.shard['index']}/{s.shard['count']}",
            "started": m["started"],
            "duration_seconds": m["duration_seconds"],
        }
        for s, m in zip(sources, metas)
    ]
    return merged


def _instant(text: str) -> Any:
    from datetime import datetime

    try:
        return datetime.fromisoformat(text).timestamp()
    except (TypeError, ValueError):  # a malformed time sorts last
        return float("inf")


def _joined(values: Any) -> str:
    return "; ".join(dict.fromkeys(str(v) for v in values))


def _unique(items: Any) -> list:
    kept: list = []
    for item in items:
        if item not in kept:
            kept.append(item)
    return kept


def _cases(sources: Sequence[Source], order: _Order) -> dict:
    entries: dict[str, dict] = {}
    for source in sources:
        for case_id, entry in source.record["cases"].items():
            entries.setdefault(case_id, entry)
    return dict(sorted(entries.items(), key=lambda item: order.key(item[0], "", "")[0]))


def _as_results(results: Sequence[dict]) -> list[Result]:
    return [
        Result(
            r["case"],
            r["engine"],
            r["context"],
            r["status"],
            unsupported_api=r.get("unsupported_api"),
        )
        for r in results
    ]


def _summary(results: list[dict], divergences: list[dict], engines: list[str]) -> dict:
    from types import SimpleNamespace

    from .report.record import summarize

    run = RunOutcome(
        results=_as_results(results),
        divergences=[
            Divergence(d["case"], d["context"], d["baseline"], d["engine"], []) for d in divergences
        ],
        engines=[SimpleNamespace(name=name) for name in engines],
    )
    return summarize(run)


def _coverage(tables: Sequence[dict], order: _Order) -> dict:
    def ids(lists: Any) -> list[str]:
        return sorted(
            dict.fromkeys(i for found in lists for i in found),
            key=lambda i: order.key(i, "", "")[0],
        )

    sections = [
        {
            **section,
            "cases": ids(t["sections"][n]["cases"] for t in tables if n < len(t["sections"])),
        }
        for n, section in enumerate(tables[0]["sections"])
    ]
    urls = sorted({o["url"] for t in tables for o in t["other_sources"]})
    others = [
        {
            "url": url,
            "cases": ids(o["cases"] for t in tables for o in t["other_sources"] if o["url"] == url),
        }
        for url in urls
    ]
    return {
        **tables[0],
        "sections": sections,
        "uncovered": [s["id"] for s in sections if not s["cases"]],
        "other_sources": others,
    }


def _xfails(sources: Sequence[Source], names: dict, order: _Order) -> dict:
    files = {s.record["xfails"]["file"] for s in sources}
    if len(files) > 1:
        raise MergeRefused(
            f"the records applied different xfails files "
            f"({', '.join(sorted(files))}): records of different suites"
        )
    changed = order.sorted(
        [
            {**c, "engine": _rename(s, names, c["engine"])}
            for s in sources
            for c in s.record["xfails"]["changed"]
        ],
        "engine",
    )
    first = sources[0].record["xfails"]
    return {
        **first,
        "changed": changed,
        "stale": _unique(e for s in sources for e in s.record["xfails"]["stale"]),
        "expected_divergences": sum(s.record["xfails"]["expected_divergences"] for s in sources),
        "counts": {
            status: sum(c["status"] == status for c in changed) for status in first["counts"]
        },
    }


def _in_key_order(record: dict, template: dict) -> dict:
    """`record` with its keys in `template`'s order (the unsharded run's), others after."""
    keys = [k for k in template if k in record] + [k for k in record if k not in template]
    ordered = {k: record[k] for k in keys}
    if "metadata" in template:
        meta = ordered["metadata"]
        ordered["metadata"] = {
            k: meta[k]
            for k in [
                *(k for k in template["metadata"] if k in meta),
                *(k for k in meta if k not in template["metadata"]),
            ]
        }
    return ordered


def comparable(record: dict) -> dict:
    """`record` without what is measured per run (`PER_RUN_METADATA`, the results'
    ``seconds``): two records of the same cases, engines and outcomes compare equal."""
    metadata = {k: v for k, v in record["metadata"].items() if k not in PER_RUN_METADATA}
    results = [{k: v for k, v in r.items() if k != "seconds"} for r in record["results"]]
    return {**record, "metadata": metadata, "results": results}


def summary_lines(sources: Sequence[Source], record: dict) -> list[str]:
    """What ``conformance merge`` prints: per engine, the counts of its statuses."""
    lines = [
        (
            f"merged {len(sources)} record(s): {len(record['results'])} results of "
            f"{len(record['cases'])} cases"
        )
    ]
    for name, counts in record["summary"]["engines"].items():
        shown = ", ".join(
            f"{n} {status}" for status, n in counts.items() if n or status in ("passed", "failed")
        )
        lines.append(f"  {name}: {shown}")
    lines.append(f"  divergences: {record['summary']['divergences']}")
    for missing in record.get("partial", {}).get("missing", []):
        lines.append(f"  PARTIAL: {missing}")
    return lines
