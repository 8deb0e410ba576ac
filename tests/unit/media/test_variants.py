"""Resized variants of stored images: at the widths that are narrower than
the image (never enlarged), in WebP and a format like the original's, made
of pixels only, and named after the stored file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from blog.extensions import db
from blog.media import Uploads, store_image
from blog.media.variants import WIDTHS, Planned, encode, plan
from blog.models import Media, MediaVariant
from tests.unit.media.samples import (
    SECRET,
    encoded,
    gif_with_comment,
    photo,
    png_with_text,
    webp_with_metadata,
)


def sizes(planned: list[Planned]) -> list[tuple[int, int, str]]:
    return [(p.width, p.height, p.mimetype) for p in planned]


def test_a_photo_gets_each_narrower_width_in_webp_and_jpeg():
    assert sizes(plan(1000, 750, "image/jpeg")) == [
        (320, 240, "image/webp"),
        (320, 240, "image/jpeg"),
        (640, 480, "image/webp"),
        (640, 480, "image/jpeg"),
        (960, 720, "image/webp"),
        (960, 720, "image/jpeg"),
        (1000, 750, "image/webp"),  # the original's size, as WebP
    ]


@pytest.mark.parametrize("width", [1, 100, 320, 1920, 2560])
def test_variants_are_never_wider_than_the_image(width):
    planned = plan(width, 100, "image/png")
    assert all(p.width <= width for p in planned)
    assert [p.width for p in planned if p.mimetype == "image/png"] == [
        w for w in WIDTHS if w < width
    ]
    assert planned[-1] == Planned(width, 100, "image/webp")


def test_small_images_get_only_a_webp_copy():
    assert sizes(plan(200, 100, "image/png")) == [(200, 100, "image/webp")]
    assert plan(200, 100, "image/webp") == []


def test_webp_images_get_webp_variants_only():
    assert {p.mimetype for p in plan(2560, 1440, "image/webp")} == {"image/webp"}
    assert [p.width for p in plan(2560, 1440, "image/webp")] == list(WIDTHS)


def test_gif_variants_are_png_and_webp():
    assert {p.mimetype for p in plan(800, 600, "image/gif")} == {
        "image/png",
        "image/webp",
    }


def test_a_portrait_keeps_its_shape():
    assert sizes(plan(1280, 2560, "image/jpeg"))[:2] == [
        (320, 640, "image/webp"),
        (320, 640, "image/jpeg"),
    ]


@pytest.mark.parametrize(
    "sample", [photo, png_with_text, webp_with_metadata, gif_with_comment]
)
def test_variants_hold_pixels_only_whatever_they_are_made_from(sample):
    # Made from a file still carrying EXIF (with GPS), XMP, an ICC profile and
    # comments: none of it reaches a variant.
    original = sample((700, 500))
    assert SECRET in original
    with Image.open(io.BytesIO(original)) as image:
        mimetype = Image.MIME[image.format or ""]
    made = encode(original, plan(700, 500, mimetype))
    assert made
    for planned, data in made:
        assert SECRET not in data
        for marker in (b"Exif", b"ICC_PROFILE", b"iCCP", b"ICCP", b"XMP", b"xmpmeta"):
            assert marker not in data
        with Image.open(io.BytesIO(data)) as variant:
            assert variant.size == (planned.width, planned.height)
            assert Image.MIME[variant.format or ""] == planned.mimetype
            assert not variant.getexif()
            assert "icc_profile" not in variant.info


def test_transparency_survives_in_webp_and_png():
    source = Image.new("RGBA", (700, 350), (0, 0, 0, 0))
    source.paste((255, 0, 0, 255), (0, 0, 350, 350))
    made = dict(
        ((p.width, p.mimetype), data)
        for p, data in encode(encoded(source, "PNG"), plan(700, 350, "image/png"))
    )
    for key in ((320, "image/png"), (320, "image/webp")):
        with Image.open(io.BytesIO(made[key])) as variant:
            rgba = variant.convert("RGBA")
            assert rgba.getpixel((10, 10))[3] == 255
            assert rgba.getpixel((310, 150))[3] == 0


def test_storing_writes_the_variants_beside_the_image(app):
    with app.app_context():
        uploads = Uploads.of(app)
        media = store_image(io.BytesIO(photo((1400, 700))), uploads)
        db.session.commit()
        stem = Path(media.filename).stem
        rows = db.session.scalars(
            select(MediaVariant).order_by(MediaVariant.width, MediaVariant.mimetype)
        ).all()
        assert [(v.width, v.height, v.mimetype) for v in rows] == [
            (320, 160, "image/jpeg"),
            (320, 160, "image/webp"),
            (640, 320, "image/jpeg"),
            (640, 320, "image/webp"),
            (960, 480, "image/jpeg"),
            (960, 480, "image/webp"),
            (1280, 640, "image/jpeg"),
            (1280, 640, "image/webp"),
            (1400, 700, "image/webp"),
        ]
        for variant in rows:
            path = uploads.folder / variant.filename
            assert variant.filename.startswith(f"{stem}-{variant.width}w.")
            assert path.stat().st_size == variant.byte_size > 0
            with Image.open(path) as image:
                assert image.size == (variant.width, variant.height)
        stored = db.session.get(Media, media.id)
        assert stored.byte_size == (uploads.folder / media.filename).stat().st_size
        assert len(stored.variants) == 9
