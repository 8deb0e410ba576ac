"""Checks shared by every feature: email addresses, web addresses, one-line text.

Each returns the cleaned value or raises :class:`blog.errors.FieldError`
naming the field, with a message to show next to it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

from blog.errors import FieldError

EMAIL_MAX = 254
_WHITESPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")


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
    """An absolute ``http(s)://`` address with a host name (``""`` stays ``""``).

    :param allow_path: also accept a path on this site (``/events/``), never
        a protocol-relative ``//host``.
    """
    text = value.strip()
    if not text:
        return ""
    if len(text) > max_length:
        raise FieldError(
            message or f"Keep the address under {max_length} characters.", field
        )
    if allow_path and text.startswith("/") and not text.startswith("//"):
        if _WHITESPACE_OR_CONTROL.search(text):
            raise FieldError(message or "An address cannot contain spaces.", field)
        return text
    if not _is_web_address(text):
        raise FieldError(message or "Give a full address starting with https://", field)
    return text


def _is_web_address(text: str) -> bool:
    if _WHITESPACE_OR_CONTROL.search(text):
        return False
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
    except ValueError:  # an invalid port or IPv6 literal
        return False
    if parts.scheme.lower() not in ("http", "https"):
        return False
    return "." in host.strip(".") or host == "localhost"


def single_line(value: str, field: str, *, max_length: int) -> str:
    """Text with its runs of white space (line breaks too) folded to one space."""
    text = " ".join(value.split())
    if len(text) > max_length:
        raise FieldError(f"Keep this under {max_length:,} characters.", field)
    return text
