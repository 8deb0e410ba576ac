"""Avatars in comment threads: drawn here from a keyed digest of the email
(nothing a reader's browser asks another site for, nothing that gives the
email away), Gravatar only when the site opts in, staff pictures, and the
avatar route's answers."""

from __future__ import annotations

import hashlib
import re

import pytest

from blog.comments.avatars import email_digest
from blog.extensions import db
from blog.models import Role
from blog.site.settings import save_settings

#: digests and markup: the same on either database engine.
pytestmark = pytest.mark.engine_independent

EMAIL = "Ann.Reader@Example.net"
PLAIN = EMAIL.lower().encode()
IMAGE = re.compile(r'<img class="avatar"[^>]*>')


def url(post) -> str:  # type: ignore[no-untyped-def]
    return f"/{post.published_at:%Y}/{post.published_at:%m}/{post.slug}/"


def test_readers_get_avatars_drawn_here_that_keep_their_email_hidden(
    app, client, make_post, make_comment, count_queries
):
    post = make_post("Bees")
    make_comment(post, "First!", name="Ann", email=EMAIL)
    make_comment(post, "Second.", name="Bo", email="bo@example.net")
    html = client.get(url(post)).get_data(as_text=True)

    digest = email_digest(EMAIL, app.config["SECRET_KEY"])
    images = IMAGE.findall(html)
    assert len(images) == 2
    first = images[0]
    assert f'src="/avatars/{digest}.svg"' in first
    for attribute in ('width="48"', 'height="48"', 'alt=""', 'loading="lazy"'):
        assert attribute in first
    # Neither the email nor a hash anyone could compute from it, and no
    # request to another site.
    for secret in (
        EMAIL,
        EMAIL.lower(),
        hashlib.md5(PLAIN).hexdigest(),
        hashlib.sha256(PLAIN).hexdigest(),
    ):
        assert secret not in html
    assert "gravatar" not in html.lower()
    assert not re.search(r'\ssrc(set)?="(https?:)?//', html)

    with count_queries() as counter:
        answer = client.get(f"/avatars/{digest}.svg")
    assert counter.count == 0
    assert answer.status_code == 200 and answer.mimetype == "image/svg+xml"
    assert answer.data.startswith(b"<svg") and b"script" not in answer.data
    control = answer.cache_control
    assert control.public and control.max_age == 31536000 and control.immutable
    assert "Set-Cookie" not in answer.headers
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    etag = answer.headers["ETag"]
    again = client.get(f"/avatars/{digest}.svg", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data


@pytest.mark.engine_independent
def test_avatar_addresses_take_only_digests_and_names_we_give(client):
    for path in (
        "/avatars/" + "0" * 31 + ".svg",
        "/avatars/" + "0" * 33 + ".svg",
        "/avatars/" + "A" * 32 + ".svg",
        "/avatars/" + "0" * 32 + ".png",
        "/avatars/users/" + "0" * 24 + ".webp",  # a name we could give, no file
        "/avatars/users/..%2F..%2Fconfig.py",
        "/avatars/users/x.svg",
    ):
        assert client.get(path).status_code == 404, path


@pytest.mark.engine_independent
def test_staff_see_the_same_cacheable_avatars(app, client, make_user, auth):
    """The route reads no session: logged-in staff (the dashboard shows
    avatars) get the public, year-long answer too, with no query."""
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    digest = email_digest("x@example.net", app.config["SECRET_KEY"])
    answer = client.get(f"/avatars/{digest}.svg")
    assert answer.cache_control.public and answer.cache_control.immutable
    assert answer.cache_control.max_age == 31536000


def test_gravatar_only_when_the_site_opts_in(app, client, make_post, make_comment):
    post = make_post("Bees")
    make_comment(post, "First!", name="Ann", email=EMAIL)
    with app.app_context():
        save_settings({"comments_gravatar": True})
        db.session.commit()
    html = client.get(url(post)).get_data(as_text=True)
    sha256 = hashlib.sha256(PLAIN).hexdigest()
    (image,) = IMAGE.findall(html)
    assert (
        f'src="https://www.gravatar.com/avatar/{sha256}?s=96&amp;d=identicon&amp;r=g"'
        in image
    )
    assert 'referrerpolicy="no-referrer"' in image
    assert EMAIL.lower() not in html and "/avatars/" not in html
    privacy = client.get("/privacy/").get_data(as_text=True)
    assert "Gravatar" in privacy


def test_staff_pictures_show_and_the_page_costs_the_same_queries(
    app, client, make_user, make_post, make_comment, count_queries
):
    author = make_user(Role.AUTHOR, "au")
    quiet = make_post("Quiet", author=author)
    busy = make_post("Busy", author=author)
    make_comment(quiet, "Just one.")
    with count_queries() as counter:
        assert client.get(url(quiet)).status_code == 200
    small = counter.count

    pictured = [
        make_user(Role.EDITOR, avatar_file=f"{n:024x}.webp") for n in range(1, 4)
    ]
    plain = make_user(Role.EDITOR, "plain", email="plain@example.org")
    for n, staff in enumerate([*pictured, plain, author]):
        make_comment(
            busy,
            f"Staff {n}",
            name=staff.display_name,
            email=staff.email,
            user_id=staff.id,
        )
        make_comment(busy, f"Reader {n}")
    with count_queries() as counter:
        html = client.get(url(busy)).get_data(as_text=True)
    assert counter.count == small
    for staff in pictured:
        assert f'src="/avatars/users/{staff.avatar_file}"' in html
    # Staff without a picture get the avatar of their email like anyone.
    digest = email_digest("plain@example.org", app.config["SECRET_KEY"])
    assert f'src="/avatars/{digest}.svg"' in html
    assert len(IMAGE.findall(html)) == 10
