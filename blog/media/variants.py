"""Resized copies of stored images, for ``srcset``: phones fetch a small one,
wide screens a large one, and browsers that read WebP (all current ones) a
WebP one.

Variants are made from the stored image, which holds pixels only (see
:mod:`blog.media.images`), at each of :data:`WIDTHS` narrower than it (an
image is never enlarged), once as WebP and once in a format like the
original's: JPEG for JPEG, PNG for PNG and for GIF (a resized GIF would lose
colours to its 256-colour palette). A JPEG, PNG or GIF also gets a WebP copy
at its own size. A WebP original gets WebP copies only. Their names are the
stored file's (chosen by the server) with the width added:
``3f9c…a1-640w.webp``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from blog.extensions import db
from blog.models import Media, MediaVariant

#: Widths of the variants, in pixels, where the stored image is wider.
WIDTHS = (320, 640, 960, 1280, 1920)
WEBP = "image/webp"
#: Type served -> (Pillow's format, extension) of a variant.
ENCODINGS = {
    "image/webp": ("WEBP", "webp"),
    "image/jpeg": ("JPEG", "jpg"),
    "image/png": ("PNG", "png"),
}
#: The stored image's type -> the type of its variants besides WebP.
COMPANIONS: dict[str, str | None] = {
    "image/jpeg": "image/jpeg",
    "image/png": "image/png",
    "image/gif": "image/png",
    "image/webp": None,
}
#: Encoder settings: nothing but pixels is passed on (no ``exif``, no
#: ``icc_profile``, no ``comment``).
SAVE_OPTIONS: dict[str, dict[str, Any]] = {
    "WEBP": {"quality": 80, "method": 4},
    "JPEG": {"quality": 82, "progressive": True},
    "PNG": {},
}
#: The stored files' parsers (the image was checked on upload; this is a backstop).
OPENERS = ("JPEG", "PNG", "GIF", "WEBP")


@dataclass(frozen=True)
class Planned:
    """One variant to make."""

    width: int
    height: int
    mimetype: str

    def filename(self, stored_name: str) -> str:
        stem = Path(stored_name).stem
        return f"{stem}-{self.width}w.{ENCODINGS[self.mimetype][1]}"


def plan(width: int, height: int, mimetype: str) -> list[Planned]:
    """The variants an image of this size and type gets, narrowest first."""
    companion = COMPANIONS.get(mimetype)
    if mimetype not in COMPANIONS:
        return []
    planned = []
    for target in WIDTHS:
        if target >= width:
            break
        scaled = max(1, round(height * target / width))
        planned.append(Planned(target, scaled, WEBP))
        if companion is not None:
            planned.append(Planned(target, scaled, companion))
    if mimetype != WEBP:
        planned.append(Planned(width, height, WEBP))
    return planned


def encode(stored: bytes, planned: list[Planned]) -> list[tuple[Planned, bytes]]:
    """Each planned variant of the stored image ``stored``, encoded."""
    if not planned:
        return []
    with Image.open(io.BytesIO(stored), formats=OPENERS) as image:
        image.load()
        source = _rgb(image)
    encoded = []
    for variant in planned:
        size = (variant.width, variant.height)
        resized = (
            source
            if size == source.size
            else source.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        )
        fmt = ENCODINGS[variant.mimetype][0]
        if fmt == "JPEG" and resized.mode != "RGB":
            resized = resized.convert("RGB")
        resized.info = {}  # pixels only, whatever the source carried
        buffer = io.BytesIO()
        resized.save(buffer, format=fmt, **SAVE_OPTIONS[fmt])
        encoded.append((variant, buffer.getvalue()))
    return encoded


def _rgb(image: Image.Image) -> Image.Image:
    """``image`` as RGB, or RGBA when it has transparency: what every
    variant's encoder takes, and what scales smoothly (a palette does not)."""
    alpha = image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        "transparency" in image.info
    )
    mode = "RGBA" if alpha else "RGB"
    if image.mode == mode:
        return image.copy()
    if image.mode in ("La", "RGBa"):  # premultiplied: undo it first
        image = image.convert("LA" if image.mode == "La" else "RGBA")
    return image.convert(mode)


def write(media: Media, stored: bytes, folder: Path) -> list[MediaVariant]:
    """Make, write and return (unsaved) the variants of ``media``, whose stored
    file holds ``stored``. If one cannot be written, none is left behind.
    """
    if media.width is None or media.height is None:
        return []
    made = encode(stored, plan(media.width, media.height, media.mimetype))
    variants: list[MediaVariant] = []
    written: list[Path] = []
    try:
        for planned, data in made:
            name = planned.filename(media.filename)
            path = folder / name
            # A copy left by an interrupted run is ours to replace.
            path.unlink(missing_ok=True)
            with path.open("xb") as out:
                written.append(path)
                out.write(data)
            variants.append(
                MediaVariant(
                    width=planned.width,
                    height=planned.height,
                    mimetype=planned.mimetype,
                    filename=name,
                    byte_size=len(data),
                )
            )
    except Exception:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return variants


def remake(media: Media, stored: bytes, folder: Path) -> None:
    """Replace the variants of ``media`` with ones made from ``stored``, its
    stored file (rewritten, or stored before variants were made)."""
    for old in media.variants:
        (folder / old.filename).unlink(missing_ok=True)
    media.variants = []
    db.session.flush()  # the old rows go before new ones take their names
    media.variants = write(media, stored, folder)


def complete(media: Media, folder: Path) -> bool:
    """Whether every variant ``media`` should have is there, row and file."""
    if media.width is None or media.height is None:
        return True
    wanted = {
        p.filename(media.filename)
        for p in plan(media.width, media.height, media.mimetype)
    }
    have = {v.filename for v in media.variants if (folder / v.filename).is_file()}
    return wanted == have


def stored_names(media: Media) -> list[str]:
    """The files of ``media``: its own and its variants'."""
    return [media.filename, *(variant.filename for variant in media.variants)]
