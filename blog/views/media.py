"""Uploaded files, served with the type they were checked to be: images
inline, attachments (PDF) only as downloads."""

from __future__ import annotations

from flask import Blueprint, abort, send_from_directory
from flask.typing import ResponseReturnValue

from blog.media.files import find_file
from blog.media.markup import image_sources, thumbnail_url
from blog.views.context import uploads

bp = Blueprint("media", __name__)
ONE_YEAR = 365 * 24 * 3600

#: ``media_sources(media)`` in every template: an image's ``src``, ``srcset``
#: (WebP and the original's format), ``sizes``, ``width`` and ``height``
#: (formatting only; the variants are loaded with the image).
bp.add_app_template_global(image_sources, "media_sources")
#: ``media_thumbnail(media)``: the address of an image's smallest copy.
bp.add_app_template_global(thumbnail_url, "media_thumbnail")


@bp.get("/media/<filename>")
def file(filename: str) -> ResponseReturnValue:
    stored = find_file(filename) or abort(404)
    response = send_from_directory(
        uploads().folder,
        stored.filename,
        mimetype=stored.mimetype,
        max_age=ONE_YEAR if stored.immutable else None,
        as_attachment=stored.download_name is not None,
        download_name=stored.download_name,
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Names are random and never reused, so a cache may keep a file for ever;
    # except one stored by an older version, which ``media clean`` rewrites.
    response.cache_control.immutable = stored.immutable
    return response
