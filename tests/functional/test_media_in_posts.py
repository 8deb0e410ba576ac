"""Library images where readers see them: in an article's or event's text
(``![alt](media:ID)``) and as the featured image, with srcset, sizes, width
and height; the featured image chosen from the library by its number; and
the commands that bring older uploads and posts up to date."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest
from sqlalchemy import delete, select

from blog.extensions import db
from blog.media import Uploads, store_image
from blog.models import Media, MediaVariant, Post, Role, User, media_uses
from tests.unit.media.samples import photo


class Images(HTMLParser):
    """The ``<img>`` and ``<source>`` tags of a page, in order."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.imgs: list[dict[str, str | None]] = []
        self.sources: list[dict[str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        if tag == "img":
            self.imgs.append(dict(attrs))
        elif tag == "source":
            self.sources.append(dict(attrs))


def store(app, size=(900, 600), **words: str) -> Media:
    with app.app_context():
        media = store_image(io.BytesIO(photo(size)), Uploads.of(app))
        for key, value in words.items():
            setattr(media, key, value)
        db.session.commit()
        db.session.refresh(media)
        db.session.expunge(media)
        return media


def url_of(post: Post) -> str:
    at = post.published_at
    assert at is not None
    return f"/{at:%Y}/{at:%m}/{post.slug}/"


@pytest.fixture
def editor(make_user, auth):
    user = make_user(Role.EDITOR, "ed")
    auth.login("ed")
    return user


def test_an_article_shows_library_images_with_srcset(
    app, client, editor, make_post, make_user
):
    first, second = store(app), store(app, (1500, 1000))
    post = make_post(
        "Walls",
        body=(
            f"![Red wall](media:{first.id})\n\nText.\n\n![Tall wall](media:{second.id})"
        ),
        author=editor,
    )
    client.post("/logout")
    page = client.get(url_of(post)).get_data(True)
    images = Images(page)
    one, two = images.imgs
    assert one["src"] == f"/media/{first.filename}" and one["alt"] == "Red wall"
    assert (one["width"], one["height"]) == ("900", "600")
    assert "320w" in (one["srcset"] or "") and one["sizes"]
    assert "loading" not in one and two["loading"] == "lazy"
    assert two["srcset"] and "1280w" in two["srcset"]
    assert [source["type"] for source in images.sources] == ["image/webp"] * 2
    with app.app_context():
        used = db.session.execute(
            select(media_uses.c.media_id).where(media_uses.c.post_id == post.id)
        ).scalars()
        assert sorted(used) == sorted([first.id, second.id])


def test_an_event_shows_library_images_too(app, client, make_event):
    media = store(app)
    event = make_event("Open day", body=f"![The hall](media:{media.id})")
    page = client.get(f"/events/{event.slug}/").get_data(True)
    [img] = [i for i in Images(page).imgs if i.get("alt") == "The hall"]
    assert img["srcset"] and img["width"] == "900"


def test_the_editor_publishes_a_body_with_a_media_reference(app, client, editor):
    media = store(app, alt_text="A red wall")
    response = client.post(
        "/dashboard/posts/new",
        data={"title": "Walls", "body": f"![](media:{media.id})", "action": "publish"},
    )
    assert response.status_code == 302
    with app.app_context():
        post = db.session.scalar(select(Post))
        assert 'alt="A red wall"' in post.body_html and "srcset=" in post.body_html


def test_the_featured_image_is_chosen_from_the_library(app, client, editor):
    media = store(app, alt_text="Library words")
    response = client.post(
        "/dashboard/posts/new",
        data={
            "title": "Chosen",
            "body": "Text.",
            "action": "publish",
            "featured_image_id": str(media.id),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        post = db.session.scalar(select(Post))
        assert post.featured_image_id == media.id
        assert post.featured_image_alt == "Library words"
        db.session.expunge(post)
    client.post("/logout")
    page = client.get(url_of(post)).get_data(True)
    [img] = Images(page).imgs
    assert img["alt"] == "Library words" and img["width"] == "900"
    assert "srcset" in img and "loading" not in img  # the page's first image
    assert "featured-image" in page


@pytest.mark.parametrize("number", ["999999", "two"])
def test_an_unknown_library_number_is_a_form_error(app, client, editor, number):
    response = client.post(
        "/dashboard/posts/new",
        data={
            "title": "Kept title",
            "body": "Kept body.",
            "action": "publish",
            "featured_image_id": number,
            "featured_image_alt": "Words",
        },
    )
    page = response.get_data(True)
    assert response.status_code == 200
    assert (
        "There is no image with that number in the media library." in page
        or "Give the number of an image in the media library." in page
    )
    assert 'value="Kept title"' in page
    with app.app_context():
        assert db.session.scalar(select(Post)) is None


def test_a_featured_upload_joins_the_library_with_its_words(app, client, editor):
    response = client.post(
        "/dashboard/posts/new",
        data={
            "title": "Uploaded",
            "body": "Text.",
            "action": "publish",
            "featured_image": (io.BytesIO(photo((800, 400))), "wall.jpg"),
            "featured_image_alt": "A wall",
            "featured_image_caption": "In May",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        media = db.session.scalar(select(Media))
        assert (media.alt_text, media.caption, media.original_name) == (
            "A wall",
            "In May",
            "wall.jpg",
        )
        assert {v.width for v in media.variants} == {320, 640, 800}
    library = client.get("/dashboard/media/").get_data(True)
    assert "Featured image" in library or "featured image" in library
    assert ">Uploaded</a>" in library


def test_media_variants_brings_older_uploads_and_their_posts_up_to_date(
    app, runner, make_post
):
    media = store(app)
    with app.app_context():
        uploads = Uploads.of(app)
        old = db.session.get(Media, media.id)
        for variant in old.variants:  # as an older version stored it
            (uploads.folder / variant.filename).unlink()
        db.session.execute(delete(MediaVariant))
        old.byte_size = 0
        db.session.commit()
    post = make_post("Old post", body=f"![Wall](/media/{media.filename})")
    with app.app_context():
        assert "srcset" not in db.session.get(Post, post.id).body_html
    result = runner.invoke(args=["media", "variants"])
    assert result.exit_code == 0, result.output
    assert "Made variants of 1 image(s); updated 1 post(s) showing them." in (
        result.output
    )
    with app.app_context():
        renewed = db.session.get(Media, media.id)
        assert renewed.byte_size > 0 and len(renewed.variants) == 5
        for variant in renewed.variants:
            assert (Uploads.of(app).folder / variant.filename).is_file()
        body = db.session.get(Post, post.id).body_html
        assert "srcset" in body and 'alt="Wall"' in body
    again = runner.invoke(args=["media", "variants"])
    assert "Made variants of 0 image(s)" in again.output


def test_render_links_images_of_posts_stored_by_older_versions(app, runner, make_post):
    media = store(app)
    post = make_post("Old post", body=f"![Wall](/media/{media.filename})")
    with app.app_context():
        stored = db.session.get(Post, post.id)
        stored.body_html = f'<p><img alt="Wall" src="/media/{media.filename}"></p>'
        stored.rendered_version = 2
        stored.media_refs = []
        db.session.commit()
    result = runner.invoke(args=["render"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        renewed = db.session.get(Post, post.id)
        assert "srcset" in renewed.body_html and 'width="900"' in renewed.body_html
        assert [m.id for m in renewed.media_refs] == [media.id]


def test_editing_the_library_alt_text_reaches_posts_without_their_own(
    app, client, editor, make_post
):
    media = store(app, alt_text="Old words")
    post = make_post("Walls", body=f"![](media:{media.id})", author=editor)
    client.post(
        f"/dashboard/media/{media.id}/",
        data={"alt_text": "New words", "caption": "", "title": ""},
    )
    with app.app_context():
        saved = db.session.get(Post, post.id)
        assert 'alt="New words"' in saved.body_html
        assert (
            saved.version == 1 or saved.version == db.session.get(Post, post.id).version
        )


def test_contributors_still_choose_library_images(app, client, make_user, auth):
    media = store(app, alt_text="Shared")
    make_user(Role.CONTRIBUTOR, "cora")
    auth.login("cora")
    assert client.get("/dashboard/media/choose.json").get_json()["total"] == 1
    response = client.post(
        "/dashboard/posts/new",
        data={
            "title": "For review",
            "body": f"![](media:{media.id})",
            "featured_image_id": str(media.id),
            "action": "publish",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        post = db.session.scalar(select(Post))
        assert post.featured_image_id == media.id and "srcset" in post.body_html
        assert db.session.get(User, post.author_id).username == "cora"
