"""The index follows every change, in the same transaction, and readers
find only what they may read now."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from blog import events, search
from blog.extensions import db
from blog.media import Uploads, store_image
from blog.media.library import update_media
from blog.models import Media, Post, Role, SearchDocument, Term, User, utcnow
from blog.pages import PageInput, reserved_words, save_page
from blog.posts import PostInput, SaveAction, delete_post, save_post, trash_post
from tests.fixtures_events import event_input
from tests.functional.search.helpers import found
from tests.unit.media.samples import photo


def _edit(app, post_id: int, title: str, body: str, **fields) -> None:
    with app.app_context():
        post = db.session.get(Post, post_id)
        save_post(
            post.author,
            PostInput(title=title, body=body, **fields),
            post,
            action=SaveAction.UPDATE,
        )


def _document(app, post_id: int) -> SearchDocument | None:
    with app.app_context():
        document = db.session.get(SearchDocument, post_id)
        if document is not None:
            db.session.expunge(document)
        return document


def test_a_saved_post_has_its_document(app, make_post):
    post = make_post(
        "Harbour &amp; <b>news</b>",
        body="Boats *arrive*.\n\n> Quoted tide.",
        excerpt="Short.",
        categories="Sea",
        tags="boats, tides",
    )
    document = _document(app, post.id)
    assert document.title == "Harbour &amp; <b>news</b>"  # plain text, as typed
    assert document.text.split("\n") == [
        "Boats arrive. Quoted tide.",
        "Short.",
        "boats",
        "Sea",
        "tides",
    ]


def test_an_edit_replaces_the_old_words(app, client, make_post):
    post = make_post("Old title", body="Walrus facts.")
    assert found(client, "walrus") == ["Old title"]
    _edit(app, post.id, "New title", "Narwhal facts.", categories="Arctic")
    assert found(client, "walrus") == [] and found(client, "old") == []
    assert found(client, "narwhal") == ["New title"]
    assert found(client, "arctic") == ["New title"]


def test_pages_and_events_are_indexed_on_save(app, client, make_user):
    editor = make_user(Role.EDITOR)
    with app.app_context():
        actor = db.session.get(User, editor.id)
        page = save_page(
            actor,
            PageInput(title="Visiting", body="Parking is free."),
            reserved=reserved_words(app.url_map),
            action=SaveAction.PUBLISH,
        )
        page_id = page.id
        event = events.save_event(
            actor,
            event_input(
                "Open day",
                body="Tours of the observatory.",
                publish_at=utcnow() - timedelta(days=1),
            ),
            action=SaveAction.PUBLISH,
            uploads=Uploads.of(app),
        )
        event_id = event.id
    assert found(client, "parking") == ["Visiting"]
    assert found(client, "observatory") == ["Open day"]
    with app.app_context():
        actor = db.session.get(User, editor.id)
        save_page(
            actor,
            PageInput(title="Visiting", body="Bicycles welcome."),
            db.session.get(Post, page_id),
            reserved=reserved_words(app.url_map),
        )
        events.save_event(
            actor,
            event_input("Open day", body="Tours of the planetarium."),
            db.session.get(Post, event_id),
            uploads=Uploads.of(app),
        )
    assert found(client, "parking") == [] and found(client, "bicycle") == ["Visiting"]
    assert found(client, "observatory") == []
    assert found(client, "planetarium") == ["Open day"]


def test_a_deleted_post_loses_its_document(app, client, make_post):
    post = make_post("Doomed", body="Ephemeral words.")
    with app.app_context():
        trash_post(db.session.get(Post, post.id).author, db.session.get(Post, post.id))
        actor = db.session.get(Post, post.id).author
        delete_post(actor, db.session.get(Post, post.id))
    assert _document(app, post.id) is None
    assert found(client, "ephemeral") == []


def test_a_renamed_category_is_found_by_its_new_name(app, client, make_post):
    make_post("Filed", body="Text.", categories="Astronomy")
    assert found(client, "astronomy") == ["Filed"]
    with app.app_context():
        term = db.session.scalar(select(Term).where(Term.name == "Astronomy"))
        term.name = "Cosmology"
        db.session.commit()
    assert found(client, "astronomy") == []
    assert found(client, "cosmology") == ["Filed"]
    with app.app_context():
        db.session.delete(
            db.session.scalar(select(Term).where(Term.name == "Cosmology"))
        )
        db.session.commit()
    assert found(client, "cosmology") == []


def test_the_index_changes_in_the_same_transaction(app, client, make_post):
    post = make_post("Steady", body="Granite.")
    with app.app_context():
        row = db.session.get(Post, post.id)
        row.body_html = "<p>Marble.</p>"
        db.session.flush()
        marble = search.found(search.parse("marble"))
        assert [p.title for p in db.session.scalars(marble)] == ["Steady"]
        db.session.rollback()  # the save fails: its document goes too
    assert found(client, "granite") == ["Steady"] and found(client, "marble") == []


@pytest.fixture
def contributor(make_user):
    return make_user(Role.CONTRIBUTOR)


def test_readers_find_only_what_they_may_read(
    app, client, make_user, make_post, contributor
):
    make_post("Live", body="Secretword in public.")
    make_post("Draft", body="Secretword drafted.", publish=False)
    scheduled = make_post("Scheduled", body="Secretword later.", days_ago=-2)
    make_post("Pending", body="Secretword for review.", author=contributor)
    trashed = make_post("Trashed", body="Secretword binned.")
    unpublished = make_post("Unpublished", body="Secretword withdrawn.")
    deleted = make_post("Deleted", body="Secretword gone.")
    with app.app_context():
        for post_id in (trashed.id, deleted.id):
            post = db.session.get(Post, post_id)
            trash_post(post.author, post)
        post = db.session.get(Post, deleted.id)
        delete_post(post.author, post)
        post = db.session.get(Post, unpublished.id)
        save_post(
            post.author,
            PostInput(title="Unpublished", body="Secretword withdrawn."),
            post,
            action=SaveAction.UNPUBLISH,
        )
        statuses = dict(db.session.execute(select(Post.title, Post.status)).all())
    assert statuses["Pending"] == "pending" and statuses["Unpublished"] == "draft"
    assert found(client, "secretword") == ["Live"]
    assert found(client, "later") == [] and found(client, "drafted") == []

    # Time passes: the scheduled post is found from its date on, unsaved.
    with app.app_context():
        db.session.execute(
            update(Post)
            .where(Post.id == scheduled.id)
            .values(published_at=utcnow() - timedelta(minutes=1))
        )
        db.session.commit()
    assert sorted(found(client, "secretword")) == ["Live", "Scheduled"]


def test_an_images_new_alt_text_is_found(app, client, make_user, make_post):
    """A library image's alt text is the words of posts showing it without
    their own; changing it re-renders them with a bulk update, which the
    index follows too."""
    editor = make_user(Role.EDITOR)
    with app.app_context():
        media = store_image(
            io.BytesIO(photo((400, 300))),
            Uploads.of(app),
            original_name="bird.jpg",
            uploader=db.session.get(User, editor.id),
        )
        media.alt_text = "A pelican"
        db.session.commit()
        media_id = media.id
    make_post("Birdwatching", body=f"Seen today: ![](media:{media_id})", author=editor)
    assert found(client, "pelican") == ["Birdwatching"]
    with app.app_context():
        update_media(
            db.session.get(User, editor.id),
            db.session.get(Media, media_id),
            alt_text="A heron at dawn",
            caption="",
            title="",
        )
    assert found(client, "heron") == ["Birdwatching"]
    assert found(client, "pelican") == []


def test_an_event_is_found_by_its_venue_people_and_sponsors(
    app, client, make_user, make_event
):
    """Readers look a talk up by its speaker or its hall, not only its text;
    an edit of those details follows into the index."""
    editor = make_user(Role.EDITOR)
    event = make_event(
        "Evening panel",
        author=editor,
        body="Three views on one river.",
        publish_at=utcnow() - timedelta(days=1),
        venue_name="Lakeside Hall",
        people=[events.PersonInput("Mira Castellanos", "Harbor University")],
        sponsors=[events.SponsorInput("Friends of the Delta")],
    )
    for words in ("Castellanos", "lakeside", "harbor university", "delta"):
        assert found(client, words) == ["Evening panel"], words
    with app.app_context():
        events.save_event(
            db.session.get(User, editor.id),
            event_input(
                "Evening panel",
                body="Three views on one river.",
                venue_name="Quarry Theatre",
                people=[events.PersonInput("Ines Okafor")],
            ),
            db.session.get(Post, event.id),
            uploads=Uploads.of(app),
        )
    assert found(client, "Castellanos") == [] and found(client, "delta") == []
    assert found(client, "Okafor") == ["Evening panel"]
    assert found(client, "quarry") == ["Evening panel"]
