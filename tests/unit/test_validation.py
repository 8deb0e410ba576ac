"""blog.validation: email addresses, web addresses and one-line text."""

from __future__ import annotations

import pytest

from blog.errors import FieldError
from blog.validation import email_address, http_url, single_line


def test_email_address_lower_cases_the_domain_only():
    assert email_address("Ann@Example.ORG") == "Ann@example.org"
    assert email_address("  ann@example.org \n") == "ann@example.org"


@pytest.mark.parametrize(
    "junk", ["not an email", "ann@", "@example.org", "ann@@example.org", ""]
)
def test_email_address_rejects_junk_with_the_given_message_and_field(junk):
    with pytest.raises(FieldError) as caught:
        email_address(junk, "contact_email", message="Give a valid email address.")
    assert caught.value.field == "contact_email"
    assert caught.value.errors == {"contact_email": "Give a valid email address."}


def test_email_address_explains_itself_without_a_message():
    with pytest.raises(FieldError) as caught:
        email_address("not an email")
    assert caught.value.field == "email"
    assert str(caught.value)  # the library's explanation


def test_email_address_refuses_an_over_long_address():
    long_address = "a" * 64 + "@" + ("b" * 60 + ".") * 4 + "org"
    assert len(long_address) > 254
    with pytest.raises(FieldError, match="That email address is too long."):
        email_address(long_address)


@pytest.mark.parametrize(
    "address",
    [
        "https://example.org",
        "http://example.org/path?q=1#top",
        "HTTPS://Example.org/",
        "http://localhost:5000/events/",
        "https://sub.example.co.uk",
    ],
)
def test_http_url_accepts_web_addresses(address):
    assert http_url(address, "online_url") == address


def test_http_url_strips_spaces_around_and_keeps_empty():
    assert http_url("  https://example.org/x  ", "url") == "https://example.org/x"
    assert http_url("", "url") == ""
    assert http_url("   ", "url") == ""


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.org/file",
        "http://x",
        "https://exa mple.org",
        "https://example.org/a b",
        "https://example.org/\tx",
        "example.org",
        "//example.org",
        "/events/",
        "http://[::1",
    ],
)
def test_http_url_rejects_anything_else(address):
    with pytest.raises(FieldError) as caught:
        http_url(address, "registration_url")
    assert caught.value.field == "registration_url"
    assert str(caught.value) == "Give a full address starting with https://"


def test_http_url_uses_the_given_message():
    with pytest.raises(FieldError, match="^Use a web link.$"):
        http_url("javascript:x", "url", message="Use a web link.")


def test_http_url_refuses_over_long_values():
    address = "https://example.org/" + "a" * 480
    assert http_url(address, "url") == address  # exactly 500
    with pytest.raises(FieldError) as caught:
        http_url(address + "a", "url")
    assert caught.value.errors == {"url": "Keep the address under 500 characters."}
    with pytest.raises(FieldError, match="under 20 characters"):
        http_url("https://example.org/abc", "url", max_length=20)


def test_allow_path_accepts_a_path_on_this_site():
    assert http_url("/events/", "link", allow_path=True) == "/events/"
    assert http_url("https://example.org", "link", allow_path=True) == (
        "https://example.org"
    )


@pytest.mark.parametrize("address", ["//evil.example", "//evil.example/events/"])
def test_allow_path_refuses_a_protocol_relative_address(address):
    with pytest.raises(FieldError) as caught:
        http_url(address, "link", allow_path=True)
    assert caught.value.field == "link"


def test_allow_path_refuses_a_path_with_spaces():
    with pytest.raises(FieldError, match="An address cannot contain spaces."):
        http_url("/events/ x", "link", allow_path=True)


def test_single_line_folds_white_space():
    assert single_line("  two\nlines\t and\r\n  more  ", "name", max_length=100) == (
        "two lines and more"
    )
    assert single_line("", "name", max_length=10) == ""


def test_single_line_enforces_the_limit_after_folding():
    assert single_line("a  \n b", "name", max_length=3) == "a b"
    assert single_line("x" * 10, "name", max_length=10) == "x" * 10
    with pytest.raises(FieldError) as caught:
        single_line("x" * 11, "name", max_length=10)
    assert caught.value.errors == {"name": "Keep this under 10 characters."}
    with pytest.raises(FieldError, match="Keep this under 1,000 characters."):
        single_line("x" * 1001, "name", max_length=1000)
