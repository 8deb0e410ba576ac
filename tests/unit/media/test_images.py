"""Cleaning uploaded images: only pixels are kept, sizes are checked from the
header before anything is decoded, large images are decoded and stored
bounded, and damaged files are refused with a message for the form."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageFile, JpegImagePlugin

from blog.media.decoding import decode_bytes
from blog.media.images import (
    NOT_ACCEPTED,
    NOT_AN_IMAGE,
    ImageRejected,
    Uploads,
    clean_image,
    fitted,
    store_image,
)
from tests.unit.media.samples import (
    SECRET,
    blank_png,
    encoded,
    gif_with_comment,
    mpo,
    photo,
    png_with_text,
    webp_with_metadata,
)

UPLOADS = Uploads(Path("unused"))


def clean(data: bytes, uploads: Uploads = UPLOADS) -> tuple[Image.Image, bytes]:
    """Clean ``data``; the stored image, opened again, and its bytes."""
    stored, _, size = clean_image(io.BytesIO(data), uploads)
    image = Image.open(io.BytesIO(stored))
    assert image.size == size
    return image, stored


def metadata(image: Image.Image) -> set[str]:
    """What ``image.info`` holds besides how its pixels are encoded."""
    harmless = {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi"}
    harmless |= {"version", "background", "duration", "transparency", "loop"}
    return {str(key) for key in image.info} - harmless


def estimate(data: bytes, max_side: int = UPLOADS.max_side) -> int:
    with Image.open(io.BytesIO(data)) as image:
        return decode_bytes(image, io.BytesIO(data), fitted(image.size, max_side))


@pytest.mark.parametrize(
    ("sample", "fmt"),
    [
        (photo, "JPEG"),
        (png_with_text, "PNG"),
        (webp_with_metadata, "WEBP"),
        (gif_with_comment, "GIF"),
    ],
)
def test_only_pixels_are_stored(sample, fmt):
    original = sample()
    assert SECRET in original
    image, stored = clean(original)
    assert image.format == fmt
    assert metadata(image) == set()
    assert not image.getexif()
    assert SECRET not in stored
    for marker in (b"Exif", b"ICC_PROFILE", b"iCCP", b"ICCP", b"XMP", b"xmpmeta"):
        assert marker not in stored


def test_jpeg_comments_and_gps_positions_are_dropped():
    original = photo()
    with Image.open(io.BytesIO(original)) as source:
        assert source.info["comment"] == SECRET + b"-COM"
        assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    image, stored = clean(original)
    assert "comment" not in image.info
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert b"\xff\xfe" not in stored  # no COM segment at all


def test_gif_comments_are_dropped_and_animations_keep_their_first_frame():
    original = gif_with_comment(colours=("red", "blue", "green"))
    image, stored = clean(original)
    assert "comment" not in image.info and SECRET not in stored
    assert getattr(image, "n_frames", 1) == 1
    assert image.convert("RGB").getpixel((0, 0)) == (255, 0, 0)


def test_photos_stay_upright():
    image, _ = clean(photo((40, 20), orientation=6))
    assert image.size == (20, 40)


def test_colours_tagged_with_a_profile_are_kept():
    image, _ = clean(png_with_text())
    assert image.mode == "RGBA"
    assert image.getpixel((0, 0)) == (20, 120, 200, 255)


def test_palette_transparency_is_kept():
    source = Image.new("P", (20, 10), 0)
    source.putpalette([255, 0, 0, 0, 0, 255])
    source.paste(1, (0, 0, 10, 10))
    image, _ = clean(encoded(source, "GIF", transparency=0))
    assert image.convert("RGBA").getpixel((0, 0)) == (0, 0, 255, 255)
    assert image.convert("RGBA").getpixel((19, 0))[3] == 0


def test_mpo_from_phones_is_stored_as_its_first_picture():
    original = mpo()
    with Image.open(io.BytesIO(original)) as source:
        assert source.format == "MPO" and source.n_frames == 2
    stored, fmt, _ = clean_image(io.BytesIO(original), UPLOADS)
    image = Image.open(io.BytesIO(stored))
    assert fmt == "MPO" and image.format == "JPEG"
    assert getattr(image, "n_frames", 1) == 1 and "mp" not in image.info
    red, green, blue = image.getpixel((20, 15))
    assert red > 200 and green < 50 and blue < 50


@pytest.mark.parametrize(
    "sample", [photo, png_with_text, webp_with_metadata, gif_with_comment, mpo]
)
def test_large_images_are_scaled_down(sample):
    image, _ = clean(sample((200, 100)), Uploads(Path("unused"), max_side=64))
    assert image.size == (64, 32)


def test_large_jpegs_are_decoded_at_a_reduced_scale(monkeypatch):
    asked = []
    draft = JpegImagePlugin.JpegImageFile.draft

    def spy(self, mode, size):
        asked.append(size)
        return draft(self, mode, size)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    image, _ = clean(photo((512, 256)), Uploads(Path("unused"), max_side=64))
    assert asked[0] == (64, 32) and image.size == (64, 32)


def test_a_small_file_that_decodes_huge_is_refused_unread(monkeypatch):
    # 6300 × 6300 RGBA: about 150 KB on disk, 159 MB once decoded, within
    # the pixel limit. It is refused from its header: nothing is decoded.
    bomb = blank_png(6300, 6300)
    assert len(bomb) < 200_000

    def no_decoding(self):
        raise AssertionError("decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    with pytest.raises(ImageRejected, match="too large") as refused:
        clean_image(io.BytesIO(bomb), UPLOADS)
    assert "6300 × 6300 pixels" in str(refused.value)
    assert "no more than 2560 pixels" in str(refused.value)


def test_the_pixel_limit_comes_from_the_site_not_from_pillow():
    before = Image.MAX_IMAGE_PIXELS
    with pytest.raises(ImageRejected, match=r"too large \(40 × 30 pixels\)"):
        clean_image(io.BytesIO(photo()), Uploads(Path("unused"), max_pixels=1000))
    clean_image(io.BytesIO(photo()), Uploads(Path("unused"), max_pixels=5000))
    assert Image.MAX_IMAGE_PIXELS == before


def test_the_memory_budget_is_the_sites():
    tight = Uploads(Path("unused"), max_decode_bytes=estimate(photo()) - 1)
    with pytest.raises(ImageRejected, match="too large"):
        clean_image(io.BytesIO(photo()), tight)


def test_webp_is_budgeted_for_libwebps_canvases():
    size = (1000, 1000)
    webp = encoded(Image.new("RGB", size), "WEBP")
    png = encoded(Image.new("RGB", size), "PNG")
    assert estimate(webp) >= 16 * 1000 * 1000 > estimate(png)


def test_jpegs_read_in_several_scans_are_budgeted_for_their_coefficients():
    image = Image.new("RGB", (1000, 800), "teal")
    baseline = encoded(image, "JPEG")
    progressive = encoded(image, "JPEG", progressive=True)
    # A baseline file whose first scan holds one component of three: libjpeg
    # then keeps every coefficient too. Pillow skips the scan header.
    sos = baseline.index(b"\xff\xda")
    assert baseline[sos + 4] == 3
    split = baseline[: sos + 4] + b"\x01" + baseline[sos + 5 :]
    # Stored small, so that the coefficients outweigh the pixels decoded.
    baseline_bytes, progressive_bytes, split_bytes = (
        estimate(data, max_side=100) for data in (baseline, progressive, split)
    )
    coefficients = 1000 * 800 * 3  # 4:2:0: 1.5 two-byte coefficients a pixel
    assert baseline_bytes < coefficients / 10
    assert progressive_bytes > coefficients
    assert split_bytes == progressive_bytes


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (photo()[:-300], NOT_AN_IMAGE),
        (encoded(Image.effect_noise((64, 64), 40), "PNG")[:-100], NOT_AN_IMAGE),
        (
            encoded(Image.effect_noise((64, 64), 40).convert("P"), "GIF")[:-50],
            NOT_AN_IMAGE,
        ),
        (b"GIF89a" + bytes(20), NOT_ACCEPTED),
        (b"not an image at all", NOT_ACCEPTED),
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', NOT_ACCEPTED),
        (encoded(Image.new("RGB", (8, 8)), "TIFF"), NOT_ACCEPTED),
        (encoded(Image.new("RGB", (8, 8)), "BMP"), NOT_ACCEPTED),
    ],
    ids=[
        "truncated-jpeg",
        "truncated-png",
        "truncated-gif",
        "empty-gif",
        "text",
        "svg",
        "tiff",
        "bmp",
    ],
)
def test_damaged_or_other_files_are_refused_with_a_message(data, message):
    with pytest.raises(ImageRejected) as refused:
        store_image(io.BytesIO(data), UPLOADS)
    assert str(refused.value) == message
