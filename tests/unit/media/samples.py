"""Images for upload tests, each carrying what must not survive storing:
comments, EXIF with a GPS position, XMP, an ICC profile, PNG text chunks."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image, ImageCms, PngImagePlugin

#: Every piece of metadata the samples carry holds this, to grep stored bytes for.
SECRET = b"SECRET-51N"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + SECRET + b"-XMP</x:xmpmeta>"


def srgb_profile() -> bytes:
    """An sRGB ICC profile, as phones and editors embed them."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    """EXIF naming a camera and where the photo was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = (SECRET + b"-CAMERA").decode()
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    return exif


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def photo(
    size: tuple[int, int] = (40, 30), *, orientation: int = 1, **options: object
) -> bytes:
    """A JPEG with a comment, EXIF with GPS, XMP and an ICC profile."""
    return encoded(
        Image.new("RGB", size, (200, 60, 40)),
        "JPEG",
        comment=SECRET + b"-COM",
        exif=exif_with_gps(orientation),
        xmp=XMP,
        icc_profile=srgb_profile(),
        **options,
    )


def png_with_text(size: tuple[int, int] = (40, 30)) -> bytes:
    """A PNG with tEXt, zTXt and iTXt chunks, EXIF, XMP and an ICC profile."""
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", (SECRET + b"-tEXt").decode())
    text.add_text("Author", (SECRET + b"-zTXt").decode(), zip=True)
    text.add_itxt("Title", (SECRET + b"-iTXt").decode(), lang="en")
    text.add_itxt("XML:com.adobe.xmp", XMP.decode())  # where PNG keeps XMP
    return encoded(
        Image.new("RGBA", size, (20, 120, 200, 255)),
        "PNG",
        pnginfo=text,
        exif=exif_with_gps(),
        icc_profile=srgb_profile(),
    )


def webp_with_metadata(size: tuple[int, int] = (40, 30)) -> bytes:
    """A WebP with EXIF, XMP and an ICC profile."""
    return encoded(
        Image.new("RGB", size, (20, 160, 60)),
        "WEBP",
        exif=exif_with_gps(),
        xmp=XMP,
        icc_profile=srgb_profile(),
    )


def gif_with_comment(
    size: tuple[int, int] = (40, 30), colours: tuple[str, ...] = ("red",)
) -> bytes:
    """A GIF with a comment, animated when given more than one colour."""
    frames = [Image.new("RGB", size, colour).convert("P") for colour in colours]
    return encoded(
        frames[0],
        "GIF",
        comment=SECRET + b"-GIF",
        save_all=len(frames) > 1,
        append_images=frames[1:],
        loop=0,
        duration=100,
    )


def mpo(size: tuple[int, int] = (40, 30)) -> bytes:
    """A multi-picture JPEG as phones write them: a red picture, then a blue one."""
    first = Image.new("RGB", size, "red")
    second = Image.new("RGB", size, "blue")
    return encoded(first, "MPO", save_all=True, append_images=[second])


def blank_png(width: int, height: int, mode: str = "RGBA") -> bytes:
    """A transparent PNG, written row by row so that even a huge one costs the
    test almost no memory: a 6300 × 6300 one is about 150 KB."""
    channels = {"RGBA": 4, "RGB": 3, "L": 1}[mode]
    colour_type = {"RGBA": 6, "RGB": 2, "L": 0}[mode]

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    compressor = zlib.compressobj(9)
    row = bytes(1 + width * channels)  # filter byte, then transparent pixels
    idat = b"".join(compressor.compress(row) for _ in range(height))
    idat += compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )
