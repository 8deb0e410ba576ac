"""The event editor and the promotional block's form.

People and sponsors are rows (``FieldList`` of ``FormField``) that work
without JavaScript: each row has an order number and a Remove box, and an
"Add another" button re-renders the form with one more empty row.
"""

from __future__ import annotations

from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileSize
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import Email, Length, NumberRange, Optional

from blog.models import EventStatus

IMAGE_TYPES = ["jpg", "jpeg", "png", "gif", "webp"]
MAX_IMAGE_BYTES = 10 * 1024 * 1024


def zone_choices() -> list[SelectChoice]:
    return [SelectChoice(name, name) for name in sorted(available_timezones())]


class _Row(Form):
    """A row's order number and Remove box (no CSRF of its own)."""

    position = IntegerField(
        "Order", validators=[Optional(), NumberRange(min=0, max=999)]
    )
    remove = BooleanField("Remove")

    @property
    def is_blank(self) -> bool:
        return not (self.name.data or "").strip()  # type: ignore[attr-defined]


class SpeakerRow(_Row):
    name = StringField("Name", validators=[Optional(), Length(max=200)])
    affiliation = StringField("Affiliation", validators=[Optional(), Length(max=200)])
    url = URLField("Link", validators=[Optional(), Length(max=500)])


class ModeratorRow(SpeakerRow):
    role = SelectField(
        "Role",
        choices=[SelectChoice("moderator", "Moderator"), SelectChoice("host", "Host")],
        default="moderator",
    )


class SponsorRow(_Row):
    name = StringField("Organisation", validators=[Optional(), Length(max=200)])
    url = URLField("Link", validators=[Optional(), Length(max=500)])


#: The row lists, with the label of their "Add another" button.
ROW_LISTS = {
    "speakers": "Add another speaker",
    "moderators": "Add another moderator",
    "sponsors": "Add another co-sponsor",
}


class EventForm(FlaskForm):
    title = StringField("Title", validators=[Length(max=300)])
    slug = StringField("Slug", validators=[Optional(), Length(max=200)])
    status = SelectField(
        "Status",
        choices=[SelectChoice(s.value, s.label) for s in EventStatus],
        default=EventStatus.SCHEDULED.value,
    )
    start_date = DateField("Starts on", validators=[Optional()])
    start_time = TimeField("Start time", validators=[Optional()])
    end_date = DateField("Ends on", validators=[Optional()])
    end_time = TimeField("End time", validators=[Optional()])
    all_day = BooleanField("All day")
    timezone = SelectField("Time zone")
    venue_name = StringField("Venue", validators=[Optional(), Length(max=200)])
    room = StringField("Room", validators=[Optional(), Length(max=200)])
    venue_address = StringField("Address", validators=[Optional(), Length(max=500)])
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
    audiences = StringField("Open to", validators=[Optional(), Length(max=2000)])
    units = StringField("Organising units", validators=[Optional(), Length(max=2000)])
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
    featured_image = FileField(
        "Featured image",
        validators=[
            FileAllowed(IMAGE_TYPES, "Upload a JPEG, PNG, GIF or WebP image."),
            FileSize(MAX_IMAGE_BYTES, message="Keep the image under 10 MB."),
        ],
    )
    featured_image_alt = StringField(
        "Alt text", validators=[Optional(), Length(max=300)]
    )
    featured_image_caption = StringField(
        "Caption", validators=[Optional(), Length(max=500)]
    )
    remove_image = BooleanField("Remove the image")
    comments_open = BooleanField("Allow comments", default=True)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.timezone.choices = zone_choices()


class PromoForm(FlaskForm):
    title = StringField("Title", validators=[Optional(), Length(max=200)])
    text = TextAreaField("Text", validators=[Optional(), Length(max=5000)])
    link = StringField("Link", validators=[Optional(), Length(max=500)])
    image = FileField(
        "Image",
        validators=[
            FileAllowed(IMAGE_TYPES, "Upload a JPEG, PNG, GIF or WebP image."),
            FileSize(MAX_IMAGE_BYTES, message="Keep the image under 10 MB."),
        ],
    )
    image_alt = StringField("Alt text", validators=[Optional(), Length(max=300)])
    remove_image = BooleanField("Remove the image")
