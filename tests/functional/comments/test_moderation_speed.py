"""Moderating at speed: controls that name their comment, acting on every
comment of a view (all pages), Undo (a plain form, and the keyboard
script's JSON), and what the page gives the script."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from sqlalchemy import select

from blog.comments import Action, CommentSettings, undo
from blog.comments import moderation as moderation_service
from blog.comments.states import describe
from blog.extensions import db
from blog.models import Comment, CommentLogEntry, Role, User
from tests.functional.comments.test_moderation import row, status_of

JSON = {"Accept": "application/json"}


def undo_token(page: str) -> str:
    """The token of the flashed message's "Undo" button."""
    match = re.search(r'form=undo-form name=token value="([^"]+)"', page)
    assert match, "no Undo button"
    return html_lib.unescape(match.group(1))


def statuses(app, comments) -> list[str | None]:  # type: ignore[no-untyped-def]
    return [status_of(app, comment.id) for comment in comments]


@pytest.fixture
def editor(make_user, auth):  # type: ignore[no-untyped-def]
    user = make_user(Role.EDITOR, "ed", display_name="Edna Editor")
    auth.login(user)
    return user


def test_controls_name_their_comment_and_the_page_leads_to_the_list(
    app, client, make_post, make_comment, editor
):
    post = make_post("Talks")
    pending = make_comment(post, status="pending", name="Rosa Visitor")
    spam = make_comment(post, status="spam", name="Sam Sender")
    html = client.get("/dashboard/comments/").get_data(as_text=True)
    cells = row(html, pending.id)
    # The visible word first, then whose comment (WCAG 2.5.3, label in name).
    for word in ("Approve", "Spam", "Trash"):
        assert f'aria-label="{word} comment by Rosa Visitor">{word}</button>' in cells
    assert 'aria-label="Select comment by Rosa Visitor"' in cells
    assert 'aria-label="Reply to comment by Rosa Visitor">Reply</a>' in cells
    assert 'aria-label="Edit comment by Rosa Visitor">Edit</a>' in cells
    assert '<a class="skip-list" href="#comments-list">' in html
    assert 'id="comments-list" tabindex="-1"' in html
    assert 'data-tab-statuses="pending approved"' in html
    assert "js/comment-moderation.js" in html and 'data-shortcuts="on"' in html
    assert '<dialog class="shortcuts-dialog"' in html
    spam_page = client.get("/dashboard/comments/?status=spam").get_data(as_text=True)
    cells = row(spam_page, spam.id)
    assert 'aria-label="Not Spam comment by Sam Sender">Not Spam</button>' in cells
    assert (
        'aria-label="Delete Permanently comment by Sam Sender">'
        "Delete Permanently</button>" in cells
    )
    assert 'data-tab-statuses="spam"' in spam_page
    # Shortcuts turned off in the profile: no keys, no list of them.
    with app.app_context():
        db.session.get(User, editor.id).keyboard_shortcuts = False
        db.session.commit()
    html = client.get("/dashboard/comments/").get_data(as_text=True)
    assert "data-shortcuts" not in html and "shortcuts-dialog" not in html
    assert "js/comment-moderation.js" in html  # still selects all


def test_undo_without_javascript(
    app, client, make_user, make_post, make_comment, editor
):
    post = make_post("Talks")
    comment = make_comment(post, status="approved")
    back = "/dashboard/comments/?status=approved&q=thoughtful"
    response = client.post(
        f"/dashboard/comments/{comment.id}/spam", data={"next": back}
    )
    assert response.headers["Location"] == back  # tab and search kept
    page = client.get(back).get_data(as_text=True)
    assert "1 comment marked as spam." in page
    token = undo_token(page)
    assert len(token) < 200  # it lives in the session cookie, with the message
    assert (
        '<form method="post" action="/dashboard/comments/undo" id="undo-form"' in page
    )
    assert f'name="next" value="{html_lib.escape(back)}"' in page
    undone = client.post(
        "/dashboard/comments/undo",
        data={"token": token, "next": back},
        follow_redirects=True,
    )
    assert "1 comment restored to Approved." in undone.get_data(as_text=True)
    assert status_of(app, comment.id) == "approved"
    with app.app_context():
        entries = db.session.scalars(
            select(CommentLogEntry)
            .where(CommentLogEntry.comment_id == comment.id)
            .order_by(CommentLogEntry.id)
        ).all()
        assert [e.action for e in entries] == ["spam", "undo"]
        assert describe(entries[-1]) == (
            "Edna Editor undid a moderation action: back to approved"
        )
    # Once only: the comment is no longer where the action left it.
    again = client.post(
        "/dashboard/comments/undo", data={"token": token}, follow_redirects=True
    )
    assert "1 comment had changed since and stayed as it is." in again.get_data(
        as_text=True
    )
    # Nor once it is back there by a later action: a stale Undo undoes nothing.
    client.post(f"/dashboard/comments/{comment.id}/spam", data={"next": back})
    stale = client.post(
        "/dashboard/comments/undo", data={"token": token}, follow_redirects=True
    )
    assert "had changed since" in stale.get_data(as_text=True)
    assert status_of(app, comment.id) == "spam"
    client.post(f"/dashboard/comments/{comment.id}/not-spam", data={"next": back})
    client.post(f"/dashboard/comments/{comment.id}/approve", data={"next": back})
    # Another moderator cannot use it; a token too old or forged does nothing.
    client.post(f"/dashboard/comments/{comment.id}/trash")
    other = make_user(Role.EDITOR, "other")
    with app.app_context():
        trashed = db.session.get(Comment, comment.id)
        entry = trashed.history[-1]
        token = undo.offer(
            editor, Action.TRASH, {trashed.status: [entry.id]}, app.config["SECRET_KEY"]
        )
        theirs = db.session.get(User, other.id)
        for actor, max_age in ((theirs, 600), (db.session.get(User, editor.id), -1)):
            with pytest.raises(undo.UndoRefused):
                undo.undo(
                    actor,
                    token,
                    secret=app.config["SECRET_KEY"],
                    settings=CommentSettings(),
                    max_age=max_age,
                )
    forged = client.post(
        "/dashboard/comments/undo", data={"token": token + "x"}, follow_redirects=True
    )
    assert "This undo is no longer available" in forged.get_data(as_text=True)
    assert status_of(app, comment.id) == "trash"
    # Nothing to undo after "Delete Permanently".
    deleted = client.post(
        f"/dashboard/comments/{comment.id}/delete", follow_redirects=True
    ).get_data(as_text=True)
    assert (
        "1 comment deleted permanently." in deleted and "form=undo-form" not in deleted
    )


def test_apply_to_every_comment_in_the_view_and_undo_it(
    app, client, make_post, make_comment, editor
):
    post = make_post("Talks")
    garden = [
        make_comment(post, f"Garden note {n}", status="pending") for n in range(23)
    ]
    cooking = make_comment(post, "About cooking", status="pending")
    approved = make_comment(post, "Garden, approved", status="approved")
    view = "/dashboard/comments/?status=pending&q=garden"
    page = client.get(view).get_data(as_text=True)
    assert (
        "Apply to all 23 comments in this view (Pending, matching “garden”), "
        "not only the ticked ones" in page
    )
    assert 'name="status" type="hidden" value="pending"' in page
    assert 'name="q" type="hidden" value="garden"' in page
    response = client.post(
        "/dashboard/comments/bulk",
        data={
            "action": "spam",
            "all_matching": "y",
            "status": "pending",
            "q": "garden",
            "ids": [str(cooking.id)],  # ignored: every comment of the view
            "next": view,
        },
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "23 comments marked as spam." in html
    assert statuses(app, garden) == ["spam"] * 23
    assert statuses(app, [cooking, approved]) == ["pending", "approved"]
    client.post("/dashboard/comments/undo", data={"token": undo_token(html)})
    assert statuses(app, garden) == ["pending"] * 23
    # A view's tab decides too: nothing in Spam can be approved.
    nothing = client.post(
        "/dashboard/comments/bulk",
        data={"action": "approve", "all_matching": "y", "status": "spam"},
        follow_redirects=True,
    )
    assert "No comment in this view could be approved." in nothing.get_data(
        as_text=True
    )


def test_every_comment_in_the_view_is_only_what_the_actor_moderates(
    app, client, make_user, make_post, make_comment, auth
):
    author = make_user(Role.AUTHOR, "au")
    mine = [
        make_comment(make_post("Mine", author=author), status="pending")
        for _ in range(2)
    ]
    theirs = make_comment(make_post("Theirs"), status="pending")
    auth.login(author)
    response = client.post(
        "/dashboard/comments/bulk",
        data={"action": "approve", "all_matching": "y", "status": "pending"},
        follow_redirects=True,
    )
    assert "2 comments approved." in response.get_data(as_text=True)
    assert statuses(app, [*mine, theirs]) == ["approved", "approved", "pending"]


def test_a_large_view_goes_in_batches_up_to_a_limit(
    app, make_user, make_post, make_comment, monkeypatch
):
    monkeypatch.setattr(moderation_service, "BULK_LIMIT", 2)
    editor = make_user(Role.EDITOR, "ed")
    post = make_post("Talks")
    comments = [make_comment(post, status="pending") for _ in range(5)]
    with app.app_context():
        actor = db.session.get(User, editor.id)
        first = moderation_service.moderate_matching(
            actor, Action.TRASH, CommentSettings(), status="pending", limit=3
        )
        assert (first.done, first.more_left) == (3, True)
        rest = moderation_service.moderate_matching(
            actor, Action.TRASH, CommentSettings(), status="pending", limit=3
        )
        assert (rest.done, rest.more_left) == (2, False)
        # Each batch's log entries make one range: a short token.
        token = undo.offer(actor, Action.TRASH, first.undoable, "k")
        assert token is not None and len(token) < 120
    assert statuses(app, comments) == ["trash"] * 5


def test_the_keyboard_script_gets_json(app, client, make_post, make_comment, editor):
    post = make_post("Talks")
    comment = make_comment(post, status="pending", name="Rosa Visitor")
    back = "/dashboard/comments/?status=pending"
    data = client.post(
        f"/dashboard/comments/{comment.id}/approve", data={"next": back}, headers=JSON
    ).get_json()
    assert data["messages"] == [{"category": "success", "text": "1 comment approved."}]
    assert data["status"] == "approved" and data["id"] == comment.id
    assert 'aria-label="Unapprove comment by Rosa Visitor"' in data["row"]
    assert f'name="next" value="{html_lib.escape(back)}"' in data["row"]
    assert data["counts"]["pending"] == "0" and data["counts"]["approved"] == "1"
    assert data["undo"]["url"] == "/dashboard/comments/undo"
    undone = client.post(
        data["undo"]["url"],
        data={"token": data["undo"]["token"], "next": back},
        headers=JSON,
    ).get_json()
    assert undone["messages"][0]["text"] == "1 comment restored to Pending."
    [restored] = undone["restored"]
    assert restored["id"] == comment.id and restored["status"] == "pending"
    assert 'aria-label="Approve comment by Rosa Visitor"' in restored["row"]
    assert undone["counts"]["pending"] == "1"
    refused = client.post(data["undo"]["url"], data={"token": "forged"}, headers=JSON)
    assert refused.status_code == 400
    assert "no longer available" in refused.get_json()["messages"][0]["text"]
    client.post(f"/dashboard/comments/{comment.id}/trash")
    gone = client.post(
        f"/dashboard/comments/{comment.id}/delete", headers=JSON
    ).get_json()
    assert gone["status"] is None and gone["row"] is None and gone["undo"] is None


def test_undoing_spam_tells_akismet_it_was_not(
    app, client, make_post, make_comment, editor, akismet_server
):
    comment = make_comment(make_post("Talks"), "Real words", status="pending")
    page = client.post(
        f"/dashboard/comments/{comment.id}/spam", follow_redirects=True
    ).get_data(as_text=True)
    assert len(akismet_server.calls("submit-spam")) == 1
    client.post("/dashboard/comments/undo", data={"token": undo_token(page)})
    [ham] = akismet_server.calls("submit-ham")
    assert ham["comment_content"] == "Real words"
    assert status_of(app, comment.id) == "pending"


def test_a_searched_view_has_no_n_plus_one(
    client, make_post, make_comment, editor, count_queries
):
    post = make_post("Talks")
    make_comment(post, "Garden", status="pending")

    def queries() -> int:
        with count_queries() as counter:
            page = client.get("/dashboard/comments/?status=pending&q=garden")
            assert page.status_code == 200
        return counter.count

    small = queries()
    for n in range(6):
        comment = make_comment(
            post, f"Garden {n}", status="pending", email=f"g{n}@example.net"
        )
        client.post(f"/dashboard/comments/{comment.id}/approve")
        client.post(f"/dashboard/comments/{comment.id}/unapprove")
    assert queries() == small
