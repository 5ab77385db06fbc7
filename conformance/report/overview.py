"""The report's overview pictures: causes per engine and pass/fail bars per topic.

`causes_view` turns `conformance.causes` into rows with a bar width (share of
the engine's largest cause); `topic_bars` counts, per topic (a case file,
e.g. ``persistence``) and engine, the results of each status class, as
percentages for a stacked bar; `unsupported_view` lists the APIs each engine
lacks with their case counts.
"""

from __future__ import annotations

from collections.abc import Callable

from .. import causes as grouping

BAR_CLASSES = ("passed", "failed", "unsupported", "other")  # stacked in this order
SHOWN_CASES = 8


def causes_view(record: dict, anchor_of: Callable[[str], str]) -> list[dict]:
    """Per engine with causes: each cause's signature, counts, bar width and cases."""
    view = []
    for engine, found in grouping.causes(record).items():
        if not found:
            continue
        largest = max(len(c.results) for c in found)
        view.append(
            {
                "engine": engine,
                "causes": [
                    {
                        "signature": cause.signature,
                        "results": len(cause.results),
                        "n_cases": len(cause.cases),
                        "width": round(100 * len(cause.results) / largest, 1),
                        "cases": [(case, anchor_of(case)) for case in cause.cases[:SHOWN_CASES]],
                        "more": max(0, len(cause.cases) - SHOWN_CASES),
                        "also": sorted(cause.also.items()),
                        "through": [
                            (grouping.through_text(n), seen)
                            for seen, n in sorted(cause.through.items())
                        ],
                    }
                    for cause in found
                ],
            }
        )
    return view


def topic_bars(record: dict, engines: list[str]) -> list[dict]:
    """Per topic, per engine: counts per bar class and their percentages."""
    counts: dict[str, dict[str, dict[str, int]]] = {}
    for result in record["results"]:
        topic = result["case"].rsplit("/", 1)[0]
        per_engine = counts.setdefault(topic, {e: dict.fromkeys(BAR_CLASSES, 0) for e in engines})
        cls = _bar_class(result["status"])
        per_engine.setdefault(result["engine"], dict.fromkeys(BAR_CLASSES, 0))[cls] += 1
    return [
        {
            "topic": topic,
            "engines": [
                _bar(engine, per_engine[engine]) for engine in engines if engine in per_engine
            ],
        }
        for topic, per_engine in sorted(counts.items())
    ]


def _bar_class(status: str) -> str:
    if status in ("passed", "xfailed"):
        return "passed"
    if status in grouping.FAILING:
        return "failed"
    return "unsupported" if status == "unsupported" else "other"


def _bar(engine: str, counts: dict[str, int]) -> dict:
    total = sum(counts.values()) or 1
    return {
        "engine": engine,
        "total": sum(counts.values()),
        "counts": counts,
        "parts": [
            {"cls": cls, "n": counts[cls], "pct": round(100 * counts[cls] / total, 2)}
            for cls in BAR_CLASSES
            if counts[cls]
        ],
    }


def unsupported_view(record: dict) -> dict[str, list[tuple[str, int]]]:
    """Per engine, the APIs it lacks and how many cases each made unsupported."""
    found: dict[str, dict[str, set[str]]] = {}
    for result in record["results"]:
        if result["status"] == "unsupported":
            api = result.get("unsupported_api") or "unknown"
            found.setdefault(result["engine"], {}).setdefault(api, set()).add(result["case"])
    return {
        engine: sorted(
            ((api, len(ids)) for api, ids in apis.items()), key=lambda item: (-item[1], item[0])
        )
        for engine, apis in found.items()
    }
