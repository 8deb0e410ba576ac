"""blog.posts.taxonomy: comma-separated term names as people type them."""

from __future__ import annotations

from blog.posts.taxonomy import parse_names


def test_parse_names():
    assert parse_names(" News,python , news,, Big   Data ") == [
        "News",
        "python",
        "Big Data",
    ]
    assert parse_names("") == []
