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


def test_term_names_lose_invisible_characters():
    from blog.posts.taxonomy import unique_names

    assert parse_names("\u202etxt.exe, A\u200bB") == ["txt.exe", "AB"]
    assert unique_names(["Students,\u200b Prospective"]) == ["Students, Prospective"]
