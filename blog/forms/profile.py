"""Forms of each person's own account: the profile, the password, two-factor
login (setting it up, turning it off) and the login's second step."""

from __future__ import annotations

from wtforms import EmailField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from blog.forms.common import BlogForm

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
