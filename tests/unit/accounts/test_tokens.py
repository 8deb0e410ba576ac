"""One-use tokens: stored as a hash, found without being used, used once
(even by racing requests), until they expire or a newer one replaces them."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from blog.accounts import tokens
from blog.extensions import db
from blog.models import AccountToken, Role, TokenPurpose, User

T0 = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
RESET = [TokenPurpose.RESET]
PASSWORD = [TokenPurpose.RESET, TokenPurpose.INVITATION]


def issue(app, user: User, purpose=TokenPurpose.RESET, lifetime=HOUR, **kw) -> str:  # type: ignore[no-untyped-def]
    with app.app_context():
        token = tokens.issue_token(
            db.session.get(User, user.id), purpose, lifetime, now=T0, **kw
        )
        db.session.commit()
        return token


def found(app, token: str, purposes=RESET, at: datetime = T0) -> bool:  # type: ignore[no-untyped-def]
    with app.app_context():
        return tokens.find_token(token, purposes, at) is not None


def use(app, token: str, purposes=RESET, at: datetime = T0) -> bool:  # type: ignore[no-untyped-def]
    with app.app_context():
        claimed = tokens.use_token(token, purposes, at)
        db.session.commit()
        return claimed is not None


def test_only_the_hash_is_stored(app, make_user):
    user = make_user(Role.AUTHOR)
    token = issue(app, user)
    assert len(token) >= 40
    with app.app_context():
        row = db.session.scalar(select(AccountToken))
        assert row.token_hash == tokens.token_hash(token) != token
        assert token not in row.token_hash
        assert row.expires_at == T0 + HOUR and row.used_at is None


def test_finding_does_not_use_and_using_works_once(app, make_user):
    token = issue(app, make_user(Role.AUTHOR))
    assert found(app, token) and found(app, token)  # a mail scanner's GETs
    assert use(app, token)
    assert not found(app, token)
    assert not use(app, token)


def test_unknown_wrong_purpose_and_absurd_tokens_are_not_found(app, make_user):
    token = issue(app, make_user(Role.AUTHOR))
    assert not found(app, token, [TokenPurpose.EMAIL])
    assert not use(app, token, [TokenPurpose.EMAIL])
    assert not found(app, token + "x")
    assert not found(app, "")
    assert not found(app, "x" * (tokens.TOKEN_MAX + 1))
    assert found(app, token, PASSWORD)


def test_a_token_expires(app, make_user):
    token = issue(app, make_user(Role.AUTHOR))
    assert found(app, token, at=T0 + HOUR - timedelta(seconds=1))
    assert not found(app, token, at=T0 + HOUR)
    assert not use(app, token, at=T0 + HOUR)
    negative = issue(app, make_user(Role.AUTHOR), lifetime=-HOUR)
    assert not found(app, negative)


def test_a_newer_reset_or_invitation_voids_both_kinds(app, make_user):
    user = make_user(Role.AUTHOR)
    first = issue(app, user)
    invitation = issue(app, user, TokenPurpose.INVITATION)
    assert not found(app, first, PASSWORD)
    second = issue(app, user)
    assert not found(app, invitation, PASSWORD)
    assert found(app, second)
    # An email change is another kind: it neither voids nor is voided.
    change = issue(app, user, TokenPurpose.EMAIL, new_email="new@example.org")
    assert found(app, second) and found(app, change, [TokenPurpose.EMAIL])
    # Another user's tokens are untouched.
    other = issue(app, make_user(Role.AUTHOR))
    assert found(app, other) and found(app, second)


def test_void_and_purge(app, make_user):
    user = make_user(Role.AUTHOR)
    reset = issue(app, user)
    change = issue(
        app, user, TokenPurpose.EMAIL, timedelta(days=1), new_email="new@example.org"
    )
    with app.app_context():
        tokens.void_tokens(db.session.get(User, user.id), tokens.PASSWORD_TOKENS)
        db.session.commit()
    assert not found(app, reset)
    assert found(app, change, [TokenPurpose.EMAIL])
    used = issue(app, make_user(Role.AUTHOR))
    assert use(app, used)
    expired = issue(app, make_user(Role.AUTHOR), lifetime=timedelta(minutes=5))
    live = issue(app, make_user(Role.AUTHOR), lifetime=timedelta(days=1))
    with app.app_context():
        assert tokens.purge_tokens(T0 + HOUR) == 2  # the used and the expired
        db.session.commit()
        assert db.session.scalar(select(func.count(AccountToken.id))) == 2
    assert found(app, live, at=T0 + HOUR) and not found(app, expired)
    assert found(app, change, [TokenPurpose.EMAIL], at=T0 + HOUR)


def test_two_racing_claims_use_a_token_once(app, make_user):
    token = issue(app, make_user(Role.AUTHOR))
    barrier = threading.Barrier(2)
    results: list[bool] = []

    def claim() -> None:
        with app.app_context():
            barrier.wait()
            claimed = tokens.use_token(token, RESET, T0)
            db.session.commit()
            results.append(claimed is not None)

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [False, True]
    with app.app_context():
        row = db.session.scalar(select(AccountToken))
        assert row.used_at == T0
