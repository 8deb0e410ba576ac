"""Any upload of the library: an image (see :mod:`blog.media.images`) or an
attachment, and finding a stored file to serve.

Attachments are PDF files only, recognised by their first bytes (``%PDF-``),
whatever their name says. They cannot be cleaned like images, so they are
stored as sent, under a name the server chooses, and only ever served as a
download (``Content-Disposition: attachment``), with ``nosniff`` and a
sandboxing Content-Security-Policy, so that no browser renders one as a page
of this site.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO

from sqlalchemy import select

from blog.extensions import db
from blog.media.images import (
    NOT_ACCEPTED,
    ImageRejected,
    Uploads,
    store_image,
)
from blog.models import Media, MediaVariant, User
from blog.validation import strip_invisible

PDF_MAGIC = b"%PDF-"
PDF_TYPE = "application/pdf"
NOT_ACCEPTED_HERE = (
    "That file is not a JPEG, PNG, GIF or WebP image, or a PDF, that we can use."
)
EMPTY_FILE = "That file is empty."
#: Characters kept in a download's name; others become "_".
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;%]+')


@dataclass(frozen=True)
class StoredFile:
    """A file to serve from the uploads folder, as it was checked to be."""

    filename: str
    mimetype: str
    #: May a cache keep it for ever? (See ``Media.pixels_only``.)
    immutable: bool
    #: Served as a download under this name; ``None`` for images.
    download_name: str | None = None


def find_file(filename: str) -> StoredFile | None:
    """The stored upload or variant called ``filename``."""
    media = db.session.scalar(select(Media).where(Media.filename == filename))
    if media is not None:
        return StoredFile(
            media.filename,
            media.mimetype,
            media.pixels_only,
            None if media.is_image else download_name(media),
        )
    variant = db.session.scalar(
        select(MediaVariant).where(MediaVariant.filename == filename)
    )
    if variant is not None:
        return StoredFile(variant.filename, variant.mimetype, True)
    return None


def is_pdf(stream: BinaryIO) -> bool:
    """Whether ``stream`` starts as a PDF file does."""
    stream.seek(0)
    start = stream.read(len(PDF_MAGIC))
    stream.seek(0)
    return start == PDF_MAGIC


def store_upload(
    stream: BinaryIO,
    uploads: Uploads,
    *,
    original_name: str = "",
    uploader: User | None = None,
) -> Media:
    """Store an image (cleaned, with variants) or a PDF attachment; add its
    row (the caller commits).

    :raises ImageRejected: neither, or an image over the limits.
    """
    if is_pdf(stream):
        return store_attachment(
            stream, uploads, original_name=original_name, uploader=uploader
        )
    try:
        return store_image(
            stream, uploads, original_name=original_name, uploader=uploader
        )
    except ImageRejected as error:
        if str(error) == NOT_ACCEPTED:
            raise ImageRejected(NOT_ACCEPTED_HERE) from error
        raise


def store_attachment(
    stream: BinaryIO,
    uploads: Uploads,
    *,
    original_name: str = "",
    uploader: User | None = None,
) -> Media:
    """Save a PDF as sent, under a name the server chooses (caller commits).

    :raises ImageRejected: not a PDF.
    """
    if not is_pdf(stream):
        raise ImageRejected(NOT_ACCEPTED_HERE)
    data = stream.read()
    path = uploads.write_new(data, "pdf")
    media = Media(
        filename=path.name,
        mimetype=PDF_TYPE,
        width=None,
        height=None,
        original_name=original_name[:255],
        uploaded_by_id=uploader.id if uploader else None,
        byte_size=len(data),
        variants=[],
    )
    db.session.add(media)
    db.session.flush()
    return media


def download_name(media: Media) -> str:
    """The name an attachment is saved under: the name it was uploaded with,
    without path, control, invisible or quoting characters, ending in the
    stored type's extension. (Werkzeug encodes it for the header.)"""
    extension = PurePath(media.filename).suffix or ".bin"
    name = unicodedata.normalize("NFC", strip_invisible(media.original_name))
    name = PurePath(name.replace("\\", "/")).name
    name = _UNSAFE_NAME.sub("_", name).strip(" ._")[:120]
    stem = name[: -len(extension)] if name.lower().endswith(extension) else name
    return f"{stem or 'download'}{extension}"
