from __future__ import annotations

import pytest

from blog.accounts import passwords


def test_policy():
    for bad, message in [
        ("short", "at least 8"),
        ("x" * 1001, "at most"),
        ("Password123", "too common"),
    ]:
        with pytest.raises(passwords.PasswordRejected, match=message):
            passwords.check_policy(bad)
    passwords.check_policy("  spaces count as typed  ")
    passwords.check_policy("x" * 1000)


def test_hash_and_verify_exactly_as_typed():
    stored = passwords.hash_password("Tr0ub4dor & 3 ")
    assert stored.startswith("$argon2id$")
    assert passwords.verify_password(stored, "Tr0ub4dor & 3 ")
    assert not passwords.verify_password(stored, "Tr0ub4dor & 3")
    assert not passwords.verify_password(None, "anything")


def test_a_password_of_spaces_only_is_refused():
    with pytest.raises(passwords.PasswordRejected, match="other than spaces"):
        passwords.check_policy(" " * 12)
