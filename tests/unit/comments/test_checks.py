"""blog.comments.checks: the form's signed timestamp and the duplicate hash."""

from __future__ import annotations

from blog.comments import checks as comments


def test_form_timestamp(app):
    from datetime import timedelta

    from blog.models import utcnow

    token = comments.form_token("secret", 7)
    now = utcnow()
    age = comments.form_age("secret", token, 7, now + timedelta(seconds=10))
    assert age is not None and 9 <= age <= 11
    assert comments.form_age("secret", token, 8, now) is None
    assert comments.form_age("other", token, 7, now) is None
    assert comments.form_age("secret", "garbage", 7, now) is None


def test_content_hash_ignores_spacing_and_case_of_email():
    a = comments.content_hash(1, "A@Example.net", "Same  words\n")
    assert a == comments.content_hash(1, "a@example.net", "Same words")
    assert a != comments.content_hash(2, "a@example.net", "Same words")
