"""The revisions screen's comparison form, and the editor's autosaves seen
as forms: an autosave holds the editor's fields by name, as the browser
sent them, so it fills any editor (article, event, page) as a submission
would, and two forms can be compared as a person would see them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
)
from wtforms.validators import Optional

from blog.forms.common import BlogForm, choice

Form = TypeVar("Form", bound=FlaskForm)
#: Row fields that only order or drop a row: not part of what it says.
ROW_CONTROLS = frozenset({"position", "remove"})


class CompareForm(BlogForm):
    """Two versions to compare: a revision's id, or ``current``."""

    class Meta:
        csrf = False

    old = SelectField("From", validators=[Optional()])
    new = SelectField("To", validators=[Optional()])

    def offer(self, options: Sequence[tuple[str, str]]) -> CompareForm:
        self.old.choices = [choice(value, label) for value, label in options]
        self.new.choices = [choice(value, label) for value, label in options]
        return self


def form_from_autosave(
    form_class: type[Form], content: Mapping[str, Sequence[str]], *, version: int | None
) -> Form:
    """An editor filled from an autosave, as if its fields had been sent,
    carrying the post's current ``version`` (the person chose to restore it
    over the saved text)."""
    pairs = [(name, value) for name, values in content.items() for value in values]
    form = form_class(formdata=MultiDict(pairs))
    if version is not None and "version" in form:
        form["version"].data = version
    return form


def same_text(one: FlaskForm, other: FlaskForm) -> bool:
    """Whether two editors show the same thing: every field as its input
    would show it, rows without a name ignored (they are never saved); the
    token, the version and file uploads left out."""
    return _shown_form(one) == _shown_form(other)


def _shown_form(form: Any) -> dict[str, Any]:
    return {
        field.short_name: _shown(field)
        for field in form
        if not isinstance(field, FileField | HiddenField)
        and field.short_name != "csrf_token"
    }


def _shown(field: Field) -> Any:
    if isinstance(field, FieldList):
        rows = [_shown_form(entry.form) for entry in field]
        return [
            {k: v for k, v in row.items() if k not in ROW_CONTROLS}
            for row in rows
            if str(row.get("name", "")).strip()
        ]
    if isinstance(field, FormField):
        return _shown_form(field.form)
    if isinstance(field, BooleanField):
        return bool(field.data)
    if isinstance(field, SelectMultipleField):
        return sorted(str(value) for value in field.data or [])
    if isinstance(field, SelectField):
        return "" if field.data is None else str(field.data)
    shown: Any = getattr(field, "_value", lambda: field.data)()
    return shown
