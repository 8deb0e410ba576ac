"""Forms for writing: posts, terms, site settings and action buttons."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileSize
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class PostForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    slug = StringField("Slug", validators=[Optional(), Length(max=200)])
    body = TextAreaField("Body", validators=[Length(max=500_000)])
    excerpt = TextAreaField("Excerpt", validators=[Optional(), Length(max=5000)])
    categories = StringField("Categories", validators=[Optional(), Length(max=2000)])
    tags = StringField("Tags", validators=[Optional(), Length(max=2000)])
    publish_at = DateTimeLocalField(
        "Publish on", format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    comments_open = BooleanField("Allow comments", default=True)
    featured_image = FileField(
        "Featured image",
        validators=[
            FileAllowed(
                ["jpg", "jpeg", "png", "gif", "webp"],
                "Upload a JPEG, PNG, GIF or WebP image.",
            ),
            FileSize(10 * 1024 * 1024, message="Keep the image under 10 MB."),
        ],
    )
    featured_image_alt = StringField(
        "Alt text", validators=[Optional(), Length(max=300)]
    )
    featured_image_caption = StringField(
        "Caption", validators=[Optional(), Length(max=500)]
    )
    remove_image = BooleanField("Remove the image")


class TermForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=100)])
    slug = StringField("Slug", validators=[Optional(), Length(max=120)])
    description = TextAreaField(
        "Description", validators=[Optional(), Length(max=2000)]
    )


class SettingsForm(FlaskForm):
    title = StringField("Site Title", validators=[DataRequired(), Length(max=200)])
    tagline = StringField("Tagline", validators=[Optional(), Length(max=300)])
    timezone = StringField("Time zone", validators=[DataRequired(), Length(max=60)])
    posts_per_page = IntegerField(
        "Posts per page", validators=[DataRequired(), NumberRange(min=1, max=100)]
    )


class ActionForm(FlaskForm):
    """An empty form: a button that changes state, protected by CSRF."""


class PostFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField(
        "Status",
        choices=[
            SelectChoice("", "All"),
            SelectChoice("published", "Published"),
            SelectChoice("draft", "Drafts"),
            SelectChoice("pending", "Pending"),
            SelectChoice("trash", "Trash"),
        ],
        validators=[Optional()],
    )
    author = SelectField("Author", coerce=str, validators=[Optional()])
    category = SelectField("Category", coerce=str, validators=[Optional()])
    q = StringField("Search posts", validators=[Optional(), Length(max=200)])
