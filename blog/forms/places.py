"""The dashboard's venue and organiser forms, and deleting one (confirmed).

The services (:mod:`blog.events.places`) check and clean every field; these
forms only bound what a browser may send and keep it when refused.
"""

from __future__ import annotations

from wtforms import EmailField, StringField, TelField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length, Optional

from blog.events.place_input import (
    NAME_MAX,
    NOTES_MAX,
    PHONE_MAX,
    SLUG_MAX,
    URL_MAX,
    VENUE_LIMITS,
    OrganiserInput,
    VenueInput,
)
from blog.forms.common import BlogForm


def _text(label: str, limit: int) -> StringField:
    return StringField(label, validators=[Optional(), Length(max=limit)])


class VenueForm(BlogForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=NAME_MAX)])
    slug = _text("Slug", SLUG_MAX)
    street_address = _text("Street address", VENUE_LIMITS["street_address"])
    locality = _text("City or town", VENUE_LIMITS["locality"])
    region = _text("Region", VENUE_LIMITS["region"])
    postal_code = _text("Postal code", VENUE_LIMITS["postal_code"])
    country = _text("Country", VENUE_LIMITS["country"])
    room = _text("Default room", VENUE_LIMITS["room"])
    map_url = URLField("Map link", validators=[Optional(), Length(max=URL_MAX)])
    accessibility = TextAreaField(
        "Accessibility notes", validators=[Optional(), Length(max=NOTES_MAX)]
    )

    def to_input(self) -> VenueInput:
        return VenueInput(
            name=self.name.data or "",
            slug=self.slug.data or "",
            street_address=self.street_address.data or "",
            locality=self.locality.data or "",
            region=self.region.data or "",
            postal_code=self.postal_code.data or "",
            country=self.country.data or "",
            room=self.room.data or "",
            map_url=self.map_url.data or "",
            accessibility=self.accessibility.data or "",
        )


class OrganiserForm(BlogForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=NAME_MAX)])
    slug = _text("Slug", SLUG_MAX)
    email = EmailField("Email", validators=[Optional(), Length(max=254)])
    phone = TelField("Phone", validators=[Optional(), Length(max=PHONE_MAX)])
    website = URLField("Website", validators=[Optional(), Length(max=URL_MAX)])

    def to_input(self) -> OrganiserInput:
        return OrganiserInput(
            name=self.name.data or "",
            slug=self.slug.data or "",
            email=self.email.data or "",
            phone=self.phone.data or "",
            website=self.website.data or "",
        )
