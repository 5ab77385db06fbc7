"""Doc coverage: which documented sections have cases, and which have none.

The sections are listed in ``conformance/doc_sections.yaml`` (guide sections
by anchor, API members). A case belongs to the section whose URL, or one of
its aliases, equals the case's ``source`` once both lose a trailing slash; the
anchor after ``#`` identifies the section. Cases whose source is no listed
section are listed apart, so that nothing silently drops out of the table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import jsonschema
import yaml

from .case import Case
from .errors import UsageError

SECTIONS_FILE = "doc_sections.yaml"
_SECTIONS_SCHEMA = {
    "type": "object",
    "required": ["sections"],
    "additionalProperties": False,
    "properties": {
        "sections": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "title", "url", "group"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "title": {"type": "string", "minLength": 1},
                    "group": {"type": "string", "minLength": 1},
                    "url": {"type": "string", "pattern": "^https://"},
                    "aliases": {
                        "type": "array",
                        "items": {"type": "string", "pattern": "^https://"},
                    },
                },
            },
        }
    },
}


@dataclass(frozen=True)
class Section:
    """One documented section: a guide heading or an API member."""

    id: str
    title: str
    url: str
    group: str
    aliases: tuple[str, ...] = ()

    @property
    def urls(self) -> tuple[str, ...]:
        return (normalize_url(self.url), *map(normalize_url, self.aliases))


def normalize_url(url: str) -> str:
    """The URL without surrounding space and without a trailing slash (before or after ``#``)."""
    base, hash_, anchor = url.strip().partition("#")
    return base.rstrip("/") + (hash_ + anchor.rstrip("/") if anchor.rstrip("/") else "")


def parse_sections(text: str, where: str = SECTIONS_FILE) -> tuple[Section, ...]:
    """Parse and validate a sections file's text.

    Raises:
        UsageError: the file is not valid YAML, breaks the schema or repeats an id/URL.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"{where}: invalid YAML: {exc}") from None
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(_SECTIONS_SCHEMA).iter_errors(data)
    )
    if error is not None:
        place = "/".join(map(str, error.absolute_path)) or "(top level)"
        raise UsageError(f"{where}: {place}: {error.message}")
    sections = tuple(
        Section(s["id"], s["title"], s["url"], s["group"], tuple(s.get("aliases", ())))
        for s in data["sections"]
    )
    _check_unique(sections, where)
    return sections


def _check_unique(sections: Iterable[Section], where: str) -> None:
    ids: set[str] = set()
    urls: dict[str, str] = {}
    for section in sections:
        if section.id in ids:
            raise UsageError(f"{where}: section id {section.id!r} is listed twice")
        ids.add(section.id)
        for url in section.urls:
            if url in urls:
                raise UsageError(f"{where}: {url} belongs to both {urls[url]!r} and {section.id!r}")
            urls[url] = section.id


@lru_cache(maxsize=1)
def doc_sections() -> tuple[Section, ...]:
    """The sections shipped with the package."""
    text = resources.files("conformance").joinpath(SECTIONS_FILE).read_text(encoding="utf-8")
    return parse_sections(text)


def coverage_table(cases: Iterable[Case], sections: Iterable[Section] | None = None) -> dict:
    """The JSON-ready coverage table of `cases`.

    Returns:
        ``{"sections": [{id, title, url, group, cases: [case ids]}],
        "uncovered": [section ids without a case],
        "other_sources": [{url, cases: [case ids]}]}`` in the order of the
        sections file (other sources sorted by URL).
    """
    sections = tuple(doc_sections() if sections is None else sections)
    by_url = {url: section.id for section in sections for url in section.urls}
    members: dict[str, list[str]] = {section.id: [] for section in sections}
    others: dict[str, list[str]] = {}
    for case in cases:
        url = normalize_url(case.source)
        if url in by_url:
            members[by_url[url]].append(case.id)
        else:
            others.setdefault(url, []).append(case.id)
    return {
        "sections": [
            {"id": s.id, "title": s.title, "url": s.url, "group": s.group, "cases": members[s.id]}
            for s in sections
        ],
        "uncovered": [s.id for s in sections if not members[s.id]],
        "other_sources": [{"url": url, "cases": ids} for url, ids in sorted(others.items())],
    }


def format_coverage(table: dict, show_ids: bool = True) -> str:
    """The table as text: one line per section (count, then ids), then the gaps."""
    lines, group = [], None
    width = max((len(s["title"]) for s in table["sections"]), default=10)
    for section in table["sections"]:
        if section["group"] != group:
            group = section["group"]
            lines.append(f"{group}")
        ids = "  " + " ".join(section["cases"]) if show_ids and section["cases"] else ""
        lines.append(f"  {section['title']:<{width}} {len(section['cases']):>4}{ids}")
    covered = len(table["sections"]) - len(table["uncovered"])
    lines.append(f"{covered} of {len(table['sections'])} documented sections have cases.")
    if table["uncovered"]:
        titles = {s["id"]: s for s in table["sections"]}
        lines.append("Sections with no case:")
        lines += [f"  {titles[i]['title']}  {titles[i]['url']}" for i in table["uncovered"]]
    if table["other_sources"]:
        lines.append("Cases whose source is no listed section:")
        lines += [
            f"  {o['url']}  {len(o['cases'])}: {' '.join(o['cases'])}"
            for o in table["other_sources"]
        ]
    return "\n".join(lines)
