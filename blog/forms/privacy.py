"""The form of Tools → Export Personal Data / Erase Personal Data: the
person's email address and what to do ("Send Request"). The service
checks the address (:func:`blog.validation.email_address`) and says why
it refuses one."""

from __future__ import annotations

from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, Length

from blog.forms.common import BlogForm, choice
from blog.models import PrivacyRequestKind
from blog.privacy import KIND_LABELS
from blog.validation import EMAIL_MAX


class PrivacyRequestForm(BlogForm):
    email = StringField(
        "Email address",
        validators=[
            DataRequired(message="Enter the person's email address."),
            Length(max=EMAIL_MAX, message="That email address is too long."),
        ],
    )
    kind = RadioField(
        "Action",
        choices=[choice(kind.value, label) for kind, label in KIND_LABELS.items()],
        default=PrivacyRequestKind.EXPORT.value,
    )
