"""What caches may keep: uploads for ever; every public page, briefly and
with validators, when an anonymous reader asks (no cookie set); no page
made for a logged-in person or a remembered commenter.

CSRF is on here, as in production: the comment form must not give an
anonymous reader a session.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from blog.models import Role, utcnow
from tests.fixtures_comments import url_of

PUBLIC_CACHE_CONTROL = "public, max-age=0, s-maxage=5"


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True, "COMMENTS_PER_PAGE": 2}


@pytest.fixture
def site(make_user, make_post, make_page, make_event, make_comment):
    """One of every public page type; returns their addresses by name."""
    author = make_user(Role.AUTHOR, "ann", display_name="Ann")
    post = make_post(
        "Hello", author=author, categories="News", tags="Bees", days_ago=40
    )
    for n in range(3):  # two pages of comments
        make_comment(post, f"Comment {n}")
    about = make_page("About")
    event = make_event("Open house", categories="Fairs")
    year = f"{post.published_at:%Y}"
    return {
        "home": "/",
        "home page 2": "/?page=1",
        "article": url_of(post),
        "article, comments page 2": url_of(post) + "?cpage=2",
        "article, reply form": url_of(post) + f"?replytocom={1}",
        "year archive": f"/{year}/",
        "month archive": f"/{year}/{post.published_at:%m}/",
        "category": "/category/news/",
        "tag": "/tag/bees/",
        "author": "/author/ann/",
        "events": "/events/",
        "past events": "/events/past/",
        "event": f"/events/{event.slug}/",
        "event calendar file": f"/events/{event.slug}.ics",
        "events calendar": "/events.ics",
        "category calendar": "/events/category/fairs.ics",
        "static page": f"/{about.slug}/",
        "privacy": "/privacy/",
    }


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


def test_public_pages_for_staff_are_private(app, client, make_post, make_user, auth):
    app.config["WTF_CSRF_ENABLED"] = False  # logs in without a token
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


def test_every_public_page_type_sets_no_cookie_and_has_validators(client, site):
    for name, path in site.items():
        response = client.get(path)
        assert response.status_code == 200, name
        assert "Set-Cookie" not in response.headers, name
        assert response.headers["ETag"].startswith('W/"'), name
        assert "Last-Modified" in response.headers, name
        assert response.headers["Cache-Control"] == PUBLIC_CACHE_CONTROL, name
        assert "csrf_token" not in response.get_data(as_text=True), name
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "Set-Cookie" not in missing.headers
    assert client.get_cookie("session") is None


def test_a_conditional_request_gets_304_without_a_body(client, site):
    for name, path in site.items():
        first = client.get(path)
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304, name
        assert again.data == b"" and again.headers["ETag"] == etag, name
        assert "Set-Cookie" not in again.headers, name
        since = client.get(path, headers={"If-Modified-Since": modified})
        assert since.status_code == 304, name
        stale = client.get(path, headers={"If-None-Match": 'W/"0-0"'})
        assert stale.status_code == 200, name
        # If-None-Match wins over If-Modified-Since.
        both = client.get(
            path, headers={"If-None-Match": 'W/"0-0"', "If-Modified-Since": modified}
        )
        assert both.status_code == 200, name


def test_a_change_gives_a_new_etag(app, client, make_post):
    post = make_post("First")
    etag = client.get("/").headers["ETag"]
    modified = client.get("/").headers["Last-Modified"]
    make_post("Second")
    response = client.get("/", headers={"If-None-Match": etag})
    assert response.status_code == 200 and "Second" in response.get_data(as_text=True)
    assert response.headers["ETag"] != etag
    assert client.get(url_of(post), headers={"If-None-Match": etag}).status_code == 200
    # The stored time moved on too (whole seconds: the change may share one).
    assert response.headers["Last-Modified"] >= modified


def test_time_buckets_bound_how_long_a_copy_stays_current(app, client, make_post):
    """The ETag names the time bucket (CACHE_PAGE_SECONDS): a page's
    time-dependent bits ("comments close after N days") lag at most that."""
    app.config["CACHE_PAGE_SECONDS"] = 1
    make_post()
    etag = client.get("/").headers["ETag"]
    version, bucket = etag[3:-1].split("-")
    assert int(bucket) in range(
        int(utcnow().timestamp()) - 2, int(utcnow().timestamp()) + 1
    )
    app.config["CACHE_PAGE_SECONDS"] = 300
    assert (
        client.get("/").headers["ETag"]
        == f'W/"{version}-{int(utcnow().timestamp()) // 300}"'
    )


def test_not_found_and_redirects_carry_no_validators(client, make_post):
    post = make_post()
    assert "ETag" not in client.get("/category/nothing/").headers
    moved = client.get(url_of(post).replace(f"{post.published_at:%m}", "13"))
    assert moved.status_code in (301, 404)
    assert "ETag" not in moved.headers


def test_a_remembered_commenter_gets_a_page_of_their_own(
    app, client, make_post, post_comment
):
    post = make_post()
    app.config["WTF_CSRF_ENABLED"] = False
    post_comment(post, "Remember me", name="Rita", remember="y")
    assert client.get_cookie("comment_author") is not None
    response = client.get(url_of(post))
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in response.headers
    assert 'value="Rita"' in response.get_data(as_text=True)
    reader = app.test_client()
    assert 'value="Rita"' not in reader.get(url_of(post)).get_data(as_text=True)


def test_a_page_for_a_stale_session_cookie_is_private(client, site):
    """A cookie the site no longer knows (an ended session) is not a login,
    but the page was made for that request: no shared cache may keep it."""
    client.set_cookie("session", "ended-or-forged")
    for name, path in site.items():
        response = client.get(path)
        assert response.status_code == 200, name
        assert response.headers["Cache-Control"] == "private, no-store", name
        assert "ETag" not in response.headers, name


def test_staff_pages_stay_private_with_no_validators(
    app, client, site, make_user, auth
):
    app.config["WTF_CSRF_ENABLED"] = False  # logs in without a token
    auth.login(make_user(Role.EDITOR))
    for name, path in site.items():
        response = client.get(path)
        assert response.status_code == 200, name
        assert response.headers["Cache-Control"] == "private, no-store", name
        assert "ETag" not in response.headers, name
        assert client.get(path, headers={"If-None-Match": "*"}).status_code == 200, name
