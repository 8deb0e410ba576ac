"""Uploaded images, served with the type they were checked to be."""

from __future__ import annotations

from flask import Blueprint, abort, send_from_directory
from flask.typing import ResponseReturnValue

from blog.media import find_media
from blog.views.context import uploads

bp = Blueprint("media", __name__)
ONE_YEAR = 365 * 24 * 3600


@bp.get("/media/<filename>")
def file(filename: str) -> ResponseReturnValue:
    media = find_media(filename) or abort(404)
    cleaned = media.pixels_only
    response = send_from_directory(
        uploads().folder,
        media.filename,
        mimetype=media.mimetype,
        max_age=ONE_YEAR if cleaned else None,
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # Names are random and never reused, so a cache may keep a file for ever;
    # except one stored by an older version, which ``media clean`` rewrites.
    response.cache_control.immutable = cleaned
    return response
