"""Avatars drawn here (blog.comments.avatars): the keyed digest, the drawing,
and which picture a commenter gets."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET

import pytest

from blog.comments import avatars

SECRET = "one site's secret"
SVG = "{http://www.w3.org/2000/svg}"


def test_the_digest_is_stable_keyed_and_not_a_plain_hash():
    email = "Ann.Reader@Example.org"
    digest = avatars.email_digest(email, SECRET)
    assert avatars.DIGEST_PATTERN.fullmatch(digest)
    # Stable, and the address is compared as Gravatar compares it.
    assert avatars.email_digest("  ann.reader@example.org ", SECRET) == digest
    # Another site (another secret) gives another digest.
    assert avatars.email_digest(email, "another site's secret") != digest
    assert avatars.email_digest("other@example.org", SECRET) != digest
    # Not what anyone could compute from the address alone.
    plain = email.strip().lower().encode()
    for algorithm in ("md5", "sha1", "sha256"):
        assert digest not in hashlib.new(algorithm, plain).hexdigest()
    # Nor the secret used as the key directly.
    import hmac

    assert digest not in hmac.new(SECRET.encode(), plain, "sha256").hexdigest()


def test_the_drawing_is_deterministic_valid_svg_with_plain_shapes():
    digest = avatars.email_digest("ann@example.org", SECRET)
    svg = avatars.identicon_svg(digest)
    assert svg == avatars.identicon_svg(digest)
    assert svg != avatars.identicon_svg(avatars.email_digest("bo@example.org", SECRET))
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert {element.tag for element in root.iter()} <= {
        f"{SVG}svg",
        f"{SVG}rect",
        f"{SVG}path",
    }
    for element in root.iter():
        assert not any(
            name.startswith("on") or "href" in name for name in element.attrib
        )
    assert len(svg) < 1000


@pytest.mark.parametrize("n", range(8))
def test_the_pattern_is_mirrored_and_has_contrast(n):
    for k in range(n * 16, n * 16 + 16):
        _check_pattern(hashlib.md5(str(k).encode()).hexdigest())  # any 32 hex digits


def _check_pattern(digest: str) -> None:
    root = ET.fromstring(avatars.identicon_svg(digest))
    path = root.find(f"{SVG}path")
    assert path is not None
    cells = {
        tuple(int(v) for v in move.split("h")[0].split())
        for move in path.attrib["d"].split("M")
        if move
    }
    assert cells and cells == {(avatars.GRID - 1 - x, y) for x, y in cells}
    colour = path.attrib["fill"]
    rgb = tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    background = tuple(int(avatars.BACKGROUND[i : i + 2], 16) / 255 for i in (1, 3, 5))
    assert avatars.contrast(rgb, background) >= avatars.MIN_CONTRAST  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "digest", ["", "0" * 31, "0" * 33, "A" * 32, "g" * 32, "../" + "0" * 29]
)
def test_only_digests_are_drawn(digest):
    with pytest.raises(ValueError):
        avatars.identicon_svg(digest)


def test_which_picture_a_commenter_gets():
    email = " Ann@Example.org"
    choose = avatars.choose
    drawn = choose(email, secret_key=SECRET, gravatar=False, size=48)
    assert drawn == avatars.Avatar(
        avatars.Source.GENERATED, avatars.email_digest(email, SECRET)
    )
    gravatar = choose(email, secret_key=SECRET, gravatar=True, size=48)
    sha256 = hashlib.sha256(b"ann@example.org").hexdigest()
    assert gravatar.source == avatars.Source.GRAVATAR
    assert gravatar.value == (
        f"https://www.gravatar.com/avatar/{sha256}?s=96&d=identicon&r=g"
    )
    for on in (True, False):
        uploaded = choose(
            email, picture="ab.webp", secret_key=SECRET, gravatar=on, size=48
        )
        assert uploaded == avatars.Avatar(avatars.Source.PICTURE, "ab.webp")
