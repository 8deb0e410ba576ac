"""Forms of each person's own account: the profile, the password, two-factor
login (setting it up, turning it off) and the login's second step."""

from __future__ import annotations

from typing import BinaryIO

from flask_wtf.file import FileAllowed, FileField, FileSize
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from blog.accounts.avatar import MAX_BYTES, TOO_BIG, PictureChange
from blog.forms.common import IMAGE_TYPES, BlogForm, uploaded

#: A code from the app (6 digits) or a recovery code (``ab2cd-ef3gh``), with
#: room for the spaces people type.
CODE_MAX = 40


class ProfileForm(BlogForm):
    display_name = StringField(
        "Display name", validators=[DataRequired(), Length(max=100)]
    )
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    bio = TextAreaField("Bio", validators=[Optional(), Length(max=20000)])
    website = StringField("Website", validators=[Optional(), Length(max=200)])
    picture = FileField(
        "Profile picture",
        validators=[
            FileAllowed(IMAGE_TYPES, "Upload a JPEG, PNG, GIF or WebP image."),
            FileSize(MAX_BYTES, message=TOO_BIG),
        ],
        render_kw={"accept": "image/jpeg,image/png,image/gif,image/webp"},
    )
    remove_picture = BooleanField("Remove picture")
    keyboard_shortcuts = BooleanField("Keyboard shortcuts for comment moderation")

    def picture_change(self) -> PictureChange:
        """The picture fields as the profile service takes them."""
        upload = uploaded(self.picture)
        stream: BinaryIO | None = upload[0] if upload else None
        return PictureChange(upload=stream, remove=bool(self.remove_picture.data))


class PasswordChangeForm(BlogForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=1000)]
    )
    new_password = PasswordField(
        "New password", validators=[DataRequired(), Length(max=1000)]
    )
    confirm_password = PasswordField(
        "Confirm password",
        validators=[
            DataRequired(),
            EqualTo("new_password", "Type the same new password twice."),
        ],
    )


class AuthenticationCodeForm(BlogForm):
    """A code from the app: to turn two-factor login on, and at login (where
    a recovery code also works)."""

    code = StringField(
        "Authentication code", validators=[DataRequired(), Length(max=CODE_MAX)]
    )


class DisableTwoFactorForm(BlogForm):
    """Turning two-factor login off takes a code or the password."""

    code = StringField(
        "Authentication code", validators=[Optional(), Length(max=CODE_MAX)]
    )
    password = PasswordField("Password", validators=[Optional(), Length(max=1000)])
