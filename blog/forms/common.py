"""What every feature's forms share: the CSRF-only action form, image
fields, and putting a service's :class:`~blog.errors.FieldError` next to the
field it names."""

from __future__ import annotations

from typing import Any, BinaryIO

import wtforms
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileSize
from wtforms import BooleanField, Field, FieldList, FormField, StringField
from wtforms.validators import Length, Optional

from blog.errors import FieldError
from blog.media import ImageInput
from blog.models import Post

IMAGE_TYPES = ["jpg", "jpeg", "png", "gif", "webp"]
MAX_IMAGE_BYTES = 10 * 1024 * 1024


def choice(value: str, label: str) -> Any:
    """One option of a select menu (WTForms 3.3's ``SelectChoice``)."""
    # types-WTForms describes 3.2, before SelectChoice replaced (value, label).
    return wtforms.SelectChoice(value, label)  # type: ignore[attr-defined]


class ActionForm(FlaskForm):
    """An empty form: a button that changes state, protected by CSRF."""


def image_field(label: str) -> FileField:
    """An upload field that takes the image types ``blog.media`` stores."""
    return FileField(
        label,
        validators=[
            FileAllowed(IMAGE_TYPES, "Upload a JPEG, PNG, GIF or WebP image."),
            FileSize(MAX_IMAGE_BYTES, message="Keep the image under 10 MB."),
        ],
    )


def uploaded(field: FileField) -> tuple[BinaryIO, str] | None:
    """The uploaded file's stream and name, or ``None`` when none was sent."""
    upload = field.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    return upload.stream, str(upload.filename)


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


class FeaturedImageForm(FlaskForm):
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

    def featured_image_input(self) -> ImageInput:
        return image_input(
            self.featured_image,
            self.featured_image_alt.data or "",
            self.featured_image_caption.data or "",
            bool(self.remove_image.data),
        )

    @staticmethod
    def featured_image_data(post: Post) -> dict[str, Any]:
        return {
            "featured_image_alt": post.featured_image_alt,
            "featured_image_caption": post.featured_image_caption,
        }


def show_errors(form: FlaskForm, error: FieldError) -> None:
    """Put each message next to its field; a message for a field the form
    does not have, or for a group of fields (the event editor's rows), goes
    to the top of the form."""
    for name, message in error.errors.items():
        field: Field | None = form._fields.get(name)
        if field is None or isinstance(field, FieldList | FormField):
            form.form_errors.append(message)
        else:
            field.errors = [*field.errors, message]
