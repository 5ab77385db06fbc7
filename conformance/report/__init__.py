"""Reports: the JSON record of a run (`record`), the HTML page rendered from it
(`html`, with `repro` scripts), and the diff page. Per-element detail of a value
mismatch comes computed from `compare`; the report only renders it."""

from .html import render_diff_html, render_html, write_html, write_page
from .record import (
    SCHEMA_VERSION,
    add_sensitivity,
    build_record,
    read_record,
    validate_record,
    write_json,
)

__all__ = [
    "build_record",
    "add_sensitivity",
    "write_json",
    "read_record",
    "validate_record",
    "render_html",
    "write_html",
    "render_diff_html",
    "write_page",
    "SCHEMA_VERSION",
]
