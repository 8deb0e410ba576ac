"""The comment form ("Leave a Reply"), and the dashboard's comment forms.

Labels are contracts (DESIGN.md): "Name", "Email", "Website", "Comment",
"Post Comment". The service re-checks every rule; these validators give the
commenter a message next to the field.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from blog.rendering import COMMENT_MAX_CHARS

REMEMBER_LABEL = (
    "Save my name, email, and website in this browser for the next time I comment."
)


def _one_line(_form: FlaskForm, field: StringField) -> None:
    if field.data and ("\r" in field.data or "\n" in field.data):
        raise ValidationError("Your name must fit on one line.")


class CommentForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[
            DataRequired("Please enter your name."),
            Length(max=100, message="Keep your name under 100 characters."),
            _one_line,
        ],
    )
    email = EmailField(
        "Email",
        validators=[
            DataRequired("Please enter your email address."),
            Length(max=254, message="Please enter a valid email address."),
        ],
    )
    url = URLField(
        "Website",
        validators=[
            Optional(),
            Length(max=200, message="Keep the web address under 200 characters."),
        ],
    )
    comment = TextAreaField(
        "Comment",
        validators=[DataRequired("Please write a comment before posting.")],
        render_kw={"maxlength": COMMENT_MAX_CHARS, "rows": 8},
    )
    remember = BooleanField(REMEMBER_LABEL, default=False)
    comment_parent = HiddenField()
    #: Signed timestamp of when the form was shown.
    ts = HiddenField()
    #: Honeypot: hidden from people, filled in by some robots.
    fax_number = StringField("Leave this field empty")

    def for_staff(self) -> CommentForm:
        """Logged-in staff comment as themselves: no name, email or website."""
        for name in ("name", "email", "url", "remember"):
            delattr(self, name)
        return self


class CommentEditForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=100)])
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    url = URLField("Website", validators=[Optional(), Length(max=200)])
    comment = TextAreaField("Comment", validators=[DataRequired()])


class ReplyForm(FlaskForm):
    comment = TextAreaField("Reply", validators=[DataRequired()])


class BulkForm(FlaskForm):
    action = SelectField(
        "Bulk actions",
        choices=[
            SelectChoice("", "Bulk actions"),
            SelectChoice("approve", "Approve"),
            SelectChoice("unapprove", "Unapprove"),
            SelectChoice("spam", "Spam"),
            SelectChoice("not_spam", "Not Spam"),
            SelectChoice("trash", "Trash"),
            SelectChoice("restore", "Restore"),
            SelectChoice("delete", "Delete Permanently"),
        ],
    )


class DiscussionForm(FlaskForm):
    comments_manual_approval = BooleanField("Comment must be manually approved")
    comments_previously_approved = BooleanField(
        "Comment author must have a previously approved comment"
    )
    comments_max_links = IntegerField(
        "Hold a comment in the queue if it contains this many links or more",
        validators=[Optional()],
    )
    comments_moderation_words = TextAreaField(
        "Comment Moderation", validators=[Optional(), Length(max=20000)]
    )
    comments_disallowed_words = TextAreaField(
        "Disallowed Comment Keys", validators=[Optional(), Length(max=20000)]
    )
    comments_close_after_days = IntegerField(
        "Automatically close comments on articles older than (days, 0 for never)",
        validators=[Optional()],
    )
    akismet_api_key = StringField(
        "Akismet API Key", validators=[Optional(), Length(max=100)]
    )
    privacy_text = TextAreaField(
        "Privacy page text", validators=[Optional(), Length(max=20000)]
    )
