"""Exports: the whole site as a WordPress export (WXR 1.2, which WordPress's
own importer reads) or as one JSON document (backups, other tools).

- :mod:`.source`: what is read, and how: the site, its people and terms,
  posts, comments and uploads in batches (queries stay few per batch);
- :mod:`.links`: absolute public addresses on ``SITE_URL``;
- :mod:`.formats`, :mod:`.xmltext`: dates, CDATA and escaping;
- :mod:`.postmeta`: what WordPress has no field for, as documented meta keys;
- :mod:`.wxr`, :mod:`.json_export`: the two formats, written as streams;
- :mod:`.streams`: writing a stream to a file or a download;
- :mod:`.cli`: ``flask --app blog export wordpress|json [--output FILE]``.

Imports (WordPress files in) live in :mod:`blog.importing`. The dashboard's
Tools → Export is :mod:`blog.views.dashboard.tools_exporting`.
"""

from blog.exporting.json_export import json_chunks, write_json
from blog.exporting.source import ExportSite, export_site
from blog.exporting.streams import buffered
from blog.exporting.wxr import write_wxr, wxr_chunks

__all__ = [
    "ExportSite",
    "buffered",
    "export_site",
    "json_chunks",
    "write_json",
    "write_wxr",
    "wxr_chunks",
]
