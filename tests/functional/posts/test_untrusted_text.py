"""Issue #8 through the dashboard: NUL in the editor, heading ids, one-line
settings, web addresses checked by parsing. Run on PostgreSQL too
(BLOG_TEST_DATABASE_URL), which refuses NUL in text."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import Post, Role, Setting
from blog.site.settings import load_settings
from tests.fixtures_comments import url_of


def only_post(app) -> Post:  # type: ignore[no-untyped-def]
    with app.app_context():
        post = db.session.scalars(select(Post)).one()
        db.session.expunge(post)
    return post


def test_a_post_with_nul_and_control_characters_saves(app, client, make_user, auth):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    response = client.post(
        "/dashboard/posts/new",
        data={
            "title": "Null\x00 island\x1b",
            "body": "Zero\x00 bytes\x85\r\n\r\nand *more*\x07.",
            "excerpt": "Short\x00.",
            "tags": "nul\x00, bytes",
            "action": "publish",
        },
    )
    assert response.status_code == 302
    post = only_post(app)
    assert post.title == "Null island"
    assert post.body_source == "Zero bytes\n\nand *more*."
    assert post.excerpt_source == "Short."
    page = client.get(url_of(post))
    assert page.status_code == 200
    assert "Null island" in page.get_data(as_text=True)


def test_a_line_break_in_a_post_title_is_refused_with_the_text_kept(
    app, client, make_user, auth
):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    response = client.post(
        "/dashboard/posts/new",
        data={"title": "Two\r\nlines", "body": "Kept body.", "action": "publish"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Keep this on one line, without line breaks." in page
    assert "Kept body." in page
    with app.app_context():
        assert db.session.scalar(select(Post)) is None


@pytest.mark.parametrize(
    "body",
    ["# Content\n\nText.", '<h2 id="content">Content</h2>', "## Comments\n\nText."],
)
def test_a_heading_cannot_take_the_id_of_the_page_s_own_parts(client, make_post, body):
    """The skip link goes to id="content"; comments live at id="comments"."""
    post = make_post("Headings", body)
    html = client.get(url_of(post)).get_data(as_text=True)
    assert 'href="#content"' in html  # the skip link
    assert len(re.findall(r'\bid="content"', html)) == 1
    assert len(re.findall(r'\bid="comments"', html)) <= 1
    assert re.search(r'<h[12] id="user-content-(content|comments)">', html)


def test_anchors_inside_a_post_still_lead_to_its_headings(client, make_post):
    post = make_post("Anchors", "[Jump](#details)\n\n## Details\n\nHere.")
    html = client.get(url_of(post)).get_data(as_text=True)
    assert '<a href="#user-content-details">Jump</a>' in html
    assert '<h2 id="user-content-details">Details</h2>' in html


SETTINGS = {"tagline": "Dirt and data", "timezone": "UTC", "posts_per_page": 5}


@pytest.mark.parametrize(
    "title", ["Garden\r\nGazette", "Garden\nGazette", "Garden\u2028Gazette"]
)
def test_a_site_title_with_a_line_break_is_refused(app, client, make_user, auth, title):
    make_user(Role.ADMIN, "root")
    auth.login("root")
    response = client.post("/dashboard/settings/", data={"title": title, **SETTINGS})
    page = response.get_data(as_text=True)
    assert "Keep this on one line, without line breaks." in page
    assert "Dirt and data" in page  # what was typed is kept
    with app.app_context():
        assert load_settings()["title"] == "My Blog"
    assert client.get("/events.ics").status_code == 200


def test_a_site_title_stored_with_a_line_break_no_longer_breaks_pages(app, client):
    """Saved before line breaks were refused: shown on one line, and the
    calendar feed still answers."""
    with app.app_context():
        db.session.add(Setting(key="title", value="Garden\r\nGazette\x00"))
        db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert "Garden Gazette" in html and "Garden\r\n" not in html
    assert client.get("/events.ics").status_code == 200


def test_site_settings_drop_control_characters(app, client, make_user, auth):
    make_user(Role.ADMIN, "root")
    auth.login("root")
    client.post(
        "/dashboard/settings/",
        data={**SETTINGS, "title": "Garden\x00 Gazette", "tagline": "Dirt\x1b"},
    )
    with app.app_context():
        settings = load_settings()
    assert (settings["title"], settings["tagline"]) == ("Garden Gazette", "Dirt")


@pytest.mark.parametrize(
    "link",
    [
        "/\\evil.example",
        "/\t/evil.example",
        "//evil.example",
        "/\\/evil.example",
        "https://bank.example@evil.example/",
        'https://a.example/"x',
    ],
)
def test_a_promo_link_another_host_hides_in_is_refused(
    app, client, make_user, auth, link
):
    make_user(Role.ADMIN, "root")
    auth.login("root")
    response = client.post(
        "/dashboard/settings/promo/",
        data={"title": "Fifty years", "text": "Join us.", "link": link},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "Give a full address (https://...) or a path on this site" in (
        response.get_data(as_text=True)
    )
    with app.app_context():
        assert load_settings()["promo_link"] == ""


def test_a_promo_link_stored_before_the_check_is_not_shown(app, client, make_post):
    post = make_post("With promo")
    with app.app_context():
        db.session.add(Setting(key="promo_title", value="Fifty years"))
        db.session.add(Setting(key="promo_link", value="/\\evil.example"))
        db.session.commit()
    html = client.get(url_of(post)).get_data(as_text=True)
    assert "Fifty years" in html
    assert "evil.example" not in html


EVENT = {
    "title": "Quiet Channels",
    "status": "scheduled",
    "start_date": "2031-03-13",
    "start_time": "16:00",
    "end_date": "2031-03-13",
    "end_time": "17:30",
    "timezone": "America/New_York",
    "body": "Talks.",
    "action": "publish",
}


@pytest.mark.parametrize(
    ("field", "url"),
    [
        ("registration_url", "https://reg.example/\r\nx"),
        ("registration_url", 'https://reg.example/"},"x":"'),  # JSON-LD
        ("registration_url", "https://reg.example/'x"),
        ("online_url", "https://meet.example/\nx"),
        ("online_url", "https://meet.example\\@evil.example/"),
        ("speakers-0-url", "https://speaker.example/<x>"),
        ("sponsors-0-url", "https://sponsor.example/\r\nx"),
    ],
)
def test_event_links_with_line_breaks_or_quotes_are_refused(
    app, client, make_user, auth, field, url
):
    """Each would have gone raw into the event's JSON-LD and calendar file."""
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    data = {**EVENT, "speakers-0-name": "Mira", "sponsors-0-name": "Lantern"}
    response = client.post(
        "/dashboard/events/new",
        data={**data, field: url},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert re.search(
        "Give a full address starting with https://|An address cannot contain"
        "|Keep this on one line",
        page,
    )
    assert "Quiet Channels" in page  # kept
    with app.app_context():
        assert db.session.scalar(select(Post)) is None
