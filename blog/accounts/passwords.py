"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from blog.errors import FieldError

MIN_LENGTH = 8
MAX_LENGTH = 1000

_hasher = PasswordHasher()  # argon2id with the library's current parameters
#: Verified against when the user does not exist, so timing does not tell.
_DUMMY_HASH = _hasher.hash("not a real password, only for equal timing")


def use_hasher(hasher: PasswordHasher) -> None:
    """Hash and check with ``hasher`` from now on, in this process.

    For the test suite, which checks passwords thousands of times: the
    same argon2id code with cheap parameters. Hashes made with other
    parameters still verify (and are re-hashed at the next login).
    """
    global _hasher, _DUMMY_HASH
    _hasher = hasher
    _DUMMY_HASH = hasher.hash("not a real password, only for equal timing")


class PasswordRejected(FieldError):
    """The password breaks the policy; the message says how."""

    def __init__(self, message: str, field: str = "password") -> None:
        super().__init__(message, field)


@cache
def _common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common-passwords.txt")
    return frozenset(
        line.strip().lower() for line in path.read_text().splitlines() if line
    )


def check_policy(password: str) -> None:
    """Refuse short, very long and common passwords, checked exactly as typed.

    :raises PasswordRejected: with a message for the form.
    """
    if not password.strip():
        raise PasswordRejected("Use some characters other than spaces.")
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(f"Use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise PasswordRejected(f"Use at most {MAX_LENGTH:,} characters.")
    if password.lower() in _common_passwords():
        raise PasswordRejected("That password is too common; choose another.")


def hash_password(password: str) -> str:
    """An argon2id hash with the library's current parameters."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password; with no stored hash, spend the same time and fail."""
    try:
        _hasher.verify(stored_hash or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return bool(stored_hash)


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with older parameters than today's."""
    return _hasher.check_needs_rehash(stored_hash)
