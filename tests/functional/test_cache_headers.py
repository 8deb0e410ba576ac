"""What caches may keep: uploads for ever, public pages not when they were
made for a logged-in person."""

from __future__ import annotations

import io

from PIL import Image

from blog.models import Role


def _upload_image(app) -> str:  # type: ignore[no-untyped-def]
    from blog.extensions import db
    from blog.media import Uploads, store_image

    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(picture, "PNG")
    picture.seek(0)
    with app.app_context():
        media = store_image(picture, Uploads.of(app), original_name="g.png")
        db.session.commit()
        return media.filename


def test_uploads_are_immutable_and_public(app, client):
    filename = _upload_image(app)
    with client.get(f"/media/{filename}") as response:
        assert response.status_code == 200
        header = response.headers["Cache-Control"]
    directives = {d.strip() for d in header.split(",")}
    assert directives == {"public", "max-age=31536000", "immutable"}


def test_public_pages_for_staff_are_private(client, make_post, make_user, auth):
    post = make_post()
    anonymous = client.get("/")
    assert "private" not in anonymous.headers.get("Cache-Control", "")
    auth.login(make_user(Role.AUTHOR))
    for path in ("/", f"/{post.published_at:%Y/%m}/{post.slug}/", "/events/"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-store", path


def test_an_upload_stored_by_an_older_version_is_not_kept_until_cleaned(
    app, client, runner
):
    """``media clean`` may rewrite it under the same name: no cache may keep
    the old bytes (which may hold a GPS position) for a year."""
    from blog.extensions import db
    from blog.media import find_media

    filename = _upload_image(app)
    with app.app_context():
        find_media(filename).pixels_only = False  # as the migration marks old files
        db.session.commit()
    with client.get(f"/media/{filename}") as response:
        assert "immutable" not in response.headers["Cache-Control"]
        assert "max-age=31536000" not in response.headers["Cache-Control"]
    assert runner.invoke(args=["media", "clean"]).exit_code == 0
    with client.get(f"/media/{filename}") as response:
        assert "immutable" in response.headers["Cache-Control"]
