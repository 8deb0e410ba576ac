"""One-use links sent by mail: password reset, invitation, email change.

The link carries a random token; the database keeps its SHA-256 only. A
token works once (it is claimed with one conditional ``UPDATE``, so two
clicks racing cannot both use it), until it expires, and until a newer
token of the same kind is issued for the user or their password changes.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from blog.database import rowcount
from blog.extensions import db
from blog.models import AccountToken, TokenPurpose, User, utcnow

#: What a new token of each purpose voids besides older ones of its own kind:
#: a reset or an invitation both set the password, so each voids the other.
VOIDS: dict[TokenPurpose, frozenset[TokenPurpose]] = {
    TokenPurpose.RESET: frozenset({TokenPurpose.RESET, TokenPurpose.INVITATION}),
    TokenPurpose.INVITATION: frozenset({TokenPurpose.RESET, TokenPurpose.INVITATION}),
    TokenPurpose.EMAIL: frozenset({TokenPurpose.EMAIL}),
}
#: Tokens that set a password; a password change voids them.
PASSWORD_TOKENS = VOIDS[TokenPurpose.RESET]
TOKEN_MAX = 100


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(
    user: User,
    purpose: TokenPurpose,
    lifetime: timedelta,
    *,
    new_email: str | None = None,
    now: datetime | None = None,
) -> str:
    """A new token for ``user`` (the caller commits), voiding the ones it
    replaces (:data:`VOIDS`); the raw token, to put in the link."""
    now = now or utcnow()
    void_tokens(user, VOIDS[purpose])
    token = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=token_hash(token),
            new_email=new_email,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    db.session.flush()
    return token


def find_token(
    token: str, purposes: Iterable[TokenPurpose], now: datetime | None = None
) -> AccountToken | None:
    """The unused, unexpired token of one of ``purposes``, or ``None``.
    Reading a token does not use it (mail scanners open links)."""
    now = now or utcnow()
    if not token or len(token) > TOKEN_MAX:
        return None
    return db.session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == token_hash(token),
            AccountToken.purpose.in_(list(purposes)),
            AccountToken.used_at.is_(None),
            AccountToken.expires_at > now,
        )
    )


def use_token(
    token: str, purposes: Iterable[TokenPurpose], now: datetime | None = None
) -> AccountToken | None:
    """Claim the token (in the caller's transaction, which commits): the
    token if this call used it, ``None`` when it is unknown, used, expired
    or was claimed by a racing request."""
    now = now or utcnow()
    found = find_token(token, purposes, now)
    if found is None:
        return None
    claimed = db.session.execute(
        update(AccountToken)
        .where(AccountToken.id == found.id, AccountToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if not rowcount(claimed):
        return None
    db.session.refresh(found)
    return found


def void_tokens(user: User, purposes: Iterable[TokenPurpose]) -> None:
    """Delete the user's unused tokens of ``purposes`` (the caller commits)."""
    db.session.execute(
        delete(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose.in_(list(purposes)),
            AccountToken.used_at.is_(None),
        )
        .execution_options(synchronize_session=False)
    )


def purge_tokens(now: datetime | None = None) -> int:
    """Delete used and expired tokens (the caller commits); how many."""
    now = now or utcnow()
    result = db.session.execute(
        delete(AccountToken)
        .where((AccountToken.expires_at <= now) | AccountToken.used_at.is_not(None))
        .execution_options(synchronize_session=False)
    )
    return rowcount(result)
