"""blog.comments.checks: a Submission cleans its text whoever makes it
(issue #8: NUL, control and invisible characters)."""

from __future__ import annotations

import dataclasses

import pytest

from blog.comments.checks import Submission, validate


def test_a_submission_removes_control_characters_from_every_text():
    data = Submission(
        name="Ann\x00",
        email="ann\x00@example.net",
        url="https://a.example/\x00",
        body="One\x00\r\ntwo\rthree\x85",
        ip="192.0.2.1\x00",
        user_agent="UA\x00\x1b",
        referrer="https://r.example/\x00",
        permalink="https://blog.example/p/\x00",
        honeypot="\x00",
    )
    for field in dataclasses.fields(data):
        value = getattr(data, field.name)
        if isinstance(value, str):
            assert "\x00" not in value and "\r" not in value, field.name
    assert data.body == "One\ntwo\nthree"
    assert data.user_agent == "UA"
    assert data.honeypot == ""


def test_invisible_characters_leave_the_name_email_and_website_only():
    data = Submission(
        name="\u202eevE\u200b",
        email="\u200beve@example.net",
        url="https://eve.example/\u2066x\u2069",
        body="سلام\u200f می\u200cخواهم",
    )
    assert (data.name, data.email, data.url) == (
        "evE",
        "eve@example.net",
        "https://eve.example/x",
    )
    assert data.body == "سلام\u200f می\u200cخواهم"  # right-to-left writing kept


@pytest.mark.parametrize(
    "name", ["Eve\r\nBcc: x@evil.example", "Eve\rBcc: x", "Eve\u2028Bcc: x"]
)
def test_a_name_on_two_lines_is_refused(name):
    errors = validate(Submission(name=name, email="e@example.net", body="Hi"), None)
    assert errors == {"name": "Your name must fit on one line."}


def test_a_name_of_invisible_characters_is_no_name():
    errors = validate(
        Submission(name="\u200b\u202e\x00", email="e@example.net", body="Hi"), None
    )
    assert errors == {"name": "Please enter your name."}
