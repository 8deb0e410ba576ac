"""The event editor.

People and sponsors are rows (``FieldList`` of ``FormField``) that work
without JavaScript: each row has an order number and a Remove box, and an
"Add another" button shows the form again with one more empty row.

Audiences ("Open to") and organising units are checkboxes of the existing
names plus an "Add new" box taking one name a line, so that a name may hold
commas ("Students, Prospective"). The template draws the checkboxes from
the names the view offers (:meth:`EventForm.checklist`); a box's value is
its name.

"Repeats" and "Changes to single dates" come from
:class:`blog.forms.event_repeats.RepetitionFields`. The saved venues and
organisers are menus the view fills (:meth:`EventForm.offer_places`).
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from datetime import datetime, tzinfo
from typing import Any, Self

from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import Email, Length, NumberRange, Optional

from blog.dates import place_zones, to_zone, zone_named
from blog.events import EventInput, PersonInput, SponsorInput
from blog.events.editing import OrganiserFields
from blog.events.when import last_day, local_span
from blog.forms.common import FeaturedImageForm, SubForm, choice
from blog.forms.event_repeats import RepetitionFields, repetition_data
from blog.models import (
    Event,
    EventPerson,
    EventStatus,
    Organiser,
    PersonRole,
    Post,
    Venue,
)
from blog.numbers import parse_int
from blog.posts import PostInput

#: The row lists, with the label of their "Add another" button.
ROW_LISTS = {
    "speakers": "Add another speaker",
    "moderators": "Add another moderator",
    "sponsors": "Add another co-sponsor",
}
#: Empty rows offered on a new event, and after existing rows when editing.
NEW_ROWS = {"speakers": 3, "moderators": 1, "sponsors": 2}
#: The menus' first option: no saved venue (or organiser) picked.
NONE_PICKED = "— none / typed below —"
#: Fields that are copied as they are between the form, the service's input
#: and the event (same names everywhere).
PLAIN_FIELDS = tuple(
    f.name
    for f in fields(EventInput)
    if f.name not in {"post", "people", "sponsors", "audiences", "units"}
    and f.name not in {"start_date", "start_time", "end_date", "end_time"}
    and f.name not in {"repetition", "venue_id", "save_venue", "organiser_id"}
    and f.name != "organiser"
)

_DEFAULTS = {
    f.name: "" if f.default is MISSING else f.default for f in fields(EventInput)
}


def zone_choices() -> list[Any]:
    return [choice(name, name) for name in sorted(place_zones())]


class _Row(SubForm):
    """A row's order number and Remove box (no CSRF of its own)."""

    position = IntegerField(
        "Order", validators=[Optional(), NumberRange(min=0, max=999)]
    )
    remove = BooleanField("Remove")


class SpeakerRow(_Row):
    name = StringField("Name", validators=[Optional(), Length(max=200)])
    affiliation = StringField("Affiliation", validators=[Optional(), Length(max=200)])
    url = URLField("Link", validators=[Optional(), Length(max=500)])


class ModeratorRow(SpeakerRow):
    role = SelectField(
        "Role",
        choices=[choice("moderator", "Moderator"), choice("host", "Host")],
        default="moderator",
    )


class SponsorRow(_Row):
    name = StringField("Organisation", validators=[Optional(), Length(max=200)])
    url = URLField("Link", validators=[Optional(), Length(max=500)])


class EventForm(RepetitionFields, FeaturedImageForm):
    title = StringField("Title", validators=[Length(max=300)])
    slug = StringField("Slug", validators=[Optional(), Length(max=200)])
    status = SelectField(
        "Status",
        choices=[choice(s.value, s.label) for s in EventStatus],
        default=EventStatus.SCHEDULED.value,
    )
    start_date = DateField("Starts on", validators=[Optional()])
    start_time = TimeField("Start time", validators=[Optional()])
    end_date = DateField("Ends on", validators=[Optional()])
    end_time = TimeField("End time", validators=[Optional()])
    all_day = BooleanField("All day")
    timezone = SelectField("Time zone")
    venue_id = SelectField("Venue", choices=[], validate_choice=False)
    venue_name = StringField("Venue name", validators=[Optional(), Length(max=200)])
    room = StringField("Room", validators=[Optional(), Length(max=200)])
    venue_address = StringField("Address", validators=[Optional(), Length(max=500)])
    save_venue = BooleanField("Save this venue for other events")
    organiser_id = SelectField("Organiser", choices=[], validate_choice=False)
    organiser_name = StringField(
        "New organiser", validators=[Optional(), Length(max=200)]
    )
    organiser_email = StringField(
        "Organiser's email", validators=[Optional(), Length(max=254)]
    )
    organiser_phone = StringField(
        "Organiser's phone", validators=[Optional(), Length(max=50)]
    )
    organiser_website = URLField(
        "Organiser's website", validators=[Optional(), Length(max=500)]
    )
    online_url = URLField("Online link", validators=[Optional(), Length(max=500)])
    registration_url = URLField(
        "Registration link", validators=[Optional(), Length(max=500)]
    )
    cost = StringField("Cost", validators=[Optional(), Length(max=100)])
    body = TextAreaField("Body", validators=[Length(max=500_000)])
    excerpt = TextAreaField("Excerpt", validators=[Optional(), Length(max=5000)])
    speakers = FieldList(FormField(SpeakerRow), "Speakers", max_entries=30)
    moderators = FieldList(FormField(ModeratorRow), "Moderator", max_entries=30)
    sponsors = FieldList(FormField(SponsorRow), "Co-sponsored by", max_entries=30)
    categories = StringField("Categories", validators=[Optional(), Length(max=2000)])
    audiences = SelectMultipleField("Open to", choices=[], validate_choice=False)
    new_audiences = TextAreaField(
        "Add new audience",
        validators=[Optional(), Length(max=5000)],
        render_kw={"rows": 2},
    )
    units = SelectMultipleField("Organising units", choices=[], validate_choice=False)
    new_units = TextAreaField(
        "Add new unit",
        validators=[Optional(), Length(max=5000)],
        render_kw={"rows": 2},
    )
    contact_name = StringField("Contact name", validators=[Optional(), Length(max=100)])
    contact_email = StringField(
        "Contact email", validators=[Optional(), Email(), Length(max=254)]
    )
    contact_phone = StringField(
        "Contact phone", validators=[Optional(), Length(max=50)]
    )
    accommodations_deadline = DateField(
        "Accommodation requests by", validators=[Optional()]
    )
    comments_open = BooleanField("Allow comments", default=True)
    #: The event's version this editor was opened on (optimistic locking).
    version = HiddenField()
    #: When readers see the event's page (the site's zone), not when it happens.
    publish_at = DateTimeLocalField(
        "Publish on", format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = zone_choices()
        self._start_repetition(self.start_date.data)

    def offer_places(self, venues: list[Venue], organisers: list[Organiser]) -> None:
        """The saved venues and organisers as the menus' options."""
        self.venue_id.choices = [
            choice("", NONE_PICKED),
            *[choice(str(v.id), v.name) for v in venues],
        ]
        self.organiser_id.choices = [
            choice("", NONE_PICKED),
            *[choice(str(o.id), o.name) for o in organisers],
        ]

    @classmethod
    def for_post(cls, post: Post | None, site_zone: str) -> Self:
        """The editor for ``post``, or for a new event in the site's zone."""
        if post is None or post.event is None:
            return cls(data=cls._blank(site_zone))
        published = post.published_at
        local = to_zone(published, zone_named(site_zone)) if published else None
        publish_at = local.replace(tzinfo=None) if local else None
        return cls(data={**cls.initial(post, post.event), "publish_at": publish_at})

    @staticmethod
    def _blank(site_zone: str) -> dict[str, Any]:
        rows: dict[str, list[dict[str, Any]]] = {
            name: [{}] * count for name, count in NEW_ROWS.items()
        }
        return {
            "timezone": site_zone,
            "comments_open": True,
            **rows,
            "changes": [{}],
        }

    @staticmethod
    def initial(post: Post, event: Event) -> dict[str, Any]:
        """The fields' values for an event (local times in its own zone)."""
        start, end = local_span(event)
        moderators = [
            {**_person_row(p, i), "role": p.role}
            for i, p in enumerate(event.moderators, start=1)
        ]
        sponsors = [
            {"name": s.name, "url": s.url, "position": i}
            for i, s in enumerate(event.sponsors, start=1)
        ]
        return {
            **{name: getattr(event, name) for name in PLAIN_FIELDS},
            "title": post.title,
            "slug": post.slug,
            "body": post.body_source,
            "excerpt": post.excerpt_source,
            "comments_open": post.comments_open,
            "start_date": start.date(),
            "start_time": None if event.all_day else start.time(),
            "end_date": last_day(event) if event.all_day else end.date(),
            "end_time": None if event.all_day else end.time(),
            "speakers": [
                _person_row(p, i) for i, p in enumerate(event.speakers, start=1)
            ]
            + [{}],
            "moderators": [*moderators, {}],
            "sponsors": sponsors + [{}] * (1 if sponsors else NEW_ROWS["sponsors"]),
            "categories": ", ".join(t.name for t in post.categories),
            "audiences": [t.name for t in event.audiences],
            "units": [t.name for t in event.units],
            "version": post.version,
            **repetition_data(event),
            "venue_id": str(event.venue_id) if event.venue_id else "",
            "organiser_id": str(event.organiser_id) if event.organiser_id else "",
            **FeaturedImageForm.featured_image_data(post),
        }

    def to_input(self, site_zone: tzinfo | None = None) -> EventInput:
        """What the editor sent, for the events service; the publish date is
        in ``site_zone`` (ignored without one)."""
        publish_at: datetime | None = None
        if self.publish_at.data and site_zone is not None:
            publish_at = self.publish_at.data.replace(tzinfo=site_zone)
        rows = {name: _kept(rows) for name, rows in self.row_lists().items()}
        people = [_person_input(row, PersonRole.SPEAKER) for row in rows["speakers"]]
        people += [
            _person_input(row, row.role.data or PersonRole.MODERATOR)
            for row in rows["moderators"]
        ]
        return EventInput(
            post=PostInput(
                title=self.title.data or "",
                body=self.body.data or "",
                slug=self.slug.data or "",
                excerpt=self.excerpt.data or "",
                categories=self.categories.data or "",
                comments_open=bool(self.comments_open.data),
                image=self.featured_image_input(),
                publish_at=publish_at,
                base_version=parse_int(self.version.data),
            ),
            **{name: self._value(name) for name in PLAIN_FIELDS},
            start_date=self.start_date.data,
            start_time=self.start_time.data,
            end_date=self.end_date.data,
            end_time=self.end_time.data,
            people=people,
            sponsors=[
                SponsorInput(row.name.data or "", row.url.data or "")
                for row in rows["sponsors"]
            ],
            audiences=self._names("audiences"),
            units=self._names("units"),
            repetition=self.repetition_input(),
            venue_id=parse_int(self.venue_id.data),
            save_venue=bool(self.save_venue.data),
            organiser_id=parse_int(self.organiser_id.data),
            organiser=OrganiserFields(
                name=self.organiser_name.data or "",
                email=self.organiser_email.data or "",
                phone=self.organiser_phone.data or "",
                website=self.organiser_website.data or "",
            ),
        )

    def _names(self, name: str) -> tuple[str, ...]:
        """The names ticked in a checklist, then those added, one a line."""
        ticked = self[name].data or []
        added = (self[f"new_{name}"].data or "").splitlines()
        return (*ticked, *added)

    def checklist(self, name: str, offered: list[str]) -> list[tuple[str, bool]]:
        """The checkboxes of ``audiences`` or ``units``: each offered name
        and whether it is ticked, then any ticked name no longer offered (so
        nothing chosen is lost when the form is shown again)."""
        ticked = list(dict.fromkeys(self[name].data or []))
        boxes = [(option, option in ticked) for option in offered]
        return boxes + [(option, True) for option in ticked if option not in offered]

    def _value(self, name: str) -> Any:
        """A plain field's data, or the service's default when left empty."""
        data = self[name].data
        return _DEFAULTS[name] if data is None or data == "" else data

    def add_row(self, list_name: str) -> bool:
        """The "Add another …" buttons: show the rows again in their numbers'
        order, without removed ones, plus an empty row. False for an unknown list."""
        if list_name == "changes":
            self.add_change_row()
            return True
        lists = self.row_lists()
        if list_name not in lists:
            return False
        for rows in lists.values():
            _renumber(rows)
        lists[list_name].append_entry()
        return True

    def row_lists(self) -> dict[str, FieldList[Any]]:
        """The lists of rows, by the names in :data:`ROW_LISTS`."""
        return {name: getattr(self, name) for name in ROW_LISTS}


def _person_row(person: EventPerson, position: int) -> dict[str, Any]:
    return {
        "name": person.name,
        "affiliation": person.affiliation,
        "url": person.url,
        "position": position,
    }


def _sorted_rows(field_list: FieldList[Any]) -> list[Any]:
    """Rows in the order their numbers say (ties keep the order on the page)."""
    numbered = [
        (row.position.data if row.position.data is not None else 999, index, row)
        for index, row in enumerate(field_list)
    ]
    return [row for _, _, row in sorted(numbered, key=lambda item: item[:2])]


def _kept(field_list: FieldList[Any]) -> list[Any]:
    """The rows' forms, in order, without those ticked Remove."""
    return [row.form for row in _sorted_rows(field_list) if not row.remove.data]


def _renumber(field_list: FieldList[Any]) -> None:
    kept = [
        {k: v for k, v in row.data.items() if k != "remove"}
        for row in _sorted_rows(field_list)
        if not row.remove.data
    ]
    while field_list.entries:
        field_list.pop_entry()
    number = 0
    for row in kept:
        if (row.get("name") or "").strip():
            number += 1
            row["position"] = number
        else:
            row["position"] = None
        field_list.append_entry(row)
    if not kept:
        field_list.append_entry()


def _person_input(row: Any, role: str) -> PersonInput:
    return PersonInput(
        row.name.data or "", row.affiliation.data or "", row.url.data or "", role
    )
