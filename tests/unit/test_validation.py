"""blog.validation: clean text, email addresses, web addresses and one-line text."""

from __future__ import annotations

import pytest

from blog.errors import FieldError
from blog.validation import (
    clean_text,
    email_address,
    http_url,
    is_one_line,
    single_line,
    strip_invisible,
)

ONE_LINE = "Keep this on one line, without line breaks."
NO_SPACES = (
    "An address cannot contain spaces, line breaks, quotes, angle brackets or "
    "backslashes."
)
FULL_ADDRESS = "Give a full address starting with https://"


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
        "https://example.org.",
        "https://bücher.example/straße?q=ü",
        "http://127.0.0.1:8000/x",
        "http://[2001:db8::1]/",
        "https://en.wikipedia.org/wiki/Ada_(programming_language)",
        "https://example.org/a%20b?x=%22y%22",
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
        "example.org",
        "//example.org",
        "/events/",
        "http://[::1",
        "https:/example.org",
        "https:///example.org",
        "https://example.org:99999/",
        "https://example.org:port/",
        "https://bank.example@evil.example/",
        "https://user:pass@example.org/",
        "https://-bad-.example/",
        "https://exa_mple..org/",
        "https://1.2.3/",
        "https://0x7f.0.0.1/",
        "https://example.123/",
        "https://%65xample.org/",
        "https://xn--zz.example/é",
        "https://⒈.example/",  # an IDNA-disallowed character
    ],
)
def test_http_url_rejects_anything_else(address):
    with pytest.raises(FieldError) as caught:
        http_url(address, "registration_url")
    assert caught.value.field == "registration_url"
    assert str(caught.value) == FULL_ADDRESS


@pytest.mark.parametrize(
    "address",
    [
        "https://exa mple.org",
        "https://example.org/a b",
        "https://example.org/\tx",
        "https://exa\tmple.org/",  # urlsplit would drop the tab: example.org
        "https://example.org/\r\nX-Header: 1",
        "https://example.org/\nx",
        "https://example.org/\u2028x",
        "https://example.org/\u00a0x",
        'https://example.org/"onmouseover="x',
        "https://example.org/'x",
        "https://example.org/<script>",
        "https://example.org/`x`",
        "https://example.org\\@evil.example/",
        "https://evil.example\\.example.org/",
    ],
)
def test_http_url_refuses_spaces_controls_quotes_and_backslashes(address):
    with pytest.raises(FieldError) as caught:
        http_url(address, "registration_url")
    assert caught.value.errors == {"registration_url": NO_SPACES}


def test_http_url_removes_invisible_characters():
    """Nobody can see them to take them out: bidi controls, zero-width ones."""
    assert http_url("https://exa\u200bmple.org/\u202etxt", "url") == (
        "https://example.org/txt"
    )
    assert http_url("\ufeff https://example.org \u200d", "url") == (
        "https://example.org"
    )
    assert http_url("\u200b\u202e", "url") == ""


def test_http_url_removes_control_characters_as_every_form_does():
    assert http_url("https://example.org/\x00a\x1bb\x85c", "url") == (
        "https://example.org/abc"
    )


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


@pytest.mark.parametrize(
    "address",
    [
        "//evil.example",
        "//evil.example/events/",
        # Browsers read "\\" as "/", and drop tabs and newlines: all of these
        # go to evil.example.
        "/\\evil.example",
        "/\\/evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r\n/evil.example",
        "/ /evil.example",
        "\t//evil.example",
        "/\u200b/evil.example",  # the invisible character goes: "//evil..."
    ],
)
def test_allow_path_refuses_another_host(address):
    with pytest.raises(FieldError) as caught:
        http_url(address, "link", allow_path=True)
    assert caught.value.field == "link"


def test_allow_path_refuses_a_path_with_spaces():
    with pytest.raises(FieldError, match="An address cannot contain spaces"):
        http_url("/events/ x", "link", allow_path=True)


def test_allow_path_keeps_queries_and_fragments():
    assert http_url("/events/?tag=a%2Fb#top", "link", allow_path=True) == (
        "/events/?tag=a%2Fb#top"
    )
    assert http_url("/", "link", allow_path=True) == "/"


def test_clean_text_normalizes_line_breaks_and_drops_control_characters():
    assert clean_text("a\r\nb\rc\nd") == "a\nb\nc\nd"
    assert clean_text("N\x00U\x01L\x08\x0b\x0c\x1b\x7f\x85\x9fL") == "NULL"
    assert clean_text("tab\tkept\n") == "tab\tkept\n"
    assert clean_text("lone \ud800 surrogate") == "lone  surrogate"
    # Visible text, right-to-left marks and joiners are kept.
    assert clean_text("سلام\u200fمی\u200cخواهم 👩\u200d💻 é") == (
        "سلام\u200fمی\u200cخواهم 👩\u200d💻 é"
    )


def test_strip_invisible_removes_format_characters_and_blank_letters():
    assert strip_invisible("\u202eexe.txt") == "exe.txt"
    assert strip_invisible("A\u200bd\u200ca\u200d\u2060\ufeff\u00ad") == "Ada"
    assert strip_invisible("\u2066\u2067\u2068x\u2069\u202a\u202b\u202c\u202d") == "x"
    assert strip_invisible("\u200e\u200f\u061cname") == "name"
    assert strip_invisible("\u3164\u115f\u1160\uffa0") == ""
    assert strip_invisible("Eve\r\n\x00") == "Eve\n"
    assert strip_invisible("José 李 سارا") == "José 李 سارا"


def test_is_one_line():
    assert is_one_line("one line\t ") and is_one_line(" trailing\n")
    assert not is_one_line("two\nlines")
    assert not is_one_line("two\u2028lines") and not is_one_line("a\u2029b")


def test_single_line_folds_spaces():
    assert single_line("  one\t line \u00a0 here  ", "name", max_length=100) == (
        "one line here"
    )
    assert single_line("", "name", max_length=10) == ""
    assert single_line("  padded \r\n", "name", max_length=10) == "padded"


@pytest.mark.parametrize(
    "text", ["two\nlines", "two\r\nlines", "two\rlines", "a\u2028b", "a\u2029b"]
)
def test_single_line_refuses_line_breaks(text):
    with pytest.raises(FieldError) as caught:
        single_line(text, "venue_name", max_length=100)
    assert caught.value.errors == {"venue_name": ONE_LINE}
    with pytest.raises(FieldError, match="^Say it on one line.$"):
        single_line(text, "title", max_length=100, message="Say it on one line.")


def test_single_line_removes_control_and_bidi_characters():
    text = "Room\x00 1\x1b01 \u202eA\u202c \u2066B\u2069"
    assert single_line(text, "room", max_length=100) == "Room 101 A B"
    # Marks and joiners stay: right-to-left titles and Persian words need them.
    assert single_line("می\u200cخواهم\u200f", "room", max_length=100) == (
        "می\u200cخواهم\u200f"
    )


def test_single_line_enforces_the_limit_after_folding():
    assert single_line("a  \t b", "name", max_length=3) == "a b"
    assert single_line("x" * 10, "name", max_length=10) == "x" * 10
    with pytest.raises(FieldError) as caught:
        single_line("x" * 11, "name", max_length=10)
    assert caught.value.errors == {"name": "Keep this under 10 characters."}
    with pytest.raises(FieldError, match="Keep this under 1,000 characters."):
        single_line("x" * 1001, "name", max_length=1000)


def test_names_lose_every_invisible_character():
    from blog.validation import name_line

    assert name_line("Mira\u200bCastellanos\u200f", "name", max_length=50) == (
        "MiraCastellanos"
    )
    assert name_line("\u202etxt.exe", "name", max_length=50) == "txt.exe"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/dashboard/comments/?status=spam", "/dashboard/comments/?status=spam"),
        ("//evil.example/", None),
        ("/\\evil.example", None),
        ("https://evil.example/", None),
        ("/dashboard/comments/\nx", None),
        ("/dashboard/\x85", None),
        ("dashboard/", None),
        ("", None),
        (None, None),
    ],
)
def test_local_path(target, expected):
    from blog.validation import local_path

    assert local_path(target) == expected
