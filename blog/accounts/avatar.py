"""Staff profile pictures: shown beside their comments instead of the
avatar drawn from their email (:mod:`blog.comments.avatars`).

An upload goes through the media library's decoder
(:func:`blog.media.images.clean_image`: the site's pixel and memory limits,
EXIF orientation applied, every piece of metadata left behind), is cut to
a centred square of :data:`SIDE` pixels and stored as WebP under a random
name in the uploads' ``avatars/`` folder. The name is in
``User.avatar_file``; a new name for each picture lets browsers keep one
for ever. The file replaced is deleted once the change is committed.
"""

from __future__ import annotations

import dataclasses
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

from blog.errors import FieldError
from blog.media import ImageRejected, Uploads
from blog.media.images import (
    DECODE_ERRORS,
    NOT_ACCEPTED,
    NOT_AN_IMAGE,
    OPENERS,
    clean_image,
)
from blog.models import User

#: The uploads' subfolder the pictures are stored in.
FOLDER = "avatars"
#: A stored picture's side, in pixels (shown at 48 to 96 CSS pixels).
SIDE = 256
#: Largest upload taken, in bytes (under the request's ``MAX_CONTENT_LENGTH``).
MAX_BYTES = 5 * 1024 * 1024
#: Longest side the upload is decoded at before it is cropped: a square of
#: :data:`SIDE` fits in any picture up to 4:1.
DECODE_SIDE = 4 * SIDE
#: The names the server gives pictures (``Uploads.write_new``'s).
NAME = re.compile(r"[0-9a-f]{24}\.webp")
FIELD = "picture"
TOO_BIG = "Keep the picture under 5 MB."


@dataclass(frozen=True)
class PictureChange:
    """The profile form's picture fields: a new upload, or "Remove picture"."""

    upload: BinaryIO | None = None
    remove: bool = False


@dataclass
class Swap:
    """A picture change waiting for its commit: then the replaced file is
    deleted (:meth:`done`); if the change is dropped, the new one (:meth:`undo`)."""

    folder: Path
    written: str = ""
    replaced: str = ""

    def done(self) -> None:
        remove_file(self.folder, self.replaced)

    def undo(self) -> None:
        remove_file(self.folder, self.written)


def folder(uploads: Uploads) -> Path:
    """Where profile pictures are stored."""
    return uploads.folder / FOLDER


def stored_path(uploads: Uploads, name: str) -> Path | None:
    """The file of a picture called ``name`` (a name the server gives), if
    it is there."""
    if not NAME.fullmatch(name):
        return None
    path = folder(uploads) / name
    return path if path.is_file() else None


def remove_file(where: Path, name: str) -> None:
    """Delete a stored picture (nothing for ``""`` or a name not ours)."""
    if name and NAME.fullmatch(name):
        (where / name).unlink(missing_ok=True)


def change_picture(user: User, change: PictureChange, uploads: Uploads) -> Swap | None:
    """Store a new picture or take the picture away (the caller commits, then
    calls :meth:`Swap.done`, or :meth:`Swap.undo` if it does not commit);
    ``None`` when nothing changes.

    :raises FieldError: on ``picture``: not an image we take, or too large.
    """
    where = folder(uploads)
    if change.upload is not None:
        data = square_picture(change.upload, uploads)
        written = dataclasses.replace(uploads, folder=where).write_new(data, "webp")
        swap = Swap(where, written=written.name, replaced=user.avatar_file)
        user.avatar_file = written.name
        return swap
    if change.remove and user.avatar_file:
        swap = Swap(where, replaced=user.avatar_file)
        user.avatar_file = ""
        return swap
    return None


def square_picture(stream: BinaryIO, uploads: Uploads) -> bytes:
    """An upload as a :data:`SIDE`-pixel WebP square holding pixels only.

    :raises FieldError: on ``picture``.
    """
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise FieldError(TOO_BIG, FIELD)
    limits = dataclasses.replace(uploads, max_side=min(uploads.max_side, DECODE_SIDE))
    try:
        cleaned, _, _ = clean_image(io.BytesIO(data), limits)
    except ImageRejected as error:
        raise FieldError(str(error), FIELD) from None
    except UnidentifiedImageError:
        raise FieldError(NOT_ACCEPTED, FIELD) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, MemoryError):
        raise FieldError(str(uploads.too_large()), FIELD) from None
    except DECODE_ERRORS:
        raise FieldError(NOT_AN_IMAGE, FIELD) from None
    # What ``clean_image`` wrote is ours: small, and pixels only.
    with Image.open(io.BytesIO(cleaned), formats=OPENERS) as image:
        mode = (
            "RGBA"
            if image.mode in ("RGBA", "LA", "PA") or ("transparency" in image.info)
            else "RGB"
        )
        square = ImageOps.fit(
            image.convert(mode), (SIDE, SIDE), Image.Resampling.LANCZOS
        )
    square.info = {}
    buffer = io.BytesIO()
    square.save(buffer, format="WEBP", quality=85)
    return buffer.getvalue()
