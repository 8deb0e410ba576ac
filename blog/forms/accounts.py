"""Forms for accounts: logging in and the first-run set-up."""

from __future__ import annotations

from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length

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
