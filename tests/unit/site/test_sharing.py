"""Sharing cards (blog.site.sharing): descriptions as plain text cut at a
word, the shared image, OpenGraph types and article values, Twitter card."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from flask import Flask, render_template_string

from blog.models import Media, Post, Taxonomy
from blog.site import sharing
from tests.payloads import CORPUS, FIELD_PAYLOADS
from tests.unit.site.sharing_samples import SETTINGS, SITE, image, post, term


def card(p: Post) -> sharing.PageMeta:
    return sharing.for_post(
        p,
        f"{SITE}/2024/05/a-walk/",
        SETTINGS,
        site_url=SITE,
        author_url=f"{SITE}/author/wren/",
    )


# Descriptions ------------------------------------------------------------------


def test_the_excerpt_comes_first() -> None:
    p = post(excerpt_html="<p>The <strong>short</strong> version.</p>")
    assert sharing.describe(p, "tagline") == "The short version."


def test_then_the_start_of_the_body() -> None:
    assert sharing.describe(post(), "tagline") == "Morning on the river path. More."


def test_then_the_tagline() -> None:
    p = post(body_html="<p> </p>", excerpt_html="")
    assert sharing.describe(p, "Walks & talks") == "Walks & talks"
    assert card(p).description == "Walks & talks by the water"


def test_plain_text_has_no_tags_and_real_characters() -> None:
    p = post(
        excerpt_html="<p>Fish &amp; chips &lt;b&gt; caf&eacute;<br>&#8220;ok&#8221;</p>"
    )
    assert sharing.describe(p) == "Fish & chips <b> café “ok”"


def test_a_long_body_is_cut_at_a_word() -> None:
    words = " ".join(f"word{n}" for n in range(100))
    text = sharing.describe(post(body_html=f"<p>{words}</p>"))
    assert len(text) <= sharing.DESCRIPTION_LIMIT
    assert text.endswith("…")
    assert text[:-1] in words and words[len(text) - 1] == " "  # a whole word


def test_cut_at_word_keeps_short_text_and_cuts_one_long_word() -> None:
    assert sharing.cut_at_word("Short  and\nsweet.", 20) == "Short and sweet."
    assert sharing.cut_at_word("x" * 50, 10) == "x" * 9 + "…"
    assert sharing.cut_at_word("one two, three four", 12) == "one two…"


# Cards -------------------------------------------------------------------------


def test_an_article_card() -> None:
    meta = card(post(excerpt_html="<p>Short.</p>"))
    assert meta.og_type == "article"
    assert meta.title == "A walk by the river"
    assert meta.canonical == f"{SITE}/2024/05/a-walk/"
    assert meta.site_name == "River Notes"
    assert meta.published_time == "2024-05-06T07:08:09+00:00"
    assert meta.modified_time == "2024-06-01T10:00:00+00:00"
    assert meta.author_url == f"{SITE}/author/wren/"
    assert meta.section == "Walks"
    assert meta.tags == ("spring", "water")
    assert meta.image is None and meta.twitter_card == "summary"


def test_events_and_pages_are_websites_without_article_values() -> None:
    for kind in ("event", "page"):
        meta = card(post(kind=kind))
        assert meta.og_type == "website"
        assert (meta.published_time, meta.author_url, meta.section) == ("", "", "")
        assert meta.tags == ()


def test_a_featured_image_makes_a_large_card() -> None:
    meta = card(post(featured_image=image(), featured_image_alt="The river at dawn"))
    assert meta.twitter_card == "summary_large_image"
    assert meta.image == sharing.SharedImage(
        url=f"{SITE}/media/p-1280.jpg",
        width=1280,
        height=853,
        alt="The river at dawn",
        mimetype="image/jpeg",
    )


def test_the_library_alt_text_when_the_post_gives_none() -> None:
    meta = card(post(featured_image=image()))
    assert meta.image is not None and meta.image.alt == "Library words"


def test_a_small_image_is_shared_whole() -> None:
    shared = sharing.shared_image(image(800, 600), "A", SITE)
    assert shared is not None
    assert (shared.url, shared.width, shared.height) == (
        f"{SITE}/media/p.jpg",
        800,
        600,
    )


def test_a_webp_original_shares_webp_copies() -> None:
    webp = image(
        2000, 1000, (("image/webp", "webp"),), filename="p.webp", mimetype="image/webp"
    )
    shared = sharing.shared_image(webp, "A", SITE)
    assert shared is not None and shared.url == f"{SITE}/media/p-1280.webp"


def test_an_attachment_is_no_image() -> None:
    pdf = Media(filename="r.pdf", mimetype="application/pdf", variants=[])
    assert sharing.shared_image(pdf, "", SITE) is None


def test_a_listing_card_uses_its_description_or_the_tagline() -> None:
    meta = sharing.for_listing("Category: Walks", f"{SITE}/category/walks/", SETTINGS)
    assert meta.description == "Walks & talks by the water"
    assert meta.og_type == "website" and meta.twitter_card == "summary"
    described = sharing.for_listing("T", "", SETTINGS, description="On foot.")
    assert described.description == "On foot."


def test_the_site_card() -> None:
    meta = sharing.for_site(f"{SITE}/", SETTINGS)
    assert (meta.title, meta.canonical) == ("River Notes", f"{SITE}/")


# Escaping ----------------------------------------------------------------------

BREAKOUT = "</script><script>alert(1)</script>"
HOSTILE = [BREAKOUT, *CORPUS, FIELD_PAYLOADS["name"][0], '" onmouseover="alert(1)']


class Head(HTMLParser):
    """The tags a browser would make of the partial's output."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append((tag, dict(attrs)))


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_stays_inside_the_meta_attributes(
    app: Flask, payload: str
) -> None:
    p = post(
        title=payload,
        excerpt_html=f"<p>{payload.replace('&', '&amp;').replace('<', '&lt;')}</p>",
        featured_image=image(),
        featured_image_alt=payload,
        terms=[term(Taxonomy.CATEGORY, payload), term(Taxonomy.TAG, payload)],
    )
    meta = card(p)
    with app.test_request_context("/"):
        html = render_template_string(
            '{% include "public/_sharing_meta.html" %}', meta=meta
        )
    head = Head()
    head.feed(html)
    assert {tag for tag, _ in head.tags} == {"link", "meta"}
    for _, attributes in head.tags:
        assert set(attributes) <= {"rel", "href", "name", "property", "content"}
    contents = {
        str(a.get("property") or a.get("name")): a.get("content")
        for _, a in head.tags
        if a.get("content") is not None
    }
    assert contents["og:title"] == payload
    assert contents["twitter:image:alt"] == payload
    assert contents["article:section"] == payload
