"""Forms of the users screen (administrators): the list's filters, adding
(inviting) a user, editing one, and deleting one."""

from __future__ import annotations

from typing import Any, Self

from wtforms import EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from blog.accounts.directory import UserFilters
from blog.accounts.lifecycle import PostsFate
from blog.accounts.profile import WEBSITE_MAX
from blog.accounts.users import DISPLAY_NAME_MAX, ROLE_LABELS, USERNAME_MAX
from blog.forms.common import BlogForm, choice
from blog.models import Role, User
from blog.numbers import parse_int
from blog.validation import EMAIL_MAX


def _role_choices() -> list[Any]:
    return [choice(role.value, label) for role, label in ROLE_LABELS.items()]


class UserFilterForm(BlogForm):
    """The list's filters (a GET form: no CSRF, nothing changes)."""

    class Meta:
        csrf = False

    role = SelectField(
        "Role",
        choices=[choice("", "All roles"), *_role_choices()],
        validators=[Optional()],
    )
    status = SelectField(
        "Status",
        choices=[
            choice("", "All"),
            choice("active", "Active"),
            choice("invited", "Invited"),
            choice("deactivated", "Deactivated"),
        ],
        validators=[Optional()],
    )
    q = StringField("Search users", validators=[Optional(), Length(max=200)])

    def filters(self) -> UserFilters:
        """The filters as :func:`blog.accounts.directory.user_page` takes
        them (an unknown role or status means all)."""
        return UserFilters(
            role=str(self.role.data or ""),
            status=str(self.status.data or ""),
            search=" ".join(str(self.q.data or "").split())[:200],
        )


class NewUserForm(BlogForm):
    """The "Add New User" page: the invitation sets the password."""

    username = StringField(
        "Username", validators=[DataRequired(), Length(max=USERNAME_MAX)]
    )
    email = EmailField("Email", validators=[DataRequired(), Length(max=EMAIL_MAX)])
    display_name = StringField(
        "Display name", validators=[Optional(), Length(max=DISPLAY_NAME_MAX)]
    )
    role = SelectField("Role", choices=_role_choices(), default=Role.AUTHOR.value)


class EditUserForm(BlogForm):
    """An administrator's edit of someone's account."""

    display_name = StringField(
        "Display name", validators=[DataRequired(), Length(max=DISPLAY_NAME_MAX)]
    )
    email = EmailField("Email", validators=[DataRequired(), Length(max=EMAIL_MAX)])
    role = SelectField("Role", choices=_role_choices())
    bio = TextAreaField("Bio", validators=[Optional()])  # the service says how long
    website = StringField("Website", validators=[Optional(), Length(max=WEBSITE_MAX)])

    @classmethod
    def for_user(cls, user: User | None) -> Self:
        """The form filled from ``user`` (on GET), or from the request."""
        if user is None:
            return cls()
        return cls(
            data={
                "display_name": user.display_name,
                "email": user.email,
                "role": user.role.value,
                "bio": user.bio,
                "website": user.website,
            }
        )

    def values(self) -> dict[str, str]:
        """The fields as :func:`blog.accounts.lifecycle.update_user` takes them."""
        return {
            "display_name": self.display_name.data or "",
            "email": self.email.data or "",
            "role": self.role.data or "",
            "bio": self.bio.data or "",
            "website": self.website.data or "",
        }


class DeleteUserForm(BlogForm):
    """The confirmation page of "Delete": what becomes of their posts."""

    fate = RadioField(
        "What should be done with content owned by this user?",
        choices=[
            choice(PostsFate.REASSIGN.value, "Attribute all content to:"),
            choice(PostsFate.TRASH.value, "Move their posts to the trash"),
        ],
        default=PostsFate.REASSIGN.value,
    )
    reassign_to = SelectField(
        "New author", validators=[Optional()], validate_choice=False
    )  # the service says who may receive the posts

    def offer(self, heirs: list[User]) -> Self:
        """Fill the menu of users who may receive the posts."""
        self.reassign_to.choices = [
            choice(str(heir.id), f"{heir.display_name} ({heir.username})")
            for heir in heirs
        ]
        return self

    def heir_id(self) -> int | None:
        return parse_int(self.reassign_to.data)
