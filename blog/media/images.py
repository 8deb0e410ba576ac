"""Storing uploaded images safely.

Only Pillow's JPEG (with MPO, the multi-picture JPEG of phones), PNG, GIF and
WebP parsers see an upload. Its size is read from the header and checked
against the site's limits before a pixel is decoded: the pixel count
(``UPLOAD_MAX_PIXELS``) and an estimate of the memory decoding takes
(``UPLOAD_MAX_DECODE_BYTES``), so a small file that unpacks to a huge image is
refused instead of filling a worker's memory. JPEGs larger than we store are
decoded at a reduced scale (``draft``); every image is scaled down to at most
``UPLOAD_MAX_SIDE`` pixels on its longest side.

What is stored is a new file holding the pixels only: EXIF (with GPS), XMP,
ICC profiles, JPEG and GIF comments, GIF application extensions and PNG text
chunks are all left behind. EXIF orientation is applied first, so photos stay
upright, and colours tagged with an ICC profile (Display P3 from phones) are
converted to sRGB, the colour space browsers assume once the profile is gone.
Animated GIF, WebP and PNG files keep their first frame; an MPO keeps its first
picture, stored as a JPEG. Pillow's global settings are left alone, and its own
decompression-bomb check stays as a backstop.
"""

from __future__ import annotations

import io
import math
import secrets
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from flask import Flask
from PIL import (
    Image,
    ImageCms,
    ImageOps,
    UnidentifiedImageError,
)
from sqlalchemy import select

from blog.extensions import db
from blog.media import variants
from blog.media.decoding import decode_bytes
from blog.models import Media, User

#: The parsers Pillow may try. MPO files open through the JPEG one.
OPENERS = ("JPEG", "PNG", "GIF", "WEBP")
#: Format Pillow reports -> (format stored, extension, type served).
FORMATS = {
    "JPEG": ("JPEG", "jpg", "image/jpeg"),
    "MPO": ("JPEG", "jpg", "image/jpeg"),
    "PNG": ("PNG", "png", "image/png"),
    "GIF": ("GIF", "gif", "image/gif"),
    "WEBP": ("WEBP", "webp", "image/webp"),
}
#: Encoder settings for each stored format: nothing but pixels is passed on.
SAVE_OPTIONS: dict[str, dict[str, Any]] = {
    "JPEG": {"quality": 85},
    "PNG": {},
    "GIF": {},
    "WEBP": {"quality": 85},
}
#: ``Image.info`` entries that describe pixels (which palette entry or colour is
#: transparent), the only ones kept.
PIXEL_INFO = ("transparency",)
#: ``Image.info`` entries that only say how a stored file is encoded.
ENCODING_INFO = frozenset(
    ("jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "version")
    + ("background", "duration", "loop", "transparency")
)

NOT_AN_IMAGE = "That file is not an image we can use."
NOT_ACCEPTED = "That file is not a JPEG, PNG, GIF or WebP image we can use."
#: Known failures of Pillow's parsers on damaged or hostile files, the list
#: Pillow's own fuzzing tests accept; ``struct.error`` and ``EOFError`` come
#: from truncated headers.
DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    MemoryError,
    NotImplementedError,  # raised by Pillow for a mode or codec it lacks
    OverflowError,
    struct.error,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


class ImageRejected(ValueError):
    """Not an image we accept; the message says so, for the form."""


@dataclass(frozen=True)
class Uploads:
    """Where uploaded images are stored, and the limits they must meet."""

    folder: Path
    #: Most pixels an upload may have (``UPLOAD_MAX_PIXELS``).
    max_pixels: int = 40_000_000
    #: Most memory decoding one upload may take, estimated from its header
    #: (``UPLOAD_MAX_DECODE_BYTES``).
    max_decode_bytes: int = 160 * 1024 * 1024
    #: Longest side of a stored image; larger ones are scaled down
    #: (``UPLOAD_MAX_SIDE``).
    max_side: int = 2560

    @classmethod
    def of(cls, app: Flask) -> Uploads:
        """The app's uploads: ``uploads/`` in its instance folder."""
        return cls(
            Path(app.instance_path) / "uploads",
            max_pixels=int(app.config["UPLOAD_MAX_PIXELS"]),
            max_decode_bytes=int(app.config["UPLOAD_MAX_DECODE_BYTES"]),
            max_side=int(app.config["UPLOAD_MAX_SIDE"]),
        )

    def write_new(self, data: bytes, extension: str) -> Path:
        """Write ``data`` to a new file under a random name the server chose
        (never one that exists); nothing is left behind if writing fails."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{secrets.token_hex(12)}.{extension}"
        try:
            with path.open("xb") as out:
                out.write(data)
        except OSError:
            path.unlink(missing_ok=True)
            raise
        return path

    def remove(self, media: Media) -> None:
        """Delete a stored file and its variants' (its row is gone, or was
        never committed)."""
        self.remove_names(variants.stored_names(media))

    def remove_names(self, names: list[str]) -> None:
        """Delete these stored files, those that are there."""
        for name in names:
            (self.folder / name).unlink(missing_ok=True)

    def too_large(self, size: tuple[int, int] | None = None) -> ImageRejected:
        """The refusal for an image over the limits, with advice that fits them."""
        side = min(self.max_side, math.isqrt(self.max_pixels))
        stated = f" ({size[0]} × {size[1]} pixels)" if size else ""
        return ImageRejected(
            f"That image is too large{stated} to be processed here. Save a copy "
            f"no more than {side} pixels wide and high, and upload that."
        )


@dataclass
class ImageInput:
    """An editor's image fields, as plain data."""

    upload: BinaryIO | None = None
    filename: str = ""
    alt: str = ""
    caption: str = ""
    remove: bool = False
    #: An image of the media library, chosen instead of an upload.
    media_id: int | None = None


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
    """Decode, clean and save an image and its variants; add its
    :class:`Media` row (caller commits).

    :raises ImageRejected: not an image we accept, or too large.
    """
    try:
        data, fmt, (width, height) = clean_image(stream, uploads)
    except ImageRejected:
        raise
    except UnidentifiedImageError as error:
        raise ImageRejected(NOT_ACCEPTED) from error
    except (
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        MemoryError,
    ) as error:
        raise uploads.too_large() from error
    except DECODE_ERRORS as error:
        raise ImageRejected(NOT_AN_IMAGE) from error
    # Written outside the ``try``: a full disk is the server's fault, not the file's.
    _, extension, mimetype = FORMATS[fmt]
    path = uploads.write_new(data, extension)
    media = Media(
        filename=path.name,
        mimetype=mimetype,
        width=width,
        height=height,
        original_name=original_name[:255],
        uploaded_by_id=uploader.id if uploader else None,
        byte_size=len(data),
    )
    try:
        media.variants = variants.write(media, data, uploads.folder)
    except Exception:  # nothing is left behind, whatever failed
        path.unlink(missing_ok=True)
        raise
    db.session.add(media)
    db.session.flush()
    return media


@dataclass
class Recleaned:
    """What :func:`clean_stored` did, by file name."""

    rewritten: list[str] = field(default_factory=list)
    #: Unreadable, or over today's limits: left as they are.
    refused: list[str] = field(default_factory=list)


def clean_stored(uploads: Uploads) -> Recleaned:
    """Clean again, by today's rules, the images stored before them: those
    still holding metadata (JPEG and GIF comments were once kept) or larger
    than ``max_side``. Each file is replaced whole; the caller commits the
    new sizes.
    """
    done = Recleaned()
    images = select(Media).where(Media.width.is_not(None)).order_by(Media.id)
    for media in db.session.scalars(images):
        path = uploads.folder / media.filename
        if not path.is_file():
            continue
        try:
            with path.open("rb") as file:
                if not _outdated(file, uploads):
                    media.pixels_only = True
                    continue
                data, _, (width, height) = clean_image(file, uploads)
        except (ImageRejected, *DECODE_ERRORS):
            done.refused.append(media.filename)
            continue
        temporary = path.with_name(f".{path.name}.tmp")
        try:
            temporary.write_bytes(data)
            temporary.replace(path)
        finally:
            temporary.unlink(missing_ok=True)
        media.width, media.height, media.pixels_only = width, height, True
        media.byte_size = len(data)
        variants.remake(media, data, uploads.folder)
        done.rewritten.append(media.filename)
    return done


def _outdated(file: BinaryIO, uploads: Uploads) -> bool:
    """Whether a stored file holds more than pixels, or is larger than stored
    images now are."""
    with Image.open(file, formats=OPENERS) as image:
        extra = {str(key) for key in image.info} - ENCODING_INFO
        return bool(extra) or max(image.size) > uploads.max_side


def clean_image(
    stream: BinaryIO, uploads: Uploads
) -> tuple[bytes, str, tuple[int, int]]:
    """Decode an upload within the limits and encode its pixels alone.

    :returns: the encoded file, the format Pillow read, the stored size.
    :raises ImageRejected: over the limits.
    :raises: any of :data:`DECODE_ERRORS` for a file Pillow cannot read.
    """
    stream.seek(0)
    with Image.open(stream, formats=OPENERS) as probe:
        probe.verify()
    stream.seek(0)
    with Image.open(stream, formats=OPENERS) as image:
        fmt = image.format
        if fmt is None or fmt not in FORMATS:
            raise ImageRejected(NOT_ACCEPTED)
        if image.width * image.height > uploads.max_pixels:
            raise uploads.too_large(image.size)
        target = fitted(image.size, uploads.max_side)
        if decode_bytes(image, stream, target) > uploads.max_decode_bytes:
            raise uploads.too_large(image.size)
        if fmt in ("JPEG", "MPO") and target != image.size:
            image.draft(None, target)
        image.load()
        stored_format = FORMATS[fmt][0]
        pixels = _pixels_only(image, target, stored_format)
        buffer = io.BytesIO()
        pixels.save(buffer, format=stored_format, **SAVE_OPTIONS[stored_format])
        return buffer.getvalue(), fmt, pixels.size


def fitted(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """``size`` scaled down, keeping its shape, to at most ``max_side`` a side."""
    width, height = size
    longest = max(width, height)
    if longest <= max_side:
        return size
    scale = max_side / longest
    return max(1, round(width * scale)), max(1, round(height * scale))


def _pixels_only(image: Image.Image, target: tuple[int, int], fmt: str) -> Image.Image:
    """``image`` scaled to ``target``, upright, in sRGB, in a mode ``fmt`` stores,
    with nothing but its pixels: no EXIF, XMP, ICC profile or comment.

    ``image`` is changed in place where Pillow allows it, to spare a copy.
    """
    work = image
    if target != image.size:
        if work.mode == "1":
            work = work.convert("L")
        elif work.mode == "P":
            work = work.convert("RGBA" if "transparency" in work.info else "RGB")
        # A square box: Pillow then rounds the short side, not the long one.
        side = max(target)
        work.thumbnail((side, side), Image.Resampling.LANCZOS)
    ImageOps.exif_transpose(work, in_place=True)
    work = _to_srgb(work)
    if fmt == "JPEG" and work.mode not in ("RGB", "L"):
        work = work.convert("RGB")
    work.info = {key: work.info[key] for key in PIXEL_INFO if key in work.info}
    return work


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert colours tagged with an ICC profile to sRGB; keep them as they are
    if the profile cannot be used."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    mode = "RGBA" if image.mode == "RGBA" else "RGB"
    try:
        converted = ImageCms.profileToProfile(
            image,
            ImageCms.ImageCmsProfile(io.BytesIO(profile)),
            ImageCms.createProfile("sRGB"),
            outputMode=mode,
            flags=ImageCms.Flags.COPY_ALPHA,
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image
    return converted if converted is not None else image
