"""Server-side sessions: start, load, expiry, ending them, and "last seen"
written at most every five minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from blog.accounts import sessions
from blog.extensions import db
from blog.models import Role, User, UserSession

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LIFETIMES = sessions.SessionLifetimes(
    plain=timedelta(hours=2), remembered=timedelta(days=30)
)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def users(make_user, *names: str) -> list[User]:
    """New authors, loaded in the test's session (made first: outside a
    request every transaction on SQLite takes the write lock)."""
    made = [make_user(Role.AUTHOR, name) for name in names]
    return [db.session.get(User, user.id) for user in made]


def start(user: User, now: datetime = NOW, **kwargs) -> str:
    return sessions.start_session(
        user,
        ip=kwargs.pop("ip", "192.0.2.1"),
        user_agent=kwargs.pop("user_agent", "Mozilla/5.0 test"),
        lifetimes=LIFETIMES,
        now=now,
        **kwargs,
    )


def row_of(key: str) -> UserSession:
    return db.session.scalar(
        select(UserSession).where(UserSession.key_hash == sessions.key_hash(key))
    )


def test_a_session_is_stored_by_the_hash_of_its_key(ctx, make_user):
    (ann,) = users(make_user, "ann")
    key = start(ann)
    assert ann.session_key == key and ann.last_login_at == NOW
    rows = list(db.session.scalars(select(UserSession)))
    assert len(rows) == 1
    row = rows[0]
    assert row.key_hash == sessions.key_hash(key) != key
    assert key not in (row.key_hash, row.ip, row.user_agent)
    assert (row.ip, row.user_agent, row.remember) == (
        "192.0.2.1",
        "Mozilla/5.0 test",
        False,
    )
    assert row.expires_at == NOW + LIFETIMES.plain


def test_remembered_sessions_last_longer(ctx, make_user):
    (ann,) = users(make_user, "ann")
    key = start(ann, remember=True)
    assert row_of(key).expires_at == NOW + LIFETIMES.remembered


def test_loading_finds_the_user_until_the_session_expires(ctx, make_user):
    (ann,) = users(make_user, "ann")
    key = start(ann)
    db.session.expire_all()
    loaded = sessions.load_session_user(key, now=NOW + timedelta(hours=1))
    assert loaded is not None and loaded.id == ann.id and loaded.session_key == key
    assert sessions.load_session_user(key, now=NOW + LIFETIMES.plain) is None
    assert sessions.load_session_user("not-a-key", now=NOW) is None
    assert sessions.load_session_user("", now=NOW) is None
    assert sessions.load_session_user("x" * 101, now=NOW) is None


def test_a_deactivated_user_is_not_loaded(ctx, make_user):
    (ann,) = users(make_user, "ann")
    key = start(ann)
    ann.deactivated_at = NOW
    db.session.commit()
    assert sessions.load_session_user(key, now=NOW + timedelta(minutes=1)) is None


def test_starting_a_session_forgets_the_user_s_expired_ones(ctx, make_user):
    ann, bob = users(make_user, "ann", "bob")
    old = start(ann)
    bobs = start(bob)
    later = NOW + LIFETIMES.plain + timedelta(minutes=1)
    fresh = start(ann, now=later)
    assert row_of(old) is None and row_of(fresh) is not None
    assert row_of(bobs) is not None  # expired, but another user's: left alone
    assert [row.id for row in sessions.list_sessions(ann, now=later)] == [
        row_of(fresh).id
    ]


def test_ending_one_session_only_ends_one_of_one_s_own(ctx, make_user):
    ann, bob = users(make_user, "ann", "bob")
    first, second = start(ann), start(ann)
    bobs = start(bob)
    assert not sessions.end_session(ann, row_of(bobs).id)
    assert row_of(bobs) is not None
    assert sessions.end_session(ann, row_of(first).id)
    assert row_of(first) is None and row_of(second) is not None
    assert not sessions.end_session(ann, 999999)


def test_ending_the_others_keeps_the_current_one(ctx, make_user):
    (ann,) = users(make_user, "ann")
    start(ann)
    start(ann)
    current = start(ann)  # ann.session_key is now this one
    listed = sessions.list_sessions(ann, now=NOW)
    assert [sessions.is_current(ann, row) for row in listed].count(True) == 1
    assert sessions.end_other_sessions(ann) == 2
    remaining = sessions.list_sessions(ann, now=NOW)
    assert [row.id for row in remaining] == [row_of(current).id]
    sessions.end_all_sessions(ann)
    assert sessions.list_sessions(ann, now=NOW) == []


def test_last_seen_is_written_at_most_every_five_minutes(ctx, make_user):
    (ann,) = users(make_user, "ann")
    key = start(ann)
    sessions.touch(ann, "192.0.2.9", now=NOW + timedelta(minutes=4))
    db.session.expire_all()
    row = row_of(key)
    assert (row.last_seen_at, row.ip) == (NOW, "192.0.2.1")
    moment = NOW + timedelta(minutes=5, seconds=1)
    sessions.touch(ann, "192.0.2.9", now=moment)
    db.session.expire_all()
    row = row_of(key)
    assert (row.last_seen_at, row.ip) == (moment, "192.0.2.9")
    sessions.touch(ann, "192.0.2.10", now=moment + timedelta(minutes=3))
    db.session.expire_all()
    assert row_of(key).last_seen_at == moment


def test_touch_without_a_session_writes_nothing(ctx, make_user):
    (ann,) = users(make_user, "ann")
    key = start(ann)
    ann.session_key = None
    sessions.touch(ann, "192.0.2.9", now=NOW + timedelta(hours=1))
    db.session.expire_all()
    assert row_of(key).last_seen_at == NOW


def test_lifetimes_come_from_the_config():
    lifetimes = sessions.SessionLifetimes.from_config(
        {"SESSION_HOURS": 12, "REMEMBER_COOKIE_DURATION": 86400}
    )
    assert lifetimes == sessions.SessionLifetimes(
        plain=timedelta(hours=12), remembered=timedelta(days=1)
    )
    dated = sessions.SessionLifetimes.from_config(
        {"REMEMBER_COOKIE_DURATION": timedelta(days=7)}
    )
    assert dated.remembered == timedelta(days=7) and dated.plain == timedelta(hours=48)


def test_a_user_agent_with_control_characters_is_stored_cleaned(ctx, make_user):
    (ann,) = users(make_user, "ann")
    key = sessions.start_session(
        ann, ip="192.0.2.1", user_agent="Evil\x00Browser\x07/1.0"
    )
    assert row_of(key).user_agent == "EvilBrowser/1.0"
