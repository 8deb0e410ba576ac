"""Addresses in feed HTML made absolute, and the entries' stable ids."""

from __future__ import annotations

import pytest

from blog.feeds.links import (
    absolute_html,
    absolute_srcset,
    absolute_url,
    comment_guid,
    post_guid,
)
from blog.rendering import render_comment, render_post
from tests.payloads import CORPUS, POST_ALLOWED_TAGS, SPOOFING, assert_safe_html

SITE = "https://blog.example"
BASE = "https://blog.example/2024/05/bees/"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("/about/", "https://blog.example/about/"),
        ("/media/a.png?x=1", "https://blog.example/media/a.png?x=1"),
        ("#note", "https://blog.example/2024/05/bees/#note"),
        ("photo.png", "https://blog.example/2024/05/bees/photo.png"),
        ("../", "https://blog.example/2024/05/"),
        ("https://other.example/x", "https://other.example/x"),
        ("//cdn.example/x.png", "https://cdn.example/x.png"),
        ("mailto:someone@example.com", "mailto:someone@example.com"),
        (" /spaced/ ", "https://blog.example/spaced/"),
    ],
)
def test_absolute_url(value, expected):
    assert absolute_url(value, site_url=SITE, base=BASE) == expected


def test_a_site_url_with_a_trailing_slash():
    assert absolute_url("/x/", site_url=SITE + "/", base=BASE) == SITE + "/x/"


def test_srcset_candidates_keep_their_descriptors():
    srcset = "/media/a-320w.webp 320w, /media/a-640w.webp 640w,a.png 2x"
    assert absolute_srcset(srcset, site_url=SITE, base=BASE) == (
        "https://blog.example/media/a-320w.webp 320w, "
        "https://blog.example/media/a-640w.webp 640w, "
        "https://blog.example/2024/05/bees/a.png 2x"
    )


def test_html_addresses_are_rewritten_and_nothing_else():
    html = (
        '<p>See <a href="/about/" title="/not-a-link/">about</a> and '
        'src="/in/text" in words.</p>\n'
        '<picture><source srcset="/m/a-320w.webp 320w" type="image/webp">'
        '<img src="/m/a.png" alt="/alt/" srcset="/m/a-320w.png 320w"></picture>'
        '<blockquote cite="/source/"><p>q</p></blockquote>'
        '<a href="#fn">1</a>'
    )
    assert absolute_html(html, site_url=SITE, base=BASE) == (
        '<p>See <a href="https://blog.example/about/" title="/not-a-link/">about</a>'
        ' and src="/in/text" in words.</p>\n'
        '<picture><source srcset="https://blog.example/m/a-320w.webp 320w"'
        ' type="image/webp"><img src="https://blog.example/m/a.png" alt="/alt/"'
        ' srcset="https://blog.example/m/a-320w.png 320w"></picture>'
        '<blockquote cite="https://blog.example/source/"><p>q</p></blockquote>'
        '<a href="https://blog.example/2024/05/bees/#fn">1</a>'
    )


def test_escaped_characters_stay_escaped():
    html = '<a href="/search/?q=a&amp;page=2&quot;">x</a>'
    assert absolute_html(html, site_url=SITE, base=BASE) == (
        '<a href="https://blog.example/search/?q=a&amp;page=2&quot;">x</a>'
    )


def test_html_without_attributes_is_returned_as_is():
    assert absolute_html("<p>plain</p>", site_url=SITE, base=BASE) == "<p>plain</p>"
    assert absolute_html("", site_url=SITE, base=BASE) == ""


@pytest.mark.parametrize("body", CORPUS + SPOOFING)
def test_rewriting_keeps_sanitized_html_safe(body):
    """The rewrite runs on sanitized HTML and must not undo the sanitizer."""
    comment = absolute_html(render_comment(body), site_url=SITE, base=BASE)
    assert_safe_html(comment)
    post = absolute_html(render_post(body), site_url=SITE, base=BASE)
    assert_safe_html(post, allowed_tags=POST_ALLOWED_TAGS, require_ugc_rel=False)


def test_ids_name_the_post_not_its_slug():
    assert post_guid("https://blog.example/", 42) == "https://blog.example/?p=42"
    assert comment_guid(SITE, 42, 7) == "https://blog.example/?p=42#comment-7"
