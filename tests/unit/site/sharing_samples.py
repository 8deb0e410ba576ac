"""Unsaved posts and images for the sharing and structured data tests."""

from __future__ import annotations

from datetime import UTC, datetime

from blog.models import Media, MediaVariant, Post, Taxonomy, Term, User

SITE = "https://blog.example.org"
SETTINGS = {"title": "River Notes", "tagline": "Walks & talks by the water"}
PUBLISHED = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
UPDATED = datetime(2024, 6, 1, 10, 0, 0, 654321, tzinfo=UTC)


def term(taxonomy: Taxonomy, name: str) -> Term:
    return Term(taxonomy=taxonomy, name=name, slug=name.lower())


JPEG_AND_WEBP = (("image/jpeg", "jpg"), ("image/webp", "webp"))


def image(
    width: int = 2400, height: int = 1600, types=JPEG_AND_WEBP, **fields: object
) -> Media:
    """An image with the copies the library makes (a JPEG's: JPEG and WebP)."""
    copies = [
        MediaVariant(width=w, height=w * 2 // 3, mimetype=t, filename=f"p-{w}.{x}")
        for w in (320, 640, 960, 1280, 1920)
        if w < width
        for t, x in types
    ]
    values: dict[str, object] = {
        "filename": "p.jpg",
        "mimetype": "image/jpeg",
        "width": width,
        "height": height,
        "alt_text": "Library words",
        "variants": copies,
        **fields,
    }
    return Media(**values)


def post(**fields: object) -> Post:
    values: dict[str, object] = {
        "kind": "article",
        "title": "A walk by the river",
        "slug": "a-walk",
        "body_html": "<p>Morning on the <em>river</em> path.</p><p>More.</p>",
        "excerpt_html": "",
        "published_at": PUBLISHED,
        "updated_at": UPDATED,
        "author": User(display_name="Wren", slug="wren"),
        "terms": [
            term(Taxonomy.CATEGORY, "Walks"),
            term(Taxonomy.CATEGORY, "Rivers"),
            term(Taxonomy.TAG, "spring"),
            term(Taxonomy.TAG, "water"),
        ],
        "featured_image_alt": "",
        **fields,
    }
    return Post(**values)
