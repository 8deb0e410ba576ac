"""WTForms, one module per feature. Labels are contracts (DESIGN.md)."""

from blog.forms.accounts import LoginForm, SetupForm
from blog.forms.comments import (
    BulkForm,
    CommentEditForm,
    CommentForm,
    DiscussionForm,
    ReplyForm,
)
from blog.forms.posts import (
    ActionForm,
    PostFilterForm,
    PostForm,
    SettingsForm,
    TermForm,
)

__all__ = [
    "ActionForm",
    "BulkForm",
    "CommentEditForm",
    "CommentForm",
    "DiscussionForm",
    "LoginForm",
    "PostFilterForm",
    "PostForm",
    "ReplyForm",
    "SettingsForm",
    "SetupForm",
    "TermForm",
]
