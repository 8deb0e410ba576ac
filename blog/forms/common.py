"""What every feature's forms share: the base classes that clean what people
send, the CSRF-only action form, image fields, and putting a service's
:class:`~blog.errors.FieldError` next to the field it names.

Every form derives from :class:`BlogForm` (a ``FlaskForm``) and every group of
fields inside one (``FormField``, ``FieldList`` rows) from :class:`SubForm`,
so that every text field is cleaned the same way, once, here
(:class:`CleanTextMeta`).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any, BinaryIO, TypeVar

import wtforms
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileSize
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    FormField,
    PasswordField,
    StringField,
    widgets,
)
from wtforms.fields.core import UnboundField
from wtforms.meta import DefaultMeta
from wtforms.validators import Length, Optional, ValidationError

from blog.errors import FieldError
from blog.media import ImageInput
from blog.models import Post
from blog.numbers import parse_int
from blog.validation import clean_text, is_one_line

_FieldT = TypeVar("_FieldT", bound=Field)
ONE_LINE_MESSAGE = "Keep this on one line, without line breaks."


def clean_filter(value: Any) -> Any:
    """The filter of every field: :func:`blog.validation.clean_text` (CRLF to
    LF; NUL and other control characters but tab and newline gone) on text,
    and on each text of a list (a multiple choice); other data as it is."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_text(item) if isinstance(item, str) else item for item in value]
    return value


class OneLine:
    """A one-line input refuses line breaks (no browser sends them; a script
    might, to forge a header or a calendar line). Quiet when the field already
    has a message. Every one-line input gets one; declare your own to word
    the message for the field."""

    def __init__(self, message: str = ONE_LINE_MESSAGE) -> None:
        self.message = message

    def __call__(self, _form: wtforms.Form, field: Field) -> None:
        data = field.data
        if not field.errors and isinstance(data, str) and not is_one_line(data):
            raise ValidationError(self.message)


class CleanTextMeta(DefaultMeta):
    """Binds every field with :func:`clean_filter` first (text fields, and
    choices, which a script may fill with any text), and every one-line text
    input (not hidden, not a password) with :class:`OneLine` last, unless
    it declares its own.

    Passwords are left as typed: they are checked exactly as typed, and the
    command line sets them without any form. ``FieldList`` rows are bound
    here too; a ``FormField`` must wrap a :class:`SubForm` (or another form
    of this module), which cleans its own fields.
    """

    def bind_field(
        self,
        form: wtforms.form.BaseForm,
        unbound_field: UnboundField[_FieldT],
        options: MutableMapping[str, Any],
    ) -> _FieldT:
        field = super().bind_field(form, unbound_field, options)
        if isinstance(field, FormField) and not issubclass(
            field.form_class, BlogForm | SubForm
        ):
            raise TypeError(
                f"{field.form_class.__name__} must derive from "
                "blog.forms.common.SubForm so that its text is cleaned"
            )
        if isinstance(field, PasswordField | FormField | FieldList):
            return field  # as typed; or the data is its subform's or rows'
        field.filters = (clean_filter, *field.filters)
        widget = field.widget
        if (
            isinstance(field, StringField)
            and isinstance(widget, widgets.Input)
            and widget.input_type != "hidden"
            and not any(isinstance(v, OneLine) for v in field.validators)
        ):
            field.validators = [*field.validators, OneLine()]
        return field


class BlogForm(FlaskForm):
    """The base of every form: CSRF (Flask-WTF) and clean text."""

    Meta = CleanTextMeta


class SubForm(wtforms.Form):
    """The base of a group of fields inside a :class:`BlogForm` (a
    ``FormField`` or a ``FieldList`` row): clean text, no CSRF of its own."""

    Meta = CleanTextMeta


IMAGE_TYPES = ["jpg", "jpeg", "png", "gif", "webp"]
#: Under the request limit (``MAX_CONTENT_LENGTH``, 8 MiB), so that a large
#: image gets this message next to its field rather than the 413 page.
MAX_IMAGE_BYTES = 7 * 1024 * 1024


def choice(value: str, label: str) -> Any:
    """One option of a select menu (WTForms 3.3's ``SelectChoice``)."""
    # types-WTForms describes 3.2, before SelectChoice replaced (value, label).
    return wtforms.SelectChoice(value, label)  # type: ignore[attr-defined]


class ActionForm(BlogForm):
    """An empty form: a button that changes state, protected by CSRF."""


def image_field(label: str) -> FileField:
    """An upload field that takes the image types ``blog.media`` stores."""
    return FileField(
        label,
        validators=[
            FileAllowed(IMAGE_TYPES, "Upload a JPEG, PNG, GIF or WebP image."),
            FileSize(MAX_IMAGE_BYTES, message="Keep the image under 7 MB."),
        ],
    )


def uploaded(field: FileField) -> tuple[BinaryIO, str] | None:
    """The uploaded file's stream and name, or ``None`` when none was sent."""
    upload = field.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    return upload.stream, clean_text(str(upload.filename))


def image_input(
    upload_field: FileField, alt: str, caption: str = "", remove: bool = False
) -> ImageInput:
    """An editor's image fields as the services take them."""
    upload = uploaded(upload_field)
    return ImageInput(
        upload=upload[0] if upload else None,
        filename=upload[1] if upload else "",
        alt=alt,
        caption=caption,
        remove=remove,
    )


class FeaturedImageForm(BlogForm):
    """The featured-image fields of the article and event editors, which
    both derive from it."""

    featured_image = image_field("Featured image")
    featured_image_alt = StringField(
        "Alt text", validators=[Optional(), Length(max=300)]
    )
    featured_image_caption = StringField(
        "Caption", validators=[Optional(), Length(max=500)]
    )
    remove_image = BooleanField("Remove the image")
    #: An image of the media library instead of an upload, by its number
    #: (the library shows it; with JavaScript, "Choose from Library" fills it).
    featured_image_id = StringField(
        "Library image number", validators=[Optional(), Length(max=20)]
    )

    def validate_featured_image_id(self, field: Field) -> None:
        if field.data and parse_int(field.data.strip()) is None:
            raise ValidationError("Give the number of an image in the media library.")

    def featured_image_input(self) -> ImageInput:
        image = image_input(
            self.featured_image,
            self.featured_image_alt.data or "",
            self.featured_image_caption.data or "",
            bool(self.remove_image.data),
        )
        image.media_id = parse_int((self.featured_image_id.data or "").strip())
        return image

    @staticmethod
    def featured_image_data(post: Post) -> dict[str, Any]:
        return {
            "featured_image_alt": post.featured_image_alt,
            "featured_image_caption": post.featured_image_caption,
        }


def show_errors(form: wtforms.Form, error: FieldError) -> None:
    """Put each message next to its field; a message for a field the form
    does not have, or for a group of fields (the event editor's rows), goes
    to the top of the form."""
    for name, message in error.errors.items():
        field: Field | None = form._fields.get(name)
        if field is None or isinstance(field, FieldList | FormField):
            form.form_errors.append(message)
        else:
            field.errors = [*field.errors, message]
