"""WTForms, one module per feature. Labels are contracts (DESIGN.md)."""

from blog.forms.accounts import LoginForm, SetupForm
from blog.forms.posts import (
    ActionForm,
    PostFilterForm,
    PostForm,
    SettingsForm,
    TermForm,
)

__all__ = [
    "ActionForm",
    "LoginForm",
    "PostFilterForm",
    "PostForm",
    "SettingsForm",
    "SetupForm",
    "TermForm",
]
