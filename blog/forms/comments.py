"""The comment form ("Leave a Reply"), and the dashboard's comment forms.

Labels are contracts (DESIGN.md): "Name", "Email", "Website", "Comment",
"Post Comment". The service re-checks every rule; these validators give the
commenter a message next to the field.
"""

from __future__ import annotations

from typing import Any, Self

from flask import current_app
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Length, Optional

from blog.comments import Action, Submission
from blog.forms.common import BlogForm, OneLine, choice
from blog.mail import MailConfig
from blog.models import Comment, SubscriptionScope
from blog.numbers import parse_int
from blog.rendering import COMMENT_MAX_CHARS

REMEMBER_LABEL = (
    "Save my name, email, and website in this browser for the next time I comment."
)
SUBSCRIBE_LABEL = "Notify me of follow-up comments by email."
SUBSCRIBE_FIELDS = ("subscribe", "subscribe_scope")


class CommentForm(BlogForm):
    name = StringField(
        "Name",
        validators=[
            DataRequired("Please enter your name."),
            Length(max=100, message="Keep your name under 100 characters."),
            # No line breaks: they would forge mail headers.
            OneLine("Your name must fit on one line."),
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
    #: Follow-up mail (blog.comments.subscriptions), unticked by default.
    subscribe = BooleanField(SUBSCRIBE_LABEL, default=False)
    subscribe_scope = RadioField(
        "Email me about",
        choices=[
            choice(SubscriptionScope.REPLIES.value, "Replies to my comment"),
            choice(SubscriptionScope.ALL.value, "All new comments on this post"),
        ],
        default=SubscriptionScope.REPLIES.value,
        validate_choice=False,  # anything else means the default
    )
    comment_parent = HiddenField()
    #: Signed timestamp of when the form was shown.
    ts = HiddenField()
    #: Honeypot: hidden from people, filled in by some robots.
    fax_number = StringField("Leave this field empty")

    @classmethod
    def for_reader(cls, **kwargs: Any) -> Self:
        """An anonymous reader's form: no session CSRF token, so that the page
        sets no cookie and a cache can keep it. The signed timestamp (``ts``)
        and the ``Origin`` check of :mod:`blog.views.comments` stand in for
        it; logged-in staff keep the session token (:meth:`for_staff`).

        Without mail (``MAIL_SERVER`` empty) there is no follow-up box."""
        form = cls(meta={"csrf": False}, **kwargs)
        if not MailConfig.from_config(current_app.config).enabled:
            for name in SUBSCRIBE_FIELDS:
                delattr(form, name)
        return form

    def for_staff(self) -> Self:
        """Logged-in staff comment as themselves: no name, email or website,
        and no follow-up mail (they moderate)."""
        for name in ("name", "email", "url", "remember", *SUBSCRIBE_FIELDS):
            delattr(self, name)
        return self

    @property
    def parent_id(self) -> int | None:
        """The comment this one replies to, as the form says (unchecked)."""
        return parse_int(self.comment_parent.data)

    def to_submission(
        self,
        *,
        ip: str,
        user_agent: str,
        referrer: str,
        permalink: str,
        form_age: float | None,
    ) -> Submission:
        """What the commenter typed, plus what the view knows of the request."""
        staff = "name" not in self  # staff comment as themselves
        return Submission(
            name="" if staff else self.name.data or "",
            email="" if staff else self.email.data or "",
            url="" if staff else self.url.data or "",
            body=self.comment.data or "",
            parent_id=self.parent_id,
            ip=ip,
            user_agent=user_agent,
            referrer=referrer,
            permalink=permalink,
            honeypot=self.fax_number.data or "",
            form_age=form_age,
            subscribe=self.follow_ups,
        )

    @property
    def follow_ups(self) -> SubscriptionScope | None:
        """The follow-up comments asked for by email, if the box is ticked."""
        if "subscribe" not in self or not self.subscribe.data:
            return None
        if self.subscribe_scope.data == SubscriptionScope.ALL.value:
            return SubscriptionScope.ALL
        return SubscriptionScope.REPLIES


class CommentEditForm(BlogForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=100)])
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    url = URLField("Website", validators=[Optional(), Length(max=200)])
    comment = TextAreaField("Comment", validators=[DataRequired()])

    @classmethod
    def for_comment(cls, comment: Comment | None) -> Self:
        """The form filled from ``comment`` (``None``: from the request)."""
        if comment is None:
            return cls()
        return cls(
            data={
                "name": comment.author_name,
                "email": comment.author_email,
                "url": comment.author_url,
                "comment": comment.body_source,
            }
        )

    def to_submission(self) -> Submission:
        return Submission(
            name=self.name.data or "",
            email=self.email.data or "",
            url=self.url.data or "",
            body=self.comment.data or "",
        )


class ReplyForm(BlogForm):
    comment = TextAreaField("Reply", validators=[DataRequired()])


class BulkForm(BlogForm):
    action = SelectField(
        "Bulk actions",
        choices=[choice("", "Bulk actions")]
        + [choice(action.value, action.label) for action in Action],
    )

    @property
    def chosen(self) -> Action | None:
        """The action chosen, once the form is valid."""
        try:
            return Action(self.action.data)
        except ValueError:
            return None
