"""blog.site.cache_version: which writes bump the content version, in the
same transaction, and the clock's own changes (a scheduled post coming due).

Real SQLite file (the ``app`` fixture), the real session events."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from sqlalchemy import delete, text, update

from blog.extensions import db
from blog.models import (
    Comment,
    CommentStatus,
    LoginThrottle,
    Post,
    Setting,
    SpamCheck,
    User,
    UserSession,
    utcnow,
)
from blog.site import cache_version


def version() -> int:
    """The stored version, read on a connection of its own."""
    with db.engine.connect() as connection:
        state = cache_version.read(connection)
    return state.version if state else 0


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def author(ctx, make_user):
    return make_user("admin")


def add_comment(post: Post, status: str = CommentStatus.APPROVED) -> Comment:
    comment = Comment(
        post_id=post.id,
        author_name="Reader",
        author_email="reader@example.net",
        body_source="Hi",
        body_html="<p>Hi</p>",
        status=status,
        spam_check=SpamCheck.HAM,
        token=secrets.token_urlsafe(16),
        content_hash=secrets.token_hex(8),
    )
    db.session.add(comment)
    db.session.commit()
    return comment


def test_a_change_readers_see_bumps_once_per_commit(author, make_post):
    post = make_post(author=author)
    before = version()
    row = db.session.get(Post, post.id)
    row.title = "New title"
    db.session.flush()
    row.body_html = "<p>More</p>"
    # Not yet: the bump is the commit's last statement, in the same transaction.
    assert cache_version.read(db.session.connection()).version == before
    db.session.commit()
    assert version() == before + 1


def test_a_rolled_back_change_bumps_nothing(author, make_post):
    post = make_post(author=author)
    before = version()
    db.session.get(Post, post.id).title = "Never"
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert version() == before


def test_drafts_bump_nothing_until_published(author, make_post):
    before = version()
    draft = make_post(author=author, publish=False)
    assert version() == before
    row = db.session.get(Post, draft.id)
    row.title = "Still a draft"
    db.session.commit()
    assert version() == before
    row.status = "published"
    row.published_at = utcnow()
    db.session.commit()
    assert version() == before + 1
    row.status = "draft"  # unpublished: it leaves the public pages
    db.session.commit()
    assert version() == before + 2


def test_only_approved_comments_count(author, make_post):
    post = make_post(author=author)
    before = version()
    pending = add_comment(post, CommentStatus.PENDING)
    pending.spam_check = SpamCheck.SPAM
    db.session.commit()
    db.session.delete(pending)
    db.session.commit()
    assert version() == before

    held = add_comment(post, CommentStatus.PENDING)
    held.status = CommentStatus.APPROVED  # appears
    db.session.commit()
    assert version() == before + 1
    held.notification_pending = False  # a sent notification shows nowhere
    held.author_ip = "192.0.2.9"
    db.session.commit()
    assert version() == before + 1
    held.body_html = "<p>Edited</p>"  # changes
    db.session.commit()
    assert version() == before + 2
    held.status = CommentStatus.SPAM  # leaves
    db.session.commit()
    assert version() == before + 3

    approved = add_comment(post)  # appears
    assert version() == before + 4
    db.session.delete(approved)  # leaves
    db.session.commit()
    assert version() == before + 5


def test_logins_and_private_tables_bump_nothing(author):
    before = version()
    user = db.session.get(User, author.id)
    user.last_login_at = utcnow()
    user.password_hash = "$argon2id$other"
    now = utcnow()
    db.session.add(
        UserSession(user_id=user.id, key_hash=secrets.token_hex(32), expires_at=now)
    )
    db.session.add(
        LoginThrottle(scope="ip:192.0.2.1", blocked_until=now, expires_at=now)
    )
    db.session.commit()
    db.session.execute(delete(UserSession))
    db.session.commit()
    assert version() == before
    user.display_name = "Ada L."  # shown as the byline
    db.session.commit()
    assert version() == before + 1


def test_settings_bump(ctx):
    before = version()
    db.session.merge(Setting(key="title", value="Another title"))
    db.session.commit()
    assert version() == before + 1


def test_bulk_statements_bump_unless_private(author, make_post):
    post = make_post(author=author)
    before = version()
    db.session.execute(update(Post).where(Post.id == post.id).values(sticky=True))
    db.session.commit()
    assert version() == before + 1
    db.session.execute(text("UPDATE posts SET menu_order = 3"))
    db.session.commit()
    assert version() == before + 2
    db.session.execute(delete(LoginThrottle))
    db.session.commit()
    assert version() == before + 2


def test_a_missing_row_is_made_again(author):
    with db.engine.begin() as connection:  # no session: no bump
        connection.execute(text("DELETE FROM cache_state"))
    assert version() == 0
    state = cache_version.current()
    assert state.version == 1
    db.session.merge(Setting(key="title", value="Again"))
    db.session.commit()
    assert version() == 2


def test_a_scheduled_post_comes_due_with_one_bump(author, make_post):
    soon = utcnow() + timedelta(hours=1)
    make_post(author=author, days_ago=-1 / 24)  # published in an hour
    with db.engine.connect() as connection:
        state = cache_version.read(connection)
    assert state.next_due is not None
    assert abs(state.next_due - soon) < timedelta(minutes=1)
    assert cache_version.current(soon - timedelta(minutes=5)) == state

    later = state.next_due + timedelta(seconds=1)
    first = cache_version.current(later)
    again = cache_version.current(later)
    assert first.version == again.version == state.version + 1
    assert first.next_due is None  # nothing else is scheduled


def test_event_times_are_due_too(ctx, make_event):
    event = make_event()  # in 2030
    with db.engine.connect() as connection:
        state = cache_version.read(connection)
    assert state.next_due == event.event.starts_at


def test_a_series_later_dates_are_due_too(ctx, make_series):
    """A weekly series begun long ago: its next date's start is due (no
    index holds it: it is computed), then that date's end, then the next."""
    now = utcnow()
    start = (now - timedelta(days=70) + timedelta(hours=3)).replace(
        second=0, microsecond=0
    )
    make_series(start=f"{start:%Y-%m-%d %H:%M}", timezone="UTC", end=None)
    with db.engine.connect() as connection:
        due = cache_version.read(connection).next_due
    assert due == start + timedelta(days=70)
    later = cache_version.current(due + timedelta(seconds=1)).next_due
    assert later == due + timedelta(hours=1)  # that date is over


def test_a_restore_never_goes_back_to_an_older_version(author):
    with db.engine.begin() as connection:
        cache_version.restart(connection, above=40)
    assert version() == 41
    with db.engine.begin() as connection:
        cache_version.restart(connection, above=3)
    assert version() == 42
