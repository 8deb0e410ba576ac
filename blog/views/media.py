"""Uploaded images, served with the type they were checked to be."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory
from sqlalchemy import select

from blog.extensions import db
from blog.models import Media

bp = Blueprint("media", __name__)


def upload_dir() -> Path:
    return Path(current_app.instance_path) / "uploads"


@bp.get("/media/<filename>")
def file(filename: str):  # type: ignore[no-untyped-def]
    media = db.session.scalar(select(Media).where(Media.filename == filename)) or abort(
        404
    )
    response = send_from_directory(
        upload_dir(), media.filename, mimetype=media.mimetype
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.cache_control.public = True
    response.cache_control.max_age = 31536000
    return response
