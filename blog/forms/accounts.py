"""Forms for accounts: logging in, the first-run set-up, and choosing a
password from a reset or invitation link."""

from __future__ import annotations

from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length

from blog.forms.common import BlogForm


class LoginForm(BlogForm):
    login = StringField(
        "Username or Email", validators=[DataRequired(), Length(max=254)]
    )
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1000)])
    remember = BooleanField("Remember Me")
    next = HiddenField()


class SetupForm(BlogForm):
    site_title = StringField("Site Title", validators=[DataRequired(), Length(max=200)])
    username = StringField("Username", validators=[DataRequired(), Length(max=60)])
    email = EmailField(
        "Your Email", validators=[DataRequired(), Email(), Length(max=254)]
    )
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1000)])


class PasswordResetRequestForm(BlogForm):
    """The "Lost your password?" form: the account to mail a link to."""

    login = StringField(
        "Username or Email", validators=[DataRequired(), Length(max=254)]
    )


class NewPasswordForm(BlogForm):
    """A new password from an emailed link, typed twice. The policy (and its
    messages) is the service's; the password is taken exactly as typed."""

    password = PasswordField(
        "New password", validators=[InputRequired("Type the new password.")]
    )
    confirm = PasswordField(
        "Confirm password",
        validators=[
            InputRequired("Type the new password again."),
            EqualTo("password", "The two passwords differ; type the same twice."),
        ],
    )
