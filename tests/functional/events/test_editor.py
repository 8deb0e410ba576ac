"""The event editor, without JavaScript: create an event like the seed, rows
for people and sponsors (add, remove, reorder), the image's alt text, and
the promotional block's settings page."""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from blog.events import PersonInput, SponsorInput
from blog.extensions import db
from blog.models import Event, Post, Role, Setting, Term
from tests.conftest import PASSWORD
from tests.fixtures_events import png_bytes

#: The seed page's "Open to", word for word: three of the names hold commas.
SEED_AUDIENCES = (
    "Parents and Families",
    "Students, Graduate and Professional",
    "Students, Prospective",
    "Students, Undergraduate",
)


def seed_form(**overrides):
    data = {
        "title": "Quiet Channels: Can Unofficial Talks Restart Diplomacy?",
        "status": "scheduled",
        "start_date": "2031-03-13",
        "start_time": "16:00",
        "end_date": "2031-03-13",
        "end_time": "17:30",
        "timezone": "America/New_York",
        "venue_name": "Lakeside Hall",
        "room": "Room 341",
        "body": "When official talks stall, do quiet channels help?\n\n> Keep talking.",
        "speakers-0-name": "Mira Castellanos",
        "speakers-0-affiliation": "Harbor University",
        "speakers-0-position": "1",
        "speakers-1-name": "Tomas Eriksen",
        "speakers-1-affiliation": "Northfield Policy Centre",
        "speakers-1-position": "2",
        "speakers-2-name": "Aiko Brandt",
        "speakers-2-affiliation": "Bridgeway Foundation",
        "speakers-2-position": "3",
        "moderators-0-name": "Samuel Okoro",
        "moderators-0-affiliation": "Riverton College",
        "moderators-0-role": "moderator",
        "moderators-0-position": "1",
        "sponsors-0-name": "The Lantern Project",
        "sponsors-0-url": "https://lantern.example",
        "sponsors-0-position": "1",
        "sponsors-1-name": "Programme on Conflict and Cooperation",
        "sponsors-1-position": "2",
        "categories": "Diplomacy",
        "new_audiences": "\n".join(SEED_AUDIENCES),
        "new_units": "Institute for Global Dialogue\nEast Asia Programme",
        "contact_name": "Priya Nandakumar",
        "contact_email": "priya@example.org",
        "contact_phone": "+1 555 0100",
        "accommodations_deadline": "2031-03-06",
        "featured_image": (io.BytesIO(png_bytes()), "hall.png"),
        "featured_image_alt": "The old lecture hall in winter",
        "featured_image_caption": "Lakeside Hall, before the new wing",
        "comments_open": "y",
        "action": "publish",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post_form(client, url, data):
    return client.post(url, data=data, content_type="multipart/form-data")


def test_an_editor_creates_an_event_like_the_seed(app, client, make_user, auth):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    assert "Add New Event" in client.get("/dashboard/events/new").get_data(True)
    response = post_form(client, "/dashboard/events/new", seed_form())
    assert response.status_code == 302, response.get_data(True)
    with app.app_context():
        post = db.session.scalar(select(Post))
        event = db.session.get(Event, post.id)
        assert post.kind == "event" and post.status == "published"
        assert event.starts_at == datetime(2031, 3, 13, 20, 0, tzinfo=UTC)
        assert event.ends_at == datetime(2031, 3, 13, 21, 30, tzinfo=UTC)
        assert [(p.name, p.affiliation) for p in event.speakers] == [
            ("Mira Castellanos", "Harbor University"),
            ("Tomas Eriksen", "Northfield Policy Centre"),
            ("Aiko Brandt", "Bridgeway Foundation"),
        ]
        assert [(p.name, p.role) for p in event.moderators] == [
            ("Samuel Okoro", "moderator")
        ]
        assert [s.name for s in event.sponsors] == [
            "The Lantern Project",
            "Programme on Conflict and Cooperation",
        ]
        assert [t.name for t in event.audiences] == list(SEED_AUDIENCES)
        assert [t.name for t in event.units] == [
            "East Asia Programme",
            "Institute for Global Dialogue",
        ]
        assert post.featured_image is not None
        assert post.featured_image_alt == "The old lecture hall in winter"
        slug = post.slug
    client.post("/logout")
    page = client.get(f"/events/{slug}/").get_data(True)
    for text in (
        "Thursday, March 13, 2031, 4:00–5:30 p.m. EDT",
        "Aiko Brandt",
        "Co-sponsored by",
        "Open to",
        "Contact <bdi>Priya Nandakumar</bdi></a> to request accommodations by "
        "Thursday, March 6, 2031",
        "Lakeside Hall, before the new wing",
    ):
        assert text in page
    assert listed(page, "event-audiences") == list(SEED_AUDIENCES)


def listed(page: str, section: str) -> list[str]:
    """The items of a section's list on the event page, as readers read them."""
    found = re.search(rf'<section class="{section}".*?<ul>(.*?)</ul>', page, re.S)
    assert found, section
    items = re.findall(r"<li>(.*?)</li>", found[1], re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def checkboxes(page: str, name: str) -> dict[str, bool]:
    """The editor's checkboxes called ``name``: each value and whether ticked."""
    boxes = re.findall(
        rf'<input type="checkbox" name="{name}" value="([^"]*)"( checked)?>', page
    )
    return {html.unescape(value): bool(ticked) for value, ticked in boxes}


def test_the_image_needs_alt_text_and_nothing_typed_is_lost(
    app, client, make_user, auth
):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    response = post_form(
        client, "/dashboard/events/new", seed_form(featured_image_alt="")
    )
    assert response.status_code == 200
    page = response.get_data(True)
    assert "Describe the image" in page
    assert 'value="Quiet Channels: Can Unofficial Talks Restart Diplomacy?"' in page
    assert 'value="Aiko Brandt"' in page
    with app.app_context():
        assert db.session.scalar(select(Post)) is None


def test_bad_times_are_reported_next_to_the_field(app, client, make_user, auth):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    page = post_form(
        client,
        "/dashboard/events/new",
        seed_form(end_time="15:00", featured_image=None, featured_image_alt=""),
    ).get_data(True)
    assert re.search(r'id="end_time-error">The event must end after it starts', page)
    page = post_form(
        client,
        "/dashboard/events/new",
        seed_form(start_date="", featured_image=None),
    ).get_data(True)
    assert "Give the date the event starts." in page
    with app.app_context():
        assert db.session.scalar(select(Post)) is None


def test_a_bad_link_in_a_row_is_shown_at_the_top_and_nothing_is_saved(
    app, client, make_user, auth
):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    response = post_form(
        client,
        "/dashboard/events/new",
        seed_form(**{"sponsors-0-url": "javascript:alert(1)"}, featured_image=None),
    )
    page = response.get_data(True)
    assert response.status_code == 200
    assert re.search(r'role="alert">Give a full address starting with https://', page)
    assert "Programme on Conflict and Cooperation" in page  # everything kept
    with app.app_context():
        assert db.session.scalar(select(Post)) is None


def test_add_another_row_without_javascript(app, client, make_user, auth):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    response = post_form(
        client,
        "/dashboard/events/new",
        seed_form(action="add-speakers", featured_image=None),
    )
    assert response.status_code == 200
    page = response.get_data(True)
    assert 'name="speakers-3-name"' in page  # a fourth, empty row
    assert 'name="speakers-4-name"' not in page
    assert 'value="Aiko Brandt"' in page and 'value="Priya Nandakumar"' in page
    with app.app_context():
        assert db.session.scalar(select(Post)) is None  # nothing saved yet


def test_rows_are_removed_and_reordered_by_their_numbers(
    app, client, make_user, make_event, auth
):
    editor = make_user(Role.EDITOR, "ed")
    post = make_event(
        author=editor,
        people=[PersonInput("Ana"), PersonInput("Ben"), PersonInput("Cleo")],
        sponsors=[SponsorInput("One"), SponsorInput("Two")],
    )
    auth.login("ed")
    form = client.get(f"/dashboard/events/{post.id}/edit").get_data(True)
    assert 'value="Ana"' in form and 'name="speakers-3-name"' in form
    data = seed_form(
        featured_image=None,
        featured_image_alt="",
        **{
            "speakers-0-name": "Ana",
            "speakers-0-position": "3",
            "speakers-1-name": "Ben",
            "speakers-1-position": "1",
            "speakers-1-remove": "y",
            "speakers-2-name": "Cleo",
            "speakers-2-position": "2",
            "sponsors-0-name": "One",
            "sponsors-0-position": "2",
            "sponsors-1-name": "Two",
            "sponsors-1-position": "1",
        },
    )
    response = post_form(client, f"/dashboard/events/{post.id}/edit", data)
    assert response.status_code == 302, response.get_data(True)
    with app.app_context():
        event = db.session.get(Event, post.id)
        assert [p.name for p in event.speakers] == ["Cleo", "Ana"]
        assert [s.name for s in event.sponsors] == ["Two", "One"]
        assert event.sequence == 1


def test_the_editor_shows_local_times_in_the_events_zone(
    client, make_user, make_event, auth
):
    editor = make_user(Role.EDITOR, "ed")
    post = make_event(
        author=editor, start="2031-07-01 09:30", end=None, timezone="Asia/Tokyo"
    )
    auth.login("ed")
    page = client.get(f"/dashboard/events/{post.id}/edit").get_data(True)
    assert 'name="start_time" type="time" value="09:30"' in page
    assert '<option selected value="Asia/Tokyo">' in page
    listing = client.get("/dashboard/events/").get_data(True)
    assert post.title in listing and "9:30 a.m. JST" in listing


def test_trash_and_restore_an_event(app, client, make_user, make_event, auth):
    editor = make_user(Role.EDITOR, "ed")
    post = make_event(author=editor)
    auth.login("ed")
    assert client.post(f"/dashboard/events/{post.id}/trash").status_code == 302
    assert client.get(f"/events/{post.slug}/").status_code == 404
    client.post(f"/dashboard/events/{post.id}/restore")
    with app.app_context():
        assert db.session.get(Post, post.id).status == "draft"


def test_the_promo_block_is_set_in_the_dashboard(app, client, make_user, auth):
    make_user(Role.ADMIN, "root")
    auth.login("root")
    missing_alt = post_form(
        client,
        "/dashboard/settings/promo/",
        {
            "title": "Fifty Years of Dialogue",
            "text": "A year of talks.",
            "image": (io.BytesIO(png_bytes()), "promo.png"),
        },
    )
    assert missing_alt.status_code == 200
    assert "Describe the image" in missing_alt.get_data(True)
    response = post_form(
        client,
        "/dashboard/settings/promo/",
        {
            "title": "Fifty Years of Dialogue",
            "text": "A year of talks.\r\n\r\nJoin us.",
            "link": "javascript:alert(1)",
            "image": (io.BytesIO(png_bytes()), "promo.png"),
            "image_alt": "Candles on a cake",
        },
    )
    assert "Give a full address" in response.get_data(True)
    response = post_form(
        client,
        "/dashboard/settings/promo/",
        {
            "title": "Fifty Years of Dialogue",
            "text": "A year of talks.\r\n\r\nJoin us.",
            "link": "https://example.org/fifty",
            "image": (io.BytesIO(png_bytes()), "promo.png"),
            "image_alt": "Candles on a cake",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        values = {s.key: s.value for s in db.session.scalars(select(Setting))}
        assert values["promo_title"] == "Fifty Years of Dialogue"
        assert values["promo_image"].endswith(".png")
    home = client.get("/dashboard/settings/promo/").get_data(True)
    assert 'alt="Candles on a cake"' in home


def test_only_admins_change_the_promo_block(client, make_user, auth):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    response = client.post("/dashboard/settings/promo/", data={"title": "Mine"})
    assert response.status_code == 403


def test_articles_get_a_featured_image_with_alt_text(app, client, make_user, auth):
    make_user(Role.AUTHOR, "marta")
    auth.login("marta")
    article = {
        "title": "Bees in April",
        "body": "The hives woke up.",
        "featured_image": (io.BytesIO(png_bytes()), "bees.png"),
        "action": "publish",
    }
    page = post_form(client, "/dashboard/posts/new", dict(article)).get_data(True)
    assert "Describe the image" in page and 'value="Bees in April"' in page
    article["featured_image"] = (io.BytesIO(png_bytes()), "bees.png")
    article["featured_image_alt"] = "A frame of honeycomb"
    article["featured_image_caption"] = "April, on the roof"
    assert post_form(client, "/dashboard/posts/new", article).status_code == 302
    with app.app_context():
        post = db.session.scalar(select(Post))
        url = f"/{post.published_at:%Y}/{post.published_at:%m}/{post.slug}/"
        post_id = post.id
    public = client.get(url).get_data(True)
    assert 'alt="A frame of honeycomb"' in public
    assert "<figcaption>April, on the roof</figcaption>" in public
    # Editing keeps the image; removing it drops the alt text too.
    kept = {"title": "Bees in April", "body": "x", "action": "publish"}
    kept["featured_image_alt"] = "A frame of honeycomb"
    assert (
        post_form(client, f"/dashboard/posts/{post_id}/edit", kept).status_code == 302
    )
    assert 'alt="A frame of honeycomb"' in client.get(url).get_data(True)
    removed = {**kept, "remove_image": "y"}
    assert (
        post_form(client, f"/dashboard/posts/{post_id}/edit", removed).status_code
        == 302
    )
    with app.app_context():
        post = db.session.get(Post, post_id)
        assert post.featured_image is None and post.featured_image_alt == ""


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_an_expired_token_keeps_everything_typed(app, client, make_user):
    make_user(Role.EDITOR, "grace")
    page = client.get("/login").get_data(True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    client.post(
        "/login", data={"login": "grace", "password": PASSWORD, "csrf_token": token}
    )
    response = post_form(
        client, "/dashboard/events/new", seed_form(featured_image=None)
    )
    assert response.status_code == 200
    page = response.get_data(True)
    assert "Nothing you typed was lost" in page
    assert 'value="Aiko Brandt"' in page and 'value="Priya Nandakumar"' in page
    assert re.search(r'name="csrf_token" type="hidden" value="[^"]+"', page)
    with app.app_context():
        assert db.session.scalar(select(Post)) is None


@pytest.mark.parametrize("kind", ["posts", "events"])
def test_a_refused_save_leaves_no_uploaded_file_behind(
    app, client, make_user, auth, kind
):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    too_deep = "> " * 25 + "quoted"
    form = (
        seed_form(body=too_deep)
        if kind == "events"
        else {"title": "Bees", "body": too_deep, "action": "publish"}
    )
    form["featured_image"] = (io.BytesIO(png_bytes()), "bees.png")
    form["featured_image_alt"] = "A frame of honeycomb"
    response = post_form(client, f"/dashboard/{kind}/new", form)
    assert response.status_code == 200
    assert "nests lists or quotes" in response.get_data(True)
    uploads = Path(app.instance_path) / "uploads"
    assert not uploads.exists() or list(uploads.iterdir()) == []
    with app.app_context():
        assert db.session.scalar(select(Post)) is None


@pytest.mark.parametrize("app_config", [{"UPLOAD_MAX_PIXELS": 100}])
def test_upload_max_pixels_limits_uploads(app, client, make_user, auth):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    form = {
        "title": "Bees",
        "body": "The hives woke up.",
        "action": "publish",
        "featured_image": (io.BytesIO(png_bytes((40, 30))), "bees.png"),
        "featured_image_alt": "A frame of honeycomb",
    }
    response = post_form(client, "/dashboard/posts/new", form)
    assert response.status_code == 200
    assert "That image is too large (40 × 30 pixels)" in response.get_data(True)
    with app.app_context():
        assert db.session.scalar(select(Post)) is None


def test_preview_shows_the_reader_page_and_saves_nothing(app, client, make_user, auth):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    response = post_form(client, "/dashboard/events/new", seed_form(action="preview"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Preview: this is how readers will see the event" in html
    assert 'content="noindex"' in html
    for part in (
        "Mira Castellanos",
        "Samuel Okoro",
        "The Lantern Project",
        "Diplomacy",
    ):
        assert part in html
    assert "4:00–5:30 p.m. EDT" in html
    assert "Leave a Reply" not in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Post)) == 0
        assert db.session.scalar(select(func.count()).select_from(Term)) == 0


def test_preview_of_changes_leaves_the_saved_event_alone(
    app, client, make_user, make_event, auth
):
    editor = make_user(Role.EDITOR, "ed")
    post = make_event("Saved title", author=editor)
    auth.login("ed")
    form = seed_form(action="preview", title="Changed title", featured_image=None)
    html = post_form(client, f"/dashboard/events/{post.id}/edit", form).get_data(
        as_text=True
    )
    assert "Changed title" in html and "Preview:" in html
    with app.app_context():
        saved = db.session.get(Post, post.id)
        assert saved.title == "Saved title"
        assert saved.event.sequence == post.event.sequence


# Audiences and units: checkboxes, and an "Add new" box --------------------------


def test_existing_audiences_and_units_are_checkboxes(
    app, client, make_user, make_event, auth
):
    editor = make_user(Role.EDITOR, "ed")
    make_event("Another", author=editor, audiences=("Alumni",), units=("Library",))
    post = make_event(
        author=editor,
        audiences=("Faculty", "Students, Prospective"),
        units=("Institute for Global Dialogue",),
    )
    auth.login("ed")
    page = client.get(f"/dashboard/events/{post.id}/edit").get_data(True)
    assert re.search(
        r'<fieldset class="checklist" id="audiences">\s*<legend>Open to</legend>', page
    )
    assert re.search(r"<legend>Organising units</legend>", page)
    assert checkboxes(page, "audiences") == {
        "Alumni": False,
        "Faculty": True,
        "Students, Prospective": True,
    }
    assert checkboxes(page, "units") == {
        "Institute for Global Dialogue": True,
        "Library": False,
    }
    # Each box is labelled by its name; the new names' boxes by theirs.
    assert (
        '<label><input type="checkbox" name="audiences" value="Students, Prospective"'
        " checked> Students, Prospective</label>" in page
    )
    assert '<label for="new_audiences">Add new audience</label>' in page
    assert '<label for="new_units">Add new unit</label>' in page
    new_page = client.get("/dashboard/events/new").get_data(True)
    assert checkboxes(new_page, "audiences") == {
        "Alumni": False,
        "Faculty": False,
        "Students, Prospective": False,
    }


def test_ticking_attaches_unticking_detaches_and_new_names_keep_their_commas(
    app, client, make_user, make_event, auth
):
    editor = make_user(Role.EDITOR, "ed")
    make_event("Another", author=editor, audiences=("Alumni",))
    post = make_event(author=editor, audiences=("Faculty", "Students, Prospective"))
    auth.login("ed")
    data = seed_form(
        featured_image=None,
        featured_image_alt="",
        audiences=["Students, Prospective", "Alumni"],  # Faculty unticked
        new_audiences="Students, Graduate and Professional\n\n  faculty  \nalumni",
        units=[],
        new_units="MAX-Institute of Dialogue, East Asia Program",
    )
    response = post_form(client, f"/dashboard/events/{post.id}/edit", data)
    assert response.status_code == 302, response.get_data(True)
    with app.app_context():
        event = db.session.get(Event, post.id)
        assert [t.name for t in event.audiences] == [
            "Alumni",
            "Faculty",  # typed again as "faculty": the existing term
            "Students, Graduate and Professional",
            "Students, Prospective",
        ]
        assert [t.name for t in event.units] == [
            "MAX-Institute of Dialogue, East Asia Program"
        ]
        names = db.session.scalars(
            select(Term.name).where(Term.taxonomy == "audience").order_by(Term.name)
        ).all()
        assert names == [
            "Alumni",
            "Faculty",
            "Students, Graduate and Professional",
            "Students, Prospective",
        ]
    page = client.get(f"/events/{post.slug}/", follow_redirects=True).get_data(True)
    assert listed(page, "event-audiences")[-2:] == [
        "Students, Graduate and Professional",
        "Students, Prospective",
    ]
    assert listed(page, "event-units") == [
        "MAX-Institute of Dialogue, East Asia Program"
    ]
    data.update(audiences=[], new_audiences="", new_units="")
    response = post_form(client, f"/dashboard/events/{post.id}/edit", data)
    assert response.status_code == 302
    with app.app_context():
        event = db.session.get(Event, post.id)
        assert event.audiences == [] and event.units == []
        assert db.session.scalar(select(func.count(Term.id))) == 6  # none deleted
    page = client.get(f"/events/{post.slug}/", follow_redirects=True).get_data(True)
    assert "Open to" not in page and "Organising unit" not in page


def test_ticks_and_new_names_survive_a_refused_save(app, client, make_user, auth):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    data = seed_form(
        featured_image=None,
        featured_image_alt="",
        end_time="15:00",  # before the start: refused
        audiences=["Students, Prospective"],  # ticked, though no longer offered
        new_audiences="Parents and Families\nStudents, Undergraduate",
    )
    page = post_form(client, "/dashboard/events/new", data).get_data(True)
    assert "The event must end after it starts." in page
    assert checkboxes(page, "audiences") == {"Students, Prospective": True}
    assert "Parents and Families\nStudents, Undergraduate</textarea>" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Term.id))) == 0


def test_too_long_a_name_is_refused_next_to_its_list(app, client, make_user, auth):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    data = seed_form(featured_image=None, new_units="Unit " + "x" * 100)
    page = post_form(client, "/dashboard/events/new", data).get_data(True)
    assert re.search(r'id="units-error">Keep each name to 100 characters', page)
    assert "Unit " + "x" * 100 in page
    with app.app_context():
        assert db.session.scalar(select(Post)) is None
