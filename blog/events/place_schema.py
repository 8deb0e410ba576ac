"""schema.org data (JSON-LD) for a venue's page (``Place`` with its
``PostalAddress``) and an organiser's page (``Organization``).

Pure functions of the record and the absolute addresses the view builds;
templates serialise the result with Jinja's ``tojson`` (HTML-safe).
"""

from __future__ import annotations

from typing import Any

from blog.models import Organiser, Venue
from blog.site.structured_data import CONTEXT

#: PostalAddress's properties, from the venue's columns.
_ADDRESS_PARTS = {
    "streetAddress": "street_address",
    "addressLocality": "locality",
    "addressRegion": "region",
    "postalCode": "postal_code",
    "addressCountry": "country",
}


def postal_address(venue: Venue) -> dict[str, Any] | None:
    """The venue's address as a ``PostalAddress``; ``None`` when it has none."""
    parts = {
        prop: value
        for prop, column in _ADDRESS_PARTS.items()
        if (value := getattr(venue, column))
    }
    return {"@type": "PostalAddress", **parts} if parts else None


def place(venue: Venue, *, url: str, map_url: str = "") -> dict[str, Any]:
    """A venue as a ``Place``: its page is ``url``, its map ``hasMap``."""
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "Place",
        "name": venue.name,
        "url": url,
    }
    if (address := postal_address(venue)) is not None:
        data["address"] = address
    if map_url:
        data["hasMap"] = map_url
    return data


def organization(organiser: Organiser, *, url: str) -> dict[str, Any]:
    """An organiser as an ``Organization``: its own website as ``url`` when
    it has one (else its page here), its email and telephone."""
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "Organization",
        "name": organiser.name,
        "url": organiser.website or url,
    }
    if organiser.website:
        data["mainEntityOfPage"] = {"@type": "WebPage", "@id": url}
    if organiser.email:
        data["email"] = organiser.email
    if organiser.phone:
        data["telephone"] = organiser.phone
    return data
