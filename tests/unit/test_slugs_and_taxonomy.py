from __future__ import annotations

from blog.posts.slugs import slugify, unique_slug
from blog.posts.taxonomy import parse_names


def test_slugify():
    assert slugify("Hello, Wörld!") == "hello-world"
    assert slugify("¡¿!") == "untitled"
    assert len(slugify("a" * 500)) == 200


def test_unique_slug():
    taken = {"post", "post-2"}
    assert unique_slug("post", taken.__contains__) == "post-3"
    assert unique_slug("fresh", taken.__contains__) == "fresh"


def test_parse_names():
    assert parse_names(" News,python , news,, Big   Data ") == [
        "News",
        "python",
        "Big Data",
    ]
    assert parse_names("") == []
