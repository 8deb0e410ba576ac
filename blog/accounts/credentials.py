"""Changing a password, whoever does it (the user, a reset link, an
invitation, an administrator's command): one rule for all.

A new password voids every unused reset and invitation link, ends the
user's other sessions (all of them when nobody is signed in as that user,
as after a reset), is recorded, and the user is told by mail.
"""

from __future__ import annotations

from blog.accounts import audit, passwords, sessions, tokens
from blog.accounts.mailing import password_changed_notice
from blog.extensions import db
from blog.models import User, utcnow


def set_password(
    user: User,
    password: str,
    *,
    action: str,
    actor: User | None = None,
    keep_current_session: bool = False,
    notify: bool = True,
    hashed: str | None = None,
) -> None:
    """Give ``user`` a new password (commits).

    :param action: what the record says (``"password_changed"``,
        ``"password_reset"``, ``"password_set"``, ``"password_set_by_admin"``).
    :param keep_current_session: keep the session ``user`` was loaded for
        (someone changing their own password stays signed in there).
    :param notify: mail the "your password was changed" notice.
    :param hashed: ``password`` already checked and hashed (:func:`prepare`)
        by a caller that writes before calling, so that no write lock is
        held while hashing.
    :raises passwords.PasswordRejected: the password breaks the policy.
    """
    user.password_hash = hashed or prepare(password)
    user.password_changed_at = utcnow()
    tokens.void_tokens(user, tokens.PASSWORD_TOKENS)
    sessions.end_sessions(user, keep_current=keep_current_session, commit=False)
    audit.record(user, action, actor=actor)
    if notify:
        password_changed_notice(user)
    db.session.commit()


def prepare(password: str) -> str:
    """Check the policy and hash (slow: call it before any write).

    :raises passwords.PasswordRejected: the password breaks the policy.
    """
    passwords.check_policy(password)
    return passwords.hash_password(password)


def password_matches(user: User, password: str) -> bool:
    """Whether ``password`` is the user's, checked with the transaction
    ended first (commits): a POST's transaction holds SQLite's write lock,
    which must not wait for a slow hash."""
    stored = user.password_hash
    db.session.commit()
    return passwords.verify_password(stored, password)
