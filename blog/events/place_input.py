"""What the dashboard's venue and organiser forms send, and the checks of
each field (:mod:`blog.events.places` adds the rules that read the
database: names and slugs already taken)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from blog.errors import FieldError
from blog.validation import (
    clean_text,
    email_address,
    http_url,
    name_line,
    single_line,
)

#: Each one-line field's longest value, as its column (blog.models.event).
VENUE_LIMITS = {
    "street_address": 200,
    "locality": 100,
    "region": 100,
    "postal_code": 20,
    "country": 100,
    "room": 200,
}
NAME_MAX = 200
SLUG_MAX = 200
URL_MAX = 500
PHONE_MAX = 50
#: Accessibility notes: a few paragraphs (the column is unbounded text).
NOTES_MAX = 5000
#: ``events.venue_address`` holds the venue's address on one line.
ADDRESS_MAX = 500


@dataclass(frozen=True)
class VenueInput:
    """A venue as the dashboard's form sends it; ``slug`` empty keeps the
    venue's own (or makes one from the name)."""

    name: str
    street_address: str = ""
    locality: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    room: str = ""
    map_url: str = ""
    accessibility: str = ""
    slug: str = ""


@dataclass(frozen=True)
class OrganiserInput:
    """An organiser as the dashboard's form sends it."""

    name: str
    email: str = ""
    phone: str = ""
    website: str = ""
    slug: str = ""


Checks = dict[str, Callable[[], Any]]


def checked(checks: Checks) -> dict[str, Any]:
    """Each check's cleaned value, by its key; every field's message at once
    when some are refused (so the form shows them all).

    :raises FieldError: with every message, each under its own field.
    """
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, check in checks.items():
        try:
            values[key] = check()
        except FieldError as error:
            errors.update(error.errors)
    if errors:
        raise FieldError(errors=errors)
    return values


def required_name(value: str, field: str = "name") -> str:
    """A name on one line, without invisible characters; never blank."""
    name = name_line(value, field, max_length=NAME_MAX)
    if not name:
        raise FieldError("Give it a name.", field)
    return name


def notes(value: str, field: str = "accessibility") -> str:
    """Paragraphs of plain text (shown escaped, line breaks kept)."""
    text = clean_text(value).strip()
    if len(text) > NOTES_MAX:
        raise FieldError(f"Keep this under {NOTES_MAX:,} characters.", field)
    return text


def email(value: str, field: str = "email") -> str:
    """An address like name@example.org, or ``""``."""
    if not value.strip():
        return ""
    message = "Give an email address like name@example.org."
    return email_address(value, field, message=message)


def phone(value: str, field: str = "phone") -> str:
    return single_line(value, field, max_length=PHONE_MAX)


def web_address(value: str, field: str) -> str:
    return http_url(value, field, max_length=URL_MAX)


def venue_checks(data: VenueInput) -> Checks:
    """The checks of a venue's columns, by column."""
    checks: Checks = {"name": partial(required_name, data.name)}
    for field, limit in VENUE_LIMITS.items():
        checks[field] = partial(
            single_line, getattr(data, field), field, max_length=limit
        )
    checks["map_url"] = partial(web_address, data.map_url, "map_url")
    checks["accessibility"] = partial(notes, data.accessibility)
    return checks


def organiser_checks(data: OrganiserInput) -> Checks:
    """The checks of an organiser's columns, by column."""
    return {
        "name": partial(required_name, data.name),
        "email": partial(email, data.email),
        "phone": partial(phone, data.phone),
        "website": partial(web_address, data.website, "website"),
    }


def check_address_length(address: str) -> None:
    """``events.venue_address`` holds a venue's whole address on one line.

    :raises FieldError: on ``street_address``.
    """
    if len(address) > ADDRESS_MAX:
        message = f"Keep the whole address under {ADDRESS_MAX} characters."
        raise FieldError(message, "street_address")
