"""Tools → Export (admins; ``tools.bp`` checks): the page that explains the
two formats, and their downloads, streamed as they are written (a big site's
export is never held in memory). Downloads are POST forms with the CSRF
token, so that no link prefetcher or crawler starts an export."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    render_template,
    request,
    stream_with_context,
)
from flask.typing import ResponseReturnValue

from blog import exporting
from blog.exporting import json_export, wxr

bp = Blueprint("exporting", __name__, url_prefix="/export")

_NOT_NAME = re.compile(r"[^a-z0-9.-]+")


@bp.get("/")
def index() -> ResponseReturnValue:
    return render_template("dashboard/tools/export.html")


@bp.post("/wordpress")
def wordpress() -> ResponseReturnValue:
    return _download(exporting.wxr_chunks, "wordpress", "xml", wxr.CONTENT_TYPE)


@bp.post("/json")
def json_download() -> ResponseReturnValue:
    return _download(
        exporting.json_chunks, "blog-export", "json", json_export.CONTENT_TYPE
    )


def _download(
    chunks: Callable[[exporting.ExportSite], Iterator[str]],
    label: str,
    extension: str,
    content_type: str,
) -> Response:
    # Addresses on SITE_URL, as the command line writes them; else this host.
    site_url = str(current_app.config.get("SITE_URL") or request.host_url)
    site = exporting.export_site(current_app, site_url)
    host = _NOT_NAME.sub("-", (urlsplit(site.url).hostname or "site").lower())
    filename = f"{host}.{label}.{site.now:%Y-%m-%d}.{extension}"
    response = Response(
        stream_with_context(exporting.buffered(chunks(site))),
        content_type=content_type,
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
