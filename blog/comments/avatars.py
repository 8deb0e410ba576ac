"""Commenters' avatars without tracking.

Each commenter gets a picture drawn here (an identicon) from a *keyed*
hash of their email: HMAC-SHA256 under a key derived from the site's
``SECRET_KEY``, so the digest in a page cannot be matched against a list
of addresses (a plain MD5 or SHA-256 of an email can, which is why
Gravatar's hashes leak addresses). Drawing it takes the digest alone: no
database, no other site.

Gravatar is the site's choice (the ``comments_gravatar`` setting, off by
default): the reader's browser then asks gravatar.com for each commenter's
picture, by the SHA-256 of their email. A staff member's uploaded picture
(:mod:`blog.accounts.avatar`) wins over both.

:func:`choose` says which picture a commenter gets; it is pure (an email,
a file name, the settings), so templates can call it through
:func:`blog.views.avatars.avatar_url` without a query.
"""

from __future__ import annotations

import colorsys
import enum
import hashlib
import hmac
import re
from dataclasses import dataclass

#: Hex characters of the keyed digest in an avatar's address (128 bits).
DIGEST_LENGTH = 32
DIGEST_PATTERN = re.compile(rf"[0-9a-f]{{{DIGEST_LENGTH}}}")
#: Changes whenever the drawing does, so browsers fetch the new one.
DRAWING_VERSION = 1
#: What the key derived from ``SECRET_KEY`` is for (no other use shares it).
KEY_PURPOSE = b"avatar"
GRAVATAR = "https://www.gravatar.com/avatar/"

GRID = 5
BACKGROUND = "#f0f0f0"
#: The least contrast the pattern keeps against the background (WCAG's
#: ratio for graphics).
MIN_CONTRAST = 3.0


class Source(enum.StrEnum):
    PICTURE = "picture"  # a staff member's upload: ``value`` is its file name
    GRAVATAR = "gravatar"  # ``value`` is the address on gravatar.com
    GENERATED = "generated"  # ``value`` is the keyed digest


@dataclass(frozen=True)
class Avatar:
    source: Source
    value: str


def normalized(email: str) -> bytes:
    """An address as every avatar service hashes it: trimmed, lower case."""
    return email.strip().lower().encode("utf-8")


def avatar_key(secret_key: str | bytes) -> bytes:
    """The key of the avatar digests, derived from the site's secret (the
    secret itself is never used as is)."""
    secret = secret_key.encode("utf-8") if isinstance(secret_key, str) else secret_key
    return hmac.new(secret, KEY_PURPOSE, hashlib.sha256).digest()


def email_digest(email: str, secret_key: str | bytes) -> str:
    """The keyed digest of an email (:data:`DIGEST_LENGTH` hex characters):
    stable for one site, different on a site with another secret, and not
    the plain hash anyone could compute."""
    mac = hmac.new(avatar_key(secret_key), normalized(email), hashlib.sha256)
    return mac.hexdigest()[:DIGEST_LENGTH]


def gravatar_url(email: str, size: int) -> str:
    """Gravatar's picture for an email (SHA-256, which Gravatar accepts), at
    twice ``size`` for sharp screens, an identicon if they have none, rated G."""
    digest = hashlib.sha256(normalized(email)).hexdigest()
    return f"{GRAVATAR}{digest}?s={max(size, 1) * 2}&d=identicon&r=g"


def choose(
    email: str,
    *,
    picture: str = "",
    secret_key: str | bytes,
    gravatar: bool,
    size: int,
) -> Avatar:
    """Which picture a commenter gets: their uploaded ``picture`` (staff),
    else Gravatar's when the site opted in, else the one drawn here."""
    if picture:
        return Avatar(Source.PICTURE, picture)
    if gravatar:
        return Avatar(Source.GRAVATAR, gravatar_url(email, size))
    return Avatar(Source.GENERATED, email_digest(email, secret_key))


def etag(digest: str) -> str:
    """The drawing's validator: the digest and the drawing's version."""
    return f"v{DRAWING_VERSION}-{digest}"


def identicon_svg(digest: str) -> str:
    """A 5×5 pattern, mirrored left to right, in one colour taken from the
    digest, as a small SVG (plain shapes: no script, text or link).

    :raises ValueError: ``digest`` is not :data:`DIGEST_PATTERN`.
    """
    if not DIGEST_PATTERN.fullmatch(digest):
        raise ValueError("not an avatar digest")
    bits = int(digest, 16)
    half = (GRID + 1) // 2
    cells = [
        (column, row)
        for column in range(half)
        for row in range(GRID)
        if bits >> (column * GRID + row) & 1
    ] or [(half - 1, row) for row in range(GRID)]  # never a blank square
    squares = []
    for column, row in cells:
        for x in {column, GRID - 1 - column}:
            squares.append(f"M{x} {row}h1v1h-1z")
    colour = _colour(bits >> 64)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="-0.5 -0.5 6 6" '
        'shape-rendering="crispEdges">'
        f'<rect x="-0.5" y="-0.5" width="6" height="6" fill="{BACKGROUND}"/>'
        f'<path fill="{colour}" d="{"".join(sorted(squares))}"/></svg>'
    )


def _colour(bits: int) -> str:
    """A hue and saturation from ``bits``, darkened until the pattern has
    :data:`MIN_CONTRAST` against the background."""
    hue = (bits & 0xFFFF) / 0x10000
    saturation = 0.45 + ((bits >> 16) & 0xFF) / 255 * 0.3
    background = _rgb(BACKGROUND)
    lightness = 0.5
    while True:
        rgb = colorsys.hls_to_rgb(hue, max(lightness, 0), saturation)
        colour = "#" + "".join(f"{round(c * 255):02x}" for c in rgb)
        if lightness <= 0 or contrast(_rgb(colour), background) >= MIN_CONTRAST:
            return colour
        lightness -= 0.02


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    value = int(hex_colour.lstrip("#"), 16)
    return ((value >> 16) / 255, (value >> 8 & 0xFF) / 255, (value & 0xFF) / 255)


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG's contrast ratio of two sRGB colours (channels from 0 to 1)."""
    lighter, darker = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: tuple[float, float, float]) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue
