"""Uploaded images, served with the type they were checked to be."""

from __future__ import annotations

from flask import Blueprint, abort, send_from_directory
from flask.typing import ResponseReturnValue

from blog.media import find_media
from blog.views.context import uploads

bp = Blueprint("media", __name__)


@bp.get("/media/<filename>")
def file(filename: str) -> ResponseReturnValue:
    media = find_media(filename) or abort(404)
    response = send_from_directory(
        uploads().folder, media.filename, mimetype=media.mimetype
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.cache_control.public = True
    response.cache_control.max_age = 31536000
    return response
