"""Reports: the JSON record of a run (`record`) and the HTML page rendered from it (`html`)."""

from .html import render_html, write_html
from .record import SCHEMA_VERSION, build_record, read_record, write_json

__all__ = ["build_record", "write_json", "read_record", "render_html", "write_html",
           "SCHEMA_VERSION"]
