"""blog.comments.states: every allowed and refused transition, audit rows, and
the words of each moderation action."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from blog.comments import states as comment_state
from blog.comments.states import (
    ACTIONS,
    DELETABLE,
    TRANSITIONS,
    Action,
    TransitionRefused,
)
from blog.errors import PermissionDenied
from blog.extensions import db
from blog.models import Comment, CommentLogEntry, CommentStatus, Role, User

STATUSES = [s.value for s in CommentStatus]
EXPECTED = {
    ("pending", "approve"): "approved",
    ("approved", "unapprove"): "pending",
    ("pending", "spam"): "spam",
    ("approved", "spam"): "spam",
    ("spam", "not_spam"): "pending",
    ("pending", "trash"): "trash",
    ("approved", "trash"): "trash",
    ("spam", "trash"): "trash",
    ("trash", "restore"): "pending",
    ("spam", "delete"): None,
    ("trash", "delete"): None,
}


def test_the_table_matches_the_rules():
    table = {
        (source, action): target
        for action, (sources, target) in TRANSITIONS.items()
        for source in sources
    }
    table.update({(source, "delete"): None for source in DELETABLE})
    assert table == EXPECTED


@pytest.mark.parametrize(
    ("status", "action"), list(itertools.product(STATUSES, ACTIONS))
)
def test_every_transition(app, make_user, make_post, make_comment, status, action):
    editor = make_user(Role.EDITOR, "ed")
    comment = make_comment(make_post("P"), status=status)
    with app.app_context():
        actor = db.session.get(User, editor.id)
        row = db.session.get(Comment, comment.id)
        expected = EXPECTED.get((status, action), "refused")
        if expected == "refused":
            with pytest.raises(TransitionRefused):
                comment_state.transition(actor, row, action)
            db.session.rollback()
            assert db.session.get(Comment, comment.id).status == status
            assert db.session.scalars(select(CommentLogEntry)).all() == []
            return
        comment_state.transition(actor, row, action, note="because")
        db.session.commit()
        after = db.session.get(Comment, comment.id)
        if expected is None:
            assert after is None
            assert db.session.scalars(select(CommentLogEntry)).all() == []
            return
        assert after.status == expected
        [event] = db.session.scalars(select(CommentLogEntry)).all()
        assert (event.action, event.actor_id, event.note) == (
            action,
            editor.id,
            "because",
        )
        assert event.at is not None
        assert comment_state.describe(event).startswith("Ed")


def test_allowed_actions(app, make_post, make_comment):
    post = make_post("P")
    made = {status: make_comment(post, status=status).id for status in STATUSES}
    with app.app_context():
        for status, comment_id in made.items():
            row = db.session.get(Comment, comment_id)
            assert set(comment_state.allowed_actions(row)) == {
                a for (s, a) in EXPECTED if s == status
            }


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.AUTHOR])
def test_permission_is_checked_in_the_service(
    app, make_user, make_post, make_comment, role
):
    user = make_user(role)
    comment = make_comment(make_post("Not theirs"), status="pending")
    with app.app_context():
        actor = db.session.get(User, user.id)
        with pytest.raises(PermissionDenied):
            row = db.session.get(Comment, comment.id)
            comment_state.transition(actor, row, "approve")


def test_author_moderates_own_post(app, make_user, make_post, make_comment):
    author = make_user(Role.AUTHOR)
    comment = make_comment(make_post("Theirs", author=author), status="pending")
    with app.app_context():
        actor = db.session.get(User, author.id)
        comment_state.transition(actor, db.session.get(Comment, comment.id), "approve")
        db.session.commit()
        assert db.session.get(Comment, comment.id).status == "approved"


def test_describe_messages(app):
    event = CommentLogEntry(action="akismet_ham", note="")
    assert comment_state.describe(event) == "Akismet cleared this comment"
    event = CommentLogEntry(action="akismet_spam", note="")
    assert comment_state.describe(event) == "Akismet flagged this comment as spam"
    event = CommentLogEntry(action="akismet_error", note="")
    assert comment_state.describe(event) == "Akismet was unreachable; will retry"
    event = CommentLogEntry(action="rule_held", note="Contains 3 links")
    assert comment_state.describe(event) == "Held for moderation: Contains 3 links"


def test_action_labels_are_the_buttons_names():
    assert [action.label for action in Action] == [
        "Approve",
        "Unapprove",
        "Spam",
        "Not Spam",
        "Trash",
        "Restore",
        "Delete Permanently",
    ]


def test_action_slugs_use_hyphens():
    assert Action.NOT_SPAM.slug == "not-spam"
    assert Action.APPROVE.slug == "approve"
    assert [action.slug for action in Action if "_" in action.slug] == []


@pytest.mark.parametrize("action", list(Action))
def test_from_slug_round_trips(action):
    assert Action.from_slug(action.slug) is action


@pytest.mark.parametrize("slug", ["not_spam", "nope", "", "Approve"])
def test_from_slug_refuses_what_no_action_is_called(slug):
    assert Action.from_slug(slug) is None
