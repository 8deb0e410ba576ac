"""Checks shared by every feature: clean text, email addresses, web addresses,
one-line text.

Each check returns the cleaned value or raises :class:`blog.errors.FieldError`
naming the field, with a message to show next to it.

Invisible characters follow three rules, from the loosest to the strictest:

- All text (:func:`clean_text`, which every form applies to every field):
  line breaks become ``"\\n"``; NUL, the other C0 and C1 control characters
  (tab and newline excepted) and lone surrogates are removed. Nobody types
  them, and PostgreSQL refuses NUL in text.
- One-line text (:func:`single_line`: titles, venues, alt text): line breaks
  are refused, not folded; the bidi embedding, override and isolate controls
  (U+202A-U+202E, U+2066-U+2069) are removed, since one left open reorders
  the rest of the line. Marks (LRM, RLM) and joiners (ZWJ, ZWNJ) stay:
  right-to-left writing and some scripts need them.
- Names, web addresses and link text (:func:`strip_invisible`, used by
  :func:`http_url`, the comment checks and ``blog.rendering``): no format
  character at all (Unicode category Cf: every bidi control and mark, zero
  width spaces and joiners, the BOM, tag characters), nor the Hangul fillers
  that render as blanks, so that ``"\\u202etxt.exe"`` cannot pose as
  ``exe.txt`` and two names that look alike are alike. Templates show names
  inside ``<bdi>`` so a right-to-left name cannot reorder its surroundings.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from urllib.parse import urlsplit

import idna
from email_validator import EmailNotValidError, validate_email

from blog.errors import FieldError

EMAIL_MAX = 254
HOST_MAX = 253

# C0 but tab and newline (CR is gone once line breaks are normalized), DEL, C1,
# and lone surrogates (which cannot be encoded as UTF-8).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
#: Bidi embeddings, overrides and isolates: they open a state that a
#: one-line field has no way to close.
BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_LINE_BREAK = re.compile(r"[\n\u2028\u2029]")
# Blank-looking letters (Hangul fillers) that names and addresses do without.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
# Never in a web address, wherever: browsers drop tabs and newlines, read "\"
# as "/", and quotes and angle brackets end attributes and JSON strings.
_URL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f-\x9f\\\"'<>`]")
_URL_SCHEME = re.compile(r"https?://", re.IGNORECASE)
_HOST_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)")
# A last label that browsers read as a number makes the host an IPv4 address.
_NUMERIC_LABEL = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)", re.IGNORECASE)


def clean_text(value: str) -> str:
    """``value`` with its line breaks as ``"\\n"`` (from CRLF or CR) and without
    NUL, other control characters but tab and newline, or lone surrogates."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def strip_invisible(value: str) -> str:
    """:func:`clean_text` without any format character (bidi controls and
    marks, zero-width spaces and joiners...) or blank-looking letter: for
    names, web addresses and link text."""
    text = clean_text(value)
    if text.isascii():
        return text
    return "".join(
        char
        for char in text
        if unicodedata.category(char) != "Cf" and char not in _BLANK_LETTERS
    )


def is_one_line(text: str) -> bool:
    """No line break inside ``text`` (around it does not count)."""
    return _LINE_BREAK.search(text.strip()) is None


def email_address(value: str, field: str = "email", *, message: str = "") -> str:
    """A syntactically valid address, normalized (``Ann@Example.org`` -> domain
    lower-cased); deliverability is not checked (no DNS lookups).

    :param message: shown instead of the library's own explanation.
    """
    text = value.strip()
    if len(text) > EMAIL_MAX:
        raise FieldError(message or "That email address is too long.", field)
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise FieldError(message or str(error), field) from error


def http_url(
    value: str,
    field: str,
    *,
    max_length: int = 500,
    message: str = "",
    allow_path: bool = False,
) -> str:
    """An absolute ``http(s)://`` address with a real host name (``""`` stays
    ``""``), without invisible characters (removed: nobody can see to fix
    them) and without spaces, control characters, quotes, angle brackets or
    backslashes anywhere (refused: write them percent-encoded).

    :param allow_path: also accept a path on this site (``/events/``), never
        one a browser reads as another host (``//host``, ``/\\host``).
    """
    text = strip_invisible(value).strip()
    if not text:
        return ""
    if len(text) > max_length:
        raise FieldError(
            message or f"Keep the address under {max_length} characters.", field
        )
    local = allow_path and _is_local(text)
    if not local and not _URL_SCHEME.match(text):
        raise FieldError(message or "Give a full address starting with https://", field)
    if _URL_FORBIDDEN.search(text):
        raise FieldError(
            message
            or "An address cannot contain spaces, line breaks, quotes, angle "
            "brackets or backslashes.",
            field,
        )
    if not local and not _has_real_host(text):
        raise FieldError(message or "Give a full address starting with https://", field)
    return text


def local_path(value: str | None) -> str | None:
    """``value`` if it is a path on this site (``/dashboard/?status=spam``) a
    browser cannot read as another host, and holds nothing a header or an
    attribute would choke on; else ``None``. For ``next=`` targets."""
    if not value or not _is_local(value) or _URL_FORBIDDEN.search(value):
        return None
    return value


def _is_local(text: str) -> bool:
    return text.startswith("/") and text[1:2] not in ("/", "\\")


def _has_real_host(text: str) -> bool:
    """A host name with a dot (or ``localhost``), or an IP address; no user
    name (``https://bank.example@evil.example``) and a valid port."""
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        _ = parts.port
    except ValueError:  # an invalid port or IPv6 literal
        return False
    if "@" in parts.netloc or not host:
        return False
    if parts.netloc.startswith("["):
        return _is_ip(host, ipaddress.IPv6Address)
    labels = host.removesuffix(".").split(".")
    if _NUMERIC_LABEL.fullmatch(labels[-1]):
        return _is_ip(host, ipaddress.IPv4Address)
    if host == "localhost":
        return True
    try:
        ascii_host = host if host.isascii() else idna.encode(host, uts46=True).decode()
        labels = ascii_host.lower().removesuffix(".").split(".")
        for label in labels:
            if label.startswith("xn--"):
                idna.decode(label)  # a valid punycode label
    except UnicodeError:  # idna.IDNAError: not a valid internationalized name
        return False
    return (
        len(ascii_host) <= HOST_MAX
        and len(labels) > 1
        and all(_HOST_LABEL.fullmatch(label) for label in labels)
    )


def _is_ip(
    host: str, kind: type[ipaddress.IPv4Address | ipaddress.IPv6Address]
) -> bool:
    try:
        kind(host)
    except ValueError:
        return False
    return True


def http_url_or_empty(
    value: str, *, max_length: int = 500, allow_path: bool = False
) -> str:
    """:func:`http_url`'s address, or ``""`` where it would refuse one: for
    addresses read back from storage or an import, where nobody is there
    to correct them (a ``javascript:`` one is dropped, not shown)."""
    try:
        return http_url(value, "url", max_length=max_length, allow_path=allow_path)
    except FieldError:
        return ""


def single_line(value: str, field: str, *, max_length: int, message: str = "") -> str:
    """One line of text: :func:`clean_text`, bidi controls removed, runs of
    white space folded to one space.

    :raises FieldError: a line break inside the text (``message``, if given),
        or more than ``max_length`` characters once folded.
    """
    text = BIDI_CONTROLS.sub("", clean_text(value))
    if not is_one_line(text):
        raise FieldError(
            message or "Keep this on one line, without line breaks.", field
        )
    text = " ".join(text.split())
    if len(text) > max_length:
        raise FieldError(f"Keep this under {max_length:,} characters.", field)
    return text


def name_line(value: str, field: str, *, max_length: int) -> str:
    """A name (of a person, an organisation, a category): :func:`single_line`
    with no invisible character at all (:func:`strip_invisible`), so that two
    names that look alike are alike."""
    return single_line(strip_invisible(value), field, max_length=max_length)
