"""Storing uploaded images safely.

Pillow decodes every upload (with its decompression-bomb limit); the image
is re-encoded, which drops metadata such as GPS positions, and saved under
a name the server chooses. SVG and anything Pillow cannot read are refused.
"""

from __future__ import annotations

import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import Flask
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select

from blog.extensions import db
from blog.models import Media, User

FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
}


class ImageRejected(ValueError):
    """Not an image we accept; the message says so, for the form."""


@dataclass(frozen=True)
class Uploads:
    """Where uploaded images are stored, and the largest image accepted."""

    folder: Path
    #: Pillow's decompression-bomb limit (the ``UPLOAD_MAX_PIXELS`` setting).
    max_pixels: int = 40_000_000

    @classmethod
    def of(cls, app: Flask) -> Uploads:
        """The app's uploads: ``uploads/`` in its instance folder."""
        return cls(
            Path(app.instance_path) / "uploads", int(app.config["UPLOAD_MAX_PIXELS"])
        )

    def remove(self, media: Media) -> None:
        """Delete a stored file whose row was never committed."""
        (self.folder / media.filename).unlink(missing_ok=True)


@dataclass
class ImageInput:
    """An editor's image fields, as plain data."""

    upload: BinaryIO | None = None
    filename: str = ""
    alt: str = ""
    caption: str = ""
    remove: bool = False


def find_media(filename: str) -> Media | None:
    """The stored upload called ``filename`` (the server chose the name)."""
    return db.session.scalar(select(Media).where(Media.filename == filename))


def store_image(
    stream: BinaryIO,
    uploads: Uploads,
    *,
    original_name: str = "",
    uploader: User | None = None,
) -> Media:
    """Decode, clean and save an image; add its :class:`Media` row (caller commits).

    :raises ImageRejected: not an image we accept, or too large.
    """
    folder = uploads.folder
    Image.MAX_IMAGE_PIXELS = uploads.max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream) as probe:
                fmt = probe.format
                probe.verify()
            stream.seek(0)
            with Image.open(stream) as image:
                image.load()
                if fmt not in FORMATS:
                    raise ImageRejected("Upload a JPEG, PNG, GIF or WebP image.")
                clean = ImageOps.exif_transpose(image)
                extension, mimetype = FORMATS[fmt]
                folder.mkdir(parents=True, exist_ok=True)
                filename = f"{secrets.token_hex(12)}.{extension}"
                if fmt == "JPEG" and clean.mode not in ("RGB", "L"):
                    clean = clean.convert("RGB")
                clean.save(folder / filename, format=fmt)
                width, height = clean.size
    except ImageRejected:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ) as error:
        raise ImageRejected("That file is not an image we can use.") from error
    media = Media(
        filename=filename,
        mimetype=mimetype,
        width=width,
        height=height,
        original_name=original_name[:255],
        uploaded_by_id=uploader.id if uploader else None,
    )
    db.session.add(media)
    db.session.flush()
    return media
