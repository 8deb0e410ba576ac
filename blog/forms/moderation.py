"""The moderation list's own forms: the bulk actions with "all comments in
this view", and "Undo"."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField
from wtforms.validators import DataRequired, Length, Optional

from blog.forms.comments import BulkForm
from blog.forms.common import BlogForm


class ModerationBulkForm(BulkForm):
    """Bulk actions on the ticked comments, or on every comment of the view
    (its tab and search, carried along so that the action applies to what
    the moderator saw)."""

    all_matching = BooleanField("Apply to all comments in this view")
    status = HiddenField(validators=[Optional(), Length(max=20)])
    q = HiddenField(validators=[Optional(), Length(max=200)])


class UndoForm(BlogForm):
    """The "Undo" button after an action: its signed token."""

    token = HiddenField(validators=[DataRequired(), Length(max=4000)])
