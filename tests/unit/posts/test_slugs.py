"""blog.posts.slugs: addresses made from titles, unique among those taken."""

from __future__ import annotations

from blog.posts.slugs import slugify, unique_slug


def test_slugify():
    assert slugify("Hello, Wörld!") == "hello-world"
    assert slugify("¡¿!") == "untitled"
    assert len(slugify("a" * 500)) == 200


def test_unique_slug():
    taken = {"post", "post-2"}
    assert unique_slug("post", taken.__contains__) == "post-3"
    assert unique_slug("fresh", taken.__contains__) == "fresh"
