"""Two-factor login: a TOTP app (RFC 6238) and single-use recovery codes.

Setting up offers a secret derived from the site's ``SECRET_KEY`` and a
random nonce kept in the person's Flask session (:func:`setup_secret`): the
cookie, signed but readable, never holds the secret itself, and nothing is
written until a first code from the app confirms it; only then is it stored
on the user, with ten recovery codes shown once (only their hashes are
kept). At login,
after a right password, a code from the app or a recovery code must follow.

A code from the app works once: the time step it was accepted for is
stored (``users.totp_last_step``) by one conditional ``UPDATE``, so two
racing requests cannot both use it, and codes of that step or earlier are
refused afterwards. Wrong codes are throttled per user and per address
with the login's counters (:func:`blog.accounts.authentication.claim_try`),
under scopes of their own. Secrets and codes never reach a log or the
audit record.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import pyotp
import segno
from sqlalchemy import delete, func, or_, select, update

from blog.accounts import audit
from blog.accounts.authentication import (
    ThrottleLimits,
    claim_try,
    is_known,
    refund_try,
    throttle_scopes,
)
from blog.accounts.credentials import password_matches
from blog.accounts.permissions import two_factor_required_for
from blog.database import rowcount
from blog.errors import FieldError
from blog.extensions import db
from blog.models import RecoveryCode, User, utcnow

#: Seconds of one TOTP time step, and steps accepted either side of now.
STEP_SECONDS = 30
DRIFT_STEPS = 1
CODE_DIGITS = 6
RECOVERY_CODE_COUNT = 10
#: Lowercase letters and digits that cannot be mistaken for one another
#: (no 0/o, no 1/l/i): ten of them carry about 49 bits.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 10
#: How long a right password waits for its code before logging in again.
PENDING_LOGIN = timedelta(minutes=5)

WRONG_CODE = "That code is not right. Check your app's clock and try a new code."
WRONG_CODE_OR_PASSWORD = "That code or password is not right."
ALREADY_ON = "Two-factor login is already on."
NOT_ON = "Two-factor login is not on."
REQUIRED = (
    "This site requires two-factor login for administrators and editors, "
    "so it cannot be turned off."
)

CodeKind = Literal["app", "recovery"]
#: Prefix of the login codes' throttles, apart from the password's.
SCOPE_PREFIX = "2fa-"


# -- Codes -----------------------------------------------------------------


def new_setup_nonce() -> str:
    """The random part of a secret being set up (kept in the session)."""
    return secrets.token_urlsafe(16)


def setup_secret(user_id: int, nonce: str, site_key: str) -> str:
    """The TOTP secret (base32, 160 bits) offered to ``user_id`` while
    setting up: an HMAC of the nonce under the site's secret key, so only
    the server can tell it from the session cookie."""
    message = f"two-factor-setup\0{user_id}\0{nonce}".encode()
    digest = hmac.new(site_key.encode(), message, hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode()


def provisioning_uri(user: User, secret: str, issuer: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(
        name=user.username, issuer_name=" ".join(issuer.split()) or "Blog"
    )


def qr_code_svg(uri: str) -> bytes:
    """The QR code of ``uri`` as an SVG image, drawn here (no third party);
    plain attributes only, no ``style``."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(
        buffer, kind="svg", scale=5, border=4, title="QR code for your app"
    )
    return buffer.getvalue()


def grouped_secret(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def accepted_step(
    secret: str, code: str, now: datetime, last_step: int | None
) -> int | None:
    """The time step whose code ``code`` is, among the current step and
    :data:`DRIFT_STEPS` either side, and only if later than ``last_step``
    (so a code works once, and never after a later one); else ``None``."""
    code = "".join(code.split())
    if not re.fullmatch(rf"[0-9]{{{CODE_DIGITS}}}", code):
        return None
    totp = pyotp.TOTP(secret, digits=CODE_DIGITS, interval=STEP_SECONDS)
    current = totp.timecode(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_code() -> str:
    """A random recovery code, shown as ``ab2cd-ef3gh``."""
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    half = RECOVERY_LENGTH // 2
    return f"{raw[:half]}-{raw[half:]}"


def normalize_recovery_code(text: str) -> str:
    """What is compared: lowercase, without spaces and hyphens."""
    return "".join(c for c in text.lower() if c not in "- \t")


def recovery_code_hash(code: str) -> str:
    return hashlib.sha256(normalize_recovery_code(code).encode()).hexdigest()


def looks_like_recovery_code(text: str) -> bool:
    normalized = normalize_recovery_code(text)
    return len(normalized) == RECOVERY_LENGTH and all(
        c in RECOVERY_ALPHABET for c in normalized
    )


# -- Turning it on and off ---------------------------------------------------


def enable_two_factor(
    user: User, secret: str, code: str, now: datetime | None = None
) -> list[str]:
    """Turn two-factor login on once ``code`` proves the app holds
    ``secret`` (commits); the new recovery codes, to show once.

    :raises FieldError: on ``code`` when it is wrong, or already on.
    """
    if user.two_factor_enabled:
        raise FieldError(ALREADY_ON, "code")
    step = accepted_step(secret, code, now or utcnow(), None)
    if step is None:
        raise FieldError(WRONG_CODE, "code")
    user.totp_secret = secret
    user.totp_last_step = step
    codes = _replace_recovery_codes(user)
    audit.record(user, "two_factor_enabled", actor=user)
    db.session.commit()
    return codes


def renew_recovery_codes(user: User) -> list[str]:
    """Ten new recovery codes; the old ones stop working (commits).

    :raises FieldError: two-factor login is not on.
    """
    if not user.two_factor_enabled:
        raise FieldError(NOT_ON, "")
    codes = _replace_recovery_codes(user)
    audit.record(user, "recovery_codes_renewed", actor=user)
    db.session.commit()
    return codes


def recovery_codes_left(user: User) -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        or 0
    )


def disable_two_factor(
    user: User,
    *,
    code: str,
    password: str,
    required_by_site: bool,
    limits: ThrottleLimits,
    now: datetime | None = None,
) -> None:
    """Turn two-factor login off, proven by a code (from the app, or a
    recovery code) or the password; wrong tries are throttled per user
    (commits).

    :raises FieldError: neither given, a wrong one, not on, or required.
    :raises LoginThrottled: too many wrong tries lately.
    """
    now = now or utcnow()
    if not user.two_factor_enabled:
        raise FieldError(NOT_ON, "")
    if two_factor_required_for(user, required_by_site):
        raise FieldError(REQUIRED, "")
    if not code.strip() and not password:
        raise FieldError("Enter a code from your app, or your password.", "code")
    counted = {reauth_scope(user): limits.free_failures}
    claim_try(counted, limits, now)
    proven = bool(code.strip()) and _use_code(user, code, now) is not None
    if not proven and password:
        proven = password_matches(user, password)
    if not proven:
        db.session.rollback()
        raise FieldError(WRONG_CODE_OR_PASSWORD, "code" if code.strip() else "password")
    refund_try(counted, now)
    _clear(user)
    audit.record(user, "two_factor_disabled", actor=user)
    db.session.commit()


def reset_two_factor(user: User, *, actor: User | None) -> None:
    """An administrator (``actor``; ``None`` for the command line) turns the
    user's two-factor login off, for a lost device (commits)."""
    _clear(user)
    audit.record(user, "two_factor_reset", actor=actor)
    db.session.commit()


def reauth_scope(user: User) -> str:
    """The throttle of secrets a signed-in person types again (the current
    password, or a code to turn two-factor login off)."""
    return f"reauth:user:{user.id}"


def _clear(user: User) -> None:
    user.totp_secret = None
    user.totp_last_step = None
    _delete_recovery_codes(user)


def _delete_recovery_codes(user: User) -> None:
    db.session.execute(
        delete(RecoveryCode)
        .where(RecoveryCode.user_id == user.id)
        .execution_options(synchronize_session=False)
    )


def _replace_recovery_codes(user: User) -> list[str]:
    _delete_recovery_codes(user)
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=recovery_code_hash(code))
        for code in codes
    )
    return codes


# -- Logging in ----------------------------------------------------------------


@dataclass(frozen=True)
class PendingLogin:
    """A right password waiting for its code, kept in the Flask session."""

    user_id: int
    remember: bool
    next: str
    #: When the password was checked (a POSIX timestamp).
    started: float

    def to_session(self) -> dict[str, Any]:
        return {
            "user": self.user_id,
            "remember": self.remember,
            "next": self.next,
            "at": self.started,
        }

    @classmethod
    def from_session(cls, data: object, now: datetime) -> PendingLogin | None:
        """The pending login stored in the session, unless missing, malformed
        or older than :data:`PENDING_LOGIN`."""
        if not isinstance(data, dict):
            return None
        user_id, started = data.get("user"), data.get("at")
        if not isinstance(user_id, int) or not isinstance(started, int | float):
            return None
        age = now.timestamp() - float(started)
        if not 0 <= age < PENDING_LOGIN.total_seconds():
            return None
        return cls(
            user_id=user_id,
            remember=bool(data.get("remember")),
            next=str(data.get("next") or ""),
            started=float(started),
        )


def pending_user(pending: PendingLogin | None) -> User | None:
    """The user a pending login is for, while they may still log in with a
    code (active, two-factor login on)."""
    if pending is None:
        return None
    user = db.session.get(User, pending.user_id)
    if user is None or not user.is_active or not user.two_factor_enabled:
        return None
    return user


def login_scopes(
    user: User, ip: str, limits: ThrottleLimits, now: datetime
) -> dict[str, int]:
    """The throttles of login codes, as the password's: the user from this
    address, this address, and the user from addresses they have not logged
    in from lately (a generous budget), so that someone who has the password
    cannot keep the owner, at a known address, out of the code step."""
    scopes = throttle_scopes(f"user:{user.id}", ip)
    counted = {
        SCOPE_PREFIX + scopes.pair: limits.free_failures,
        SCOPE_PREFIX + scopes.address: limits.free_failures_per_ip,
    }
    if not is_known(scopes.known, now):
        counted[SCOPE_PREFIX + scopes.account] = limits.free_failures_per_account
    return counted


def check_login_code(
    user: User,
    code: str,
    ip: str,
    limits: ThrottleLimits,
    now: datetime | None = None,
) -> CodeKind | None:
    """The second step of a login: use a code from the app or a recovery
    code (commits); which kind worked, or ``None`` for a wrong, used or
    malformed code (counted against the throttles).

    :raises LoginThrottled: too many wrong codes lately, for this user or
        from this address; the code was not checked.
    """
    now = now or utcnow()
    counted = login_scopes(user, ip, limits, now)
    claim_try(counted, limits, now)
    used = _use_code(user, code, now)
    if used is None:
        db.session.rollback()  # the failure stays counted (committed above)
        return None
    refund_try(counted, now)
    if used == "recovery":
        audit.record(user, "recovery_code_used", actor=user)
    db.session.commit()
    return used


def _use_code(user: User, code: str, now: datetime) -> CodeKind | None:
    """Use ``code`` if it is the app's code of a step not used yet, or an
    unused recovery code, in one conditional ``UPDATE`` each (the caller
    commits); which kind, or ``None``."""
    if user.totp_secret is None:
        return None
    step = accepted_step(user.totp_secret, code, now, user.totp_last_step)
    if step is not None:
        claimed = db.session.execute(
            update(User)
            .where(
                User.id == user.id,
                User.totp_secret.is_not(None),
                or_(User.totp_last_step.is_(None), User.totp_last_step < step),
            )
            .values(totp_last_step=step)
            .execution_options(synchronize_session=False)
        )
        db.session.expire(user, ["totp_last_step"])
        return "app" if rowcount(claimed) else None
    if not looks_like_recovery_code(code):
        return None
    claimed = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == recovery_code_hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return "recovery" if rowcount(claimed) else None
