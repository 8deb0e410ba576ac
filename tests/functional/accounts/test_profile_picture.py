"""The profile's picture (uploaded, cleaned, replaced, removed, shown beside
the staff member's comments) and its keyboard-shortcuts setting."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from blog.accounts.avatar import MAX_BYTES, NAME, SIDE, square_picture
from blog.comments.avatars import email_digest
from blog.errors import FieldError
from blog.extensions import db
from blog.media import Uploads
from blog.models import AccountEvent, Role, User
from tests.unit.media.samples import SECRET, photo


def form(user: User, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "display_name": user.display_name,
        "email": user.email,
        "bio": "",
        "website": "",
        "keyboard_shortcuts": "y",
    }
    data.update(changes)
    return data


def save(client, data: dict[str, object]):  # type: ignore[no-untyped-def]
    return client.post(
        "/dashboard/profile/", data=data, content_type="multipart/form-data"
    )


def stored(app, user: User) -> User:
    with app.app_context():
        found = db.session.get(User, user.id)
        db.session.expunge(found)
        return found


def pictures(app) -> list[Path]:
    folder = Path(app.instance_path) / "uploads" / "avatars"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_a_picture_is_cleaned_shown_replaced_and_removed(
    app, client, make_user, make_post, make_comment, auth
):
    ed = make_user(Role.EDITOR, "ed", display_name="Ed Itor")
    post = make_post("Bees", author=ed)
    make_comment(post, "Staff here.", name="Ed Itor", email=ed.email, user_id=ed.id)
    auth.login("ed")
    # A photo with EXIF (camera, GPS), XMP, a comment and an ICC profile.
    upload = (io.BytesIO(photo((600, 400))), "me.jpg")
    answer = save(client, form(ed, picture=upload))
    assert answer.status_code == 302

    name = stored(app, ed).avatar_file
    assert NAME.fullmatch(name)
    (path,) = pictures(app)
    assert path.name == name
    data = path.read_bytes()
    assert SECRET not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "WEBP" and image.size == (SIDE, SIDE)
        assert not {"exif", "xmp", "icc_profile"} & set(image.info)
        assert not image.getexif()

    page = client.get("/dashboard/profile/").get_data(as_text=True)
    assert f'src="/avatars/users/{name}"' in page
    assert " Remove picture</label>" in page
    with client.get(f"/avatars/users/{name}") as served:
        assert served.status_code == 200 and served.mimetype == "image/webp"
        assert served.data == data
        control = served.cache_control
        assert control.public and control.max_age == 31536000 and control.immutable
    auth.logout()
    article = f"/{post.published_at:%Y}/{post.published_at:%m}/{post.slug}/"
    assert f'src="/avatars/users/{name}"' in client.get(article).get_data(as_text=True)

    auth.login("ed")
    png = io.BytesIO()
    Image.new("RGBA", (90, 300), (0, 120, 200, 128)).save(png, format="PNG")
    save(client, form(ed, picture=(io.BytesIO(png.getvalue()), "tall.png")))
    second = stored(app, ed).avatar_file
    assert second != name and [p.name for p in pictures(app)] == [second]
    assert client.get(f"/avatars/users/{name}").status_code == 404

    save(client, form(ed, remove_picture="y"))
    assert stored(app, ed).avatar_file == "" and pictures(app) == []
    page = client.get("/dashboard/profile/").get_data(as_text=True)
    digest = email_digest(ed.email, app.config["SECRET_KEY"])
    assert f'src="/avatars/{digest}.svg"' in page and "Remove picture" not in page

    with app.app_context():
        details = db.session.scalars(
            select(AccountEvent.detail)
            .where(
                AccountEvent.user_id == ed.id, AccountEvent.action == "profile_updated"
            )
            .order_by(AccountEvent.id)
        ).all()
    assert details == ["picture", "picture", "picture removed"]


def test_a_file_that_is_not_an_image_is_refused_and_the_text_kept(
    app, client, make_user, auth
):
    cora = make_user(Role.CONTRIBUTOR, "cora")
    auth.login("cora")
    fake = (io.BytesIO(b"#!/bin/sh\necho not a picture\n" * 20), "me.png")
    answer = save(client, form(cora, display_name="Cora Renamed", picture=fake))
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert re.search(r'id="picture-error">That file is not', html)
    assert 'value="Cora Renamed"' in html
    assert stored(app, cora).display_name == "Cora" and pictures(app) == []

    # Over 5 MB: refused before it is decoded (the service's own check; the
    # form says the same, and the test client cannot send that much cleanly).
    too_big = io.BytesIO(photo((40, 30)) + b"\0" * MAX_BYTES)
    with app.app_context(), pytest.raises(FieldError, match="under 5 MB"):
        square_picture(too_big, Uploads.of(app))


def test_the_keyboard_shortcuts_checkbox_saves(app, client, make_user, auth):
    mo = make_user(Role.EDITOR, "mo")
    auth.login("mo")
    page = client.get("/dashboard/profile/").get_data(as_text=True)
    box = re.search(r'<input[^>]*name="keyboard_shortcuts"[^>]*>', page)
    assert box and "checked" in box.group(0)
    assert " Keyboard shortcuts for comment moderation</label>" in page

    data = form(mo)
    del data["keyboard_shortcuts"]  # an unticked box is not sent
    assert save(client, data).status_code == 302
    assert stored(app, mo).keyboard_shortcuts is False
    page = client.get("/dashboard/profile/").get_data(as_text=True)
    box = re.search(r'<input[^>]*name="keyboard_shortcuts"[^>]*>', page)
    assert box and "checked" not in box.group(0)

    assert save(client, form(mo)).status_code == 302
    assert stored(app, mo).keyboard_shortcuts is True
