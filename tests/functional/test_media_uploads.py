"""Uploads through the editors: what is served back holds only pixels, images
over the limits and damaged files come back as form errors (never a 500), and
an upload leaves Pillow's process-wide settings alone."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import ExifTags, Image
from sqlalchemy import select

from blog.extensions import db
from blog.models import Media, Post, Role
from tests.unit.media.samples import SECRET, blank_png, gif_with_comment, mpo, photo


def post_form(client, url, data):
    return client.post(url, data=data, content_type="multipart/form-data")


def article(upload: bytes, name: str) -> dict[str, object]:
    return {
        "title": "Bees in April",
        "body": "The hives woke up.",
        "action": "publish",
        "featured_image": (io.BytesIO(upload), name),
        "featured_image_alt": "A frame of honeycomb",
    }


def stored_files(app) -> list[Path]:
    folder = Path(app.instance_path) / "uploads"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def editor(make_user, auth):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")


@pytest.mark.parametrize(
    ("upload", "name", "mimetype"),
    [
        (photo(), "beach.jpg", "image/jpeg"),
        (gif_with_comment(colours=("red", "blue")), "wave.gif", "image/gif"),
        (mpo(), "IMG_0001.jpg", "image/jpeg"),
    ],
    ids=["jpeg", "animated-gif", "mpo"],
)
def test_served_images_hold_only_pixels(app, client, editor, upload, name, mimetype):
    response = post_form(client, "/dashboard/posts/new", article(upload, name))
    assert response.status_code == 302
    with app.app_context():
        media = db.session.scalar(select(Media))
        assert db.session.scalar(select(Post)).featured_image == media
        url, original_name = f"/media/{media.filename}", media.original_name
    assert original_name == name
    with client.get(url) as response:
        assert response.status_code == 200 and response.mimetype == mimetype
        served = response.get_data()
    assert SECRET not in served
    image = Image.open(io.BytesIO(served))
    assert "comment" not in image.info and "exif" not in image.info
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert getattr(image, "n_frames", 1) == 1


@pytest.mark.parametrize("app_config", [{"UPLOAD_MAX_PIXELS": 30_000_000}])
def test_an_upload_leaves_pillows_own_limit_alone(app, client, editor):
    before = Image.MAX_IMAGE_PIXELS
    response = post_form(client, "/dashboard/posts/new", article(photo(), "a.jpg"))
    assert response.status_code == 302
    assert Image.MAX_IMAGE_PIXELS == before != 30_000_000


def test_large_photos_are_stored_scaled_down(app, client, editor):
    upload = photo((3000, 1500), orientation=6)
    response = post_form(client, "/dashboard/posts/new", article(upload, "a.jpg"))
    assert response.status_code == 302
    with app.app_context():
        media = db.session.scalar(select(Media))
        assert (media.width, media.height) == (1280, 2560)
    with Image.open(Path(app.instance_path) / "uploads" / media.filename) as image:
        assert image.size == (1280, 2560)


def test_a_small_file_that_decodes_huge_is_a_form_error(app, client, editor):
    # 6300 × 6300 RGBA, about 150 KB: under the pixel limit, but about 159 MB
    # decoded (and twice that to scale it down).
    bomb = blank_png(6300, 6300)
    response = post_form(client, "/dashboard/posts/new", article(bomb, "a.png"))
    assert response.status_code == 200
    page = response.get_data(True)
    assert "That image is too large (6300 × 6300 pixels)" in page
    assert "no more than 2560 pixels wide and high" in page
    assert 'value="Bees in April"' in page
    assert stored_files(app) == []
    with app.app_context():
        assert db.session.scalar(select(Post)) is None


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (photo((300, 200))[:-500], "That file is not an image we can use."),
        (
            b"\x89PNG\r\n\x1a\n" + bytes(40),
            "That file is not a JPEG, PNG, GIF or WebP image we can use.",
        ),
        (
            b"<svg onload='alert(1)'/>",
            "That file is not a JPEG, PNG, GIF or WebP image we can use.",
        ),
    ],
    ids=["truncated", "corrupt", "svg"],
)
@pytest.mark.parametrize("editor_page", ["post", "promo"])
def test_damaged_files_are_form_errors(
    app, client, make_user, auth, upload, message, editor_page
):
    make_user(Role.ADMIN, "root")
    auth.login("root")
    if editor_page == "post":
        url, data = "/dashboard/posts/new", article(upload, "a.png")
    else:
        url, data = (
            "/dashboard/settings/promo/",
            {
                "title": "Fifty Years of Dialogue",
                "text": "A year of talks.",
                "image": (io.BytesIO(upload), "a.png"),
                "image_alt": "Candles on a cake",
            },
        )
    response = post_form(client, url, data)
    assert response.status_code == 200
    assert message in response.get_data(True)
    assert stored_files(app) == []


def test_images_stored_before_these_rules_can_be_cleaned_again(app):
    from blog.media import Uploads, clean_stored, store_image
    from blog.media.variants import stored_names
    from tests.unit.media.samples import png_with_text, webp_with_metadata

    with app.app_context():
        uploads = Uploads.of(app)
        fresh = [
            store_image(io.BytesIO(sample()), uploads)
            for sample in (photo, png_with_text, webp_with_metadata, gif_with_comment)
        ]
        # As the old code stored them: comments kept, full size.
        old_jpeg, old_gif, broken = (
            store_image(io.BytesIO(photo()), uploads) for _ in range(3)
        )
        comment = SECRET + b"-COM"
        Image.new("RGB", (3000, 1000)).save(
            uploads.folder / old_jpeg.filename, "JPEG", comment=comment
        )
        Image.new("P", (20, 10)).save(
            uploads.folder / old_gif.filename, "GIF", comment=comment
        )
        (uploads.folder / broken.filename).write_bytes(b"\xff\xd8 not any more")
        db.session.commit()

        done = clean_stored(uploads)
        db.session.commit()
        assert done.rewritten == [old_jpeg.filename, old_gif.filename]
        assert done.refused == [broken.filename]
        assert all(media.filename not in done.rewritten for media in fresh)
        for media in (old_jpeg, old_gif):
            data = (uploads.folder / media.filename).read_bytes()
            assert SECRET not in data
        assert (old_jpeg.width, old_jpeg.height) == (2560, 853)
        # Nothing but the uploads and their variants, remade for rewritten ones.
        assert sorted(path.name for path in uploads.folder.iterdir()) == sorted(
            name
            for media in db.session.scalars(select(Media))
            for name in stored_names(media)
        )
        assert [v.width for v in old_jpeg.variants if v.mimetype == "image/jpeg"] == [
            320,
            640,
            960,
            1280,
            1920,
        ]
        assert clean_stored(uploads).rewritten == []


def test_the_media_clean_command_strips_old_comments(app, runner):
    from blog.media import Uploads, store_image

    with app.app_context():
        uploads = Uploads.of(app)
        old = store_image(io.BytesIO(photo()), uploads)
        db.session.commit()
        Image.new("RGB", (40, 30)).save(
            uploads.folder / old.filename, "JPEG", comment=SECRET
        )
    result = runner.invoke(args=["media", "clean"])
    assert result.exit_code == 0, result.output
    assert "Cleaned 1 image(s)" in result.output
    with app.app_context():
        assert SECRET not in (Uploads.of(app).folder / old.filename).read_bytes()
    again = runner.invoke(args=["media", "clean"])
    assert "Cleaned 0 image(s)" in again.output
