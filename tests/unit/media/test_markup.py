"""Library images in rendered bodies: attributes come from the database row
alone (src, srcset, sizes, width, height), every image but the first loads
lazily, unknown references leave their alt text, and nothing an editor types
into the Markdown can add an attribute."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from PIL import Image

from blog.extensions import db
from blog.media import Uploads, store_image
from blog.media.markup import link_media, markdown_reference
from blog.models import Media
from blog.rendering import render_post, sanitize
from tests.payloads import CORPUS, POST_ALLOWED_TAGS, assert_safe_html
from tests.unit.media.samples import encoded, photo


class Tags(HTMLParser):
    """Every tag of some HTML, with its attributes."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        self.text.append(data)

    def all(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.tags if tag == name]


@pytest.fixture
def images(app):
    """Two library images (1000 × 500 JPEG, 200 × 100 WebP); their ids and names."""
    with app.app_context():
        uploads = Uploads.of(app)
        big = store_image(io.BytesIO(photo((1000, 500))), uploads)
        big.alt_text = "A red wall in the library"
        small = store_image(
            io.BytesIO(encoded(Image.new("RGB", (200, 100), "blue"), "WEBP")), uploads
        )
        made = {"big": big.id, "small": small.id, "big_name": big.filename}
        db.session.commit()
    return made


def linked(app, source: str) -> str:
    with app.app_context():
        return link_media(render_post(source)).body


def test_an_image_gets_srcset_sizes_width_and_height(app, images):
    html = linked(app, f"![A wall](media:{images['big']})")
    page = Tags(html)
    [source] = page.all("source")
    [img] = page.all("img")
    stem = images["big_name"].removesuffix(".jpg")
    assert source == {
        "type": "image/webp",
        "srcset": ", ".join(
            f"/media/{stem}-{w}w.webp {w}w" for w in (320, 640, 960, 1000)
        ),
        "sizes": "(max-width: 720px) 100vw, 720px",
    }
    assert img["src"] == f"/media/{images['big_name']}"
    assert img["srcset"] == (
        f"/media/{stem}-320w.jpg 320w, /media/{stem}-640w.jpg 640w, "
        f"/media/{stem}-960w.jpg 960w, /media/{images['big_name']} 1000w"
    )
    assert (img["width"], img["height"], img["alt"]) == ("1000", "500", "A wall")
    assert img["decoding"] == "async" and "loading" not in img  # the first image
    assert html.startswith("<p><picture><source")


def test_every_image_but_the_first_is_lazy(app, images):
    source = (
        "![one](https://example.org/a.png)\n\n"
        f"![two](media:{images['big']})\n\n![three](media:{images['small']})"
    )
    imgs = Tags(linked(app, source)).all("img")
    assert [img.get("loading") for img in imgs] == [None, "lazy", "lazy"]
    assert all(img["decoding"] == "async" for img in imgs)
    assert imgs[0]["src"] == "https://example.org/a.png"


def test_a_small_webp_image_needs_no_picture(app, images):
    html = linked(app, f"![Blue](media:{images['small']})")
    page = Tags(html)
    assert page.all("picture") == [] and page.all("source") == []
    [img] = page.all("img")
    assert (img["width"], img["height"]) == ("200", "100")
    assert "srcset" not in img


def test_the_plain_address_of_an_upload_or_a_variant_works_too(app, images):
    stem = images["big_name"].removesuffix(".jpg")
    for address in (f"/media/{images['big_name']}", f"/media/{stem}-640w.webp"):
        [img] = Tags(linked(app, f"![Wall]({address})")).all("img")
        assert img["src"] == f"/media/{images['big_name']}"
        assert img["width"] == "1000" and "srcset" in img


def test_an_empty_alt_takes_the_librarys(app, images):
    [img] = Tags(linked(app, f"![](media:{images['big']})")).all("img")
    assert img["alt"] == "A red wall in the library"


@pytest.mark.parametrize(
    "reference",
    ["media:999999", "media:2147483648", "MEDIA:999", "/media/0123abcd.jpg"],
)
def test_an_unknown_upload_leaves_its_alt_text(app, images, reference):
    html = linked(app, f"Before ![A <b>lost</b> photo]({reference}) after")
    assert "<img" not in html and "media:" not in html
    assert html == "<p>Before A &lt;b&gt;lost&lt;/b&gt; photo after</p>"


def test_links_to_uploads_get_their_address(app, images):
    html = linked(app, f"[The wall](media:{images['big']}) and [gone](media:999999).")
    assert html == (
        f'<p><a href="/media/{images["big_name"]}">The wall</a> and gone.</p>'
    )


@pytest.mark.parametrize(
    "alt",
    [
        '" onerror="alert(1)',
        'x" srcset="https://evil.example/a.png 1w',
        "<script>alert(1)</script>",
        "\u202egpj.exe",
        "a&quot; onload=&quot;alert(1)",
    ],
)
def test_what_is_typed_as_alt_or_title_cannot_add_attributes(app, images, alt):
    source = f'![{alt}](media:{images["big"]} "{alt}")'
    html = linked(app, source)
    assert_safe_html(html, allowed_tags=POST_ALLOWED_TAGS, require_ugc_rel=False)
    for tag, attributes in Tags(html).tags:
        if tag == "img":
            assert set(attributes) <= {
                "src", "srcset", "sizes", "width", "height", "alt", "title",
                "loading", "decoding",
            }  # fmt: skip
            assert "evil" not in (attributes["srcset"] or "")
            assert attributes["width"] == "1000"


def test_the_payload_corpus_stays_safe_when_linked(app, images):
    for payload in CORPUS:
        for source in (
            f"{payload}\n\n![x](media:{images['big']})",
            f"![{payload}](media:{images['big']})",
        ):
            html = linked(app, source)
            assert_safe_html(
                html, allowed_tags=POST_ALLOWED_TAGS, require_ugc_rel=False
            )


def test_linking_is_idempotent_and_survives_the_sanitizer(app, images):
    source = (
        f"![a](media:{images['big']}) ![b](media:{images['small']})\n\n"
        f"[c](media:{images['big']}) ![d](https://example.org/d.png)"
    )
    with app.app_context():
        once = link_media(render_post(source)).body
        assert link_media(once).body == once
        assert sanitize(once, "post") == once


def test_srcset_written_by_hand_is_kept_only_for_uploads():
    html = sanitize(
        '<img src="/a.png" srcset="https://evil.example/x.png 1w" sizes="100vw">'
        '<picture><source srcset="javascript:alert(1) 1w" type="text/html">'
        '<img src="/media/ab12.png" srcset="/media/ab12-320w.png 320w" '
        'sizes="320px" loading="lazy" decoding="async" onload="x()"></picture>',
        "post",
    )
    assert html == (
        '<img src="/a.png"><picture><source>'
        '<img src="/media/ab12.png" srcset="/media/ab12-320w.png 320w" '
        'sizes="320px" loading="lazy" decoding="async"></picture>'
    )


def test_the_markdown_to_copy_keeps_brackets_in_their_place(app):
    with app.app_context():
        image = Media(id=7, filename="a.png", mimetype="image/png", alt_text="a [b]")
        pdf = Media(id=8, filename="b.pdf", mimetype="application/pdf", title="Q3 ]")
        assert markdown_reference(image) == r"![a \[b\]](media:7)"
        assert markdown_reference(pdf) == r"[Q3 \]](media:8)"
        assert re.search(r"\]\(media:8\)$", markdown_reference(pdf))
