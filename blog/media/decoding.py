"""How much memory decoding an upload will take, estimated from its header
before a pixel is decoded, so that a small file which unpacks to a huge
image is refused instead of filling a worker's memory
(``UPLOAD_MAX_DECODE_BYTES``)."""

from __future__ import annotations

import math
from typing import BinaryIO

from PIL import ImageFile, JpegImagePlugin

#: Memory Pillow takes per pixel to decode a WebP file: it goes through libwebp's
#: animation decoder, which keeps two RGBA canvases besides Pillow's own copy
#: (measured at 16.3 to 16.9 bytes with Pillow 13).
WEBP_BYTES_PER_PIXEL = 17


def decode_bytes(
    image: ImageFile.ImageFile, stream: BinaryIO, target: tuple[int, int]
) -> int:
    """Estimate the peak memory that decoding ``image`` and storing it at
    ``target`` size takes, from its header alone (nothing is decoded).

    The decoded pixels (at the reduced scale a JPEG is decoded at) stay while
    the largest of these comes and goes: libjpeg's whole-image coefficients for
    a progressive or multi-scan JPEG; the copies Pillow makes to scale a palette
    image or one with an alpha channel, and the scaled result; the copies a turn
    or a colour conversion makes. WebP goes through libwebp's animation decoder,
    which keeps canvases of its own.
    """
    width, height = image.size
    pixels = width * height
    scaled = target[0] * target[1] * 4
    alpha = image.mode in ("LA", "PA", "RGBA") or "transparency" in image.info
    if image.format == "WEBP":
        return pixels * WEBP_BYTES_PER_PIXEL + 2 * scaled
    coefficients = 0
    if isinstance(image, JpegImagePlugin.JpegImageFile):
        if _jpeg_buffers_coefficients(image, stream):
            coefficients = _jpeg_coefficient_bytes(image)
        scale = _jpeg_draft_scale(image.size, target)
        pixels = math.ceil(width / scale) * math.ceil(height / scale)
    scaling = 0
    if target != image.size:
        if image.mode in ("1", "P"):
            scaling += pixels * 4  # converted to RGB(A) to be scaled smoothly
        if alpha:
            scaling += pixels * 4 + scaled  # premultiplied while scaling
        scaling += scaled
    decoded = pixels * _bytes_per_pixel(image.mode)
    return decoded + max(coefficients, scaling, 2 * scaled)


def _bytes_per_pixel(mode: str) -> int:
    """Pillow's storage for one pixel: multi-band pixels take 32 bits."""
    if mode in ("1", "L", "P"):
        return 1
    if mode.startswith("I;16"):
        return 2
    return 4


def _jpeg_draft_scale(size: tuple[int, int], target: tuple[int, int]) -> int:
    """The reduction ``JpegImageFile.draft`` will pick for ``target``."""
    if size == target:
        return 1
    ratio = min(size[0] // target[0], size[1] // target[1])
    return next(scale for scale in (8, 4, 2, 1) if ratio >= scale)


def _jpeg_coefficient_bytes(image: JpegImagePlugin.JpegImageFile) -> int:
    """libjpeg's whole-image coefficient buffer: 64 two-byte coefficients per
    8×8 block of each component, at full size whatever the scale decoded."""
    width, height = image.size
    layers = image.layer or [(0, 1, 1, 0)] * 3
    h_max = max(max(layer[1] for layer in layers), 1)
    v_max = max(max(layer[2] for layer in layers), 1)
    total = 0
    for _, h_factor, v_factor, _ in layers:
        columns = math.ceil(math.ceil(width * max(h_factor, 1) / h_max) / 8)
        rows = math.ceil(math.ceil(height * max(v_factor, 1) / v_max) / 8)
        total += columns * rows * 64 * 2
    return total


def _jpeg_buffers_coefficients(
    image: JpegImagePlugin.JpegImageFile, stream: BinaryIO
) -> bool:
    """Whether libjpeg keeps the coefficients of the whole image while decoding:
    it does for a progressive file, or when the first scan leaves components
    for later ones (libjpeg's ``has_multiple_scans``)."""
    if image.info.get("progressive"):
        return True
    position = stream.tell()
    stream.seek(0)
    data = stream.read()
    stream.seek(position)
    return _first_scan_components(data) < max(image.layers, 1)


def _first_scan_components(data: bytes) -> int:
    """How many components the first scan of a JPEG holds (0 if unreadable)."""
    if not data.startswith(b"\xff\xd8"):
        return 0
    position = 2
    while True:
        position = data.find(b"\xff", position)
        if position < 0 or position + 1 >= len(data):
            return 0
        marker = data[position + 1]
        position += 2
        # Fill bytes, and markers without a length (SOI, RSTn, TEM).
        if marker in (0x00, 0x01, 0xD8, 0xFF) or 0xD0 <= marker <= 0xD7:
            if marker == 0xFF:
                position -= 1
            continue
        if position + 2 > len(data):
            return 0
        length = int.from_bytes(data[position : position + 2], "big")
        if marker == 0xDA:
            return data[position + 2] if position + 2 < len(data) else 0
        if length < 2:
            return 0
        position += length
