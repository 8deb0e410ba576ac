"""blog.forms.common: the cleaning base forms, and a service's field errors
shown on the form (show_errors)."""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil
from typing import Any

import pytest
import wtforms
from werkzeug.datastructures import FileStorage, MultiDict
from wtforms import FieldList, FormField, PasswordField, StringField

import blog.forms
from blog.errors import FieldError
from blog.forms.accounts import LoginForm
from blog.forms.comments import CommentForm
from blog.forms.common import (
    ONE_LINE_MESSAGE,
    ActionForm,
    BlogForm,
    SubForm,
    show_errors,
    uploaded,
)
from blog.forms.events import EventForm
from blog.forms.posts import PostForm

#: What it checks cannot differ between SQLite and PostgreSQL.
pytestmark = pytest.mark.engine_independent


def test_an_error_for_a_known_field_goes_next_to_it(app):
    with app.test_request_context():
        form = PostForm()
        show_errors(form, FieldError("Give the post a title.", "title"))
        assert list(form.title.errors) == ["Give the post a title."]
        assert form.form_errors == []
        assert list(form.slug.errors) == []


def test_earlier_errors_of_the_field_are_kept(app):
    with app.test_request_context():
        form = PostForm(data={"title": ""})
        assert not form.validate()
        earlier = list(form.title.errors)
        assert earlier
        show_errors(form, FieldError("Give the post a title.", "title"))
        assert list(form.title.errors) == [*earlier, "Give the post a title."]


def test_several_errors_each_go_to_their_own_field(app):
    with app.test_request_context():
        form = EventForm()
        error = FieldError(
            errors={
                "start_time": "Give a start time, or tick All day.",
                "timezone": "Choose a time zone such as America/New_York.",
            }
        )
        show_errors(form, error)
        assert list(form.start_time.errors) == ["Give a start time, or tick All day."]
        assert list(form.timezone.errors) == [
            "Choose a time zone such as America/New_York."
        ]
        assert form.form_errors == []


@pytest.mark.parametrize("field", ["people", "no_such_field", ""])
def test_an_error_for_a_field_the_form_lacks_goes_to_the_top(app, field):
    with app.test_request_context():
        form = EventForm()
        show_errors(form, FieldError("At most 30 rows.", field))
        assert form.form_errors == ["At most 30 rows."]


@pytest.mark.parametrize("field", ["sponsors", "speakers"])
def test_an_error_for_a_list_of_rows_goes_to_the_top(app, field):
    with app.test_request_context():
        form = EventForm()
        show_errors(form, FieldError("Give a full address.", field))
        assert form.form_errors == ["Give a full address."]


# Every form cleans what it is sent (issue #8) ---------------------------------

DIRTY = "a\x00b\x01\x1b\x7f\x85\x9f\r\nc\rd\te"
CLEAN = "ab\nc\nd\te"


def _form_classes() -> list[type[wtforms.Form]]:
    """Every form class the blog.forms modules define."""
    found: dict[str, type[wtforms.Form]] = {}
    for module_info in pkgutil.iter_modules(blog.forms.__path__):
        module = importlib.import_module(f"blog.forms.{module_info.name}")
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, wtforms.Form)
                and value.__module__ == module.__name__
            ):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found)]


def _forms_with_fields() -> list[type[wtforms.Form]]:
    """Those with fields of their own (not the bases, not the CSRF-only form)."""
    bare = {BlogForm, SubForm, ActionForm}
    return [form_class for form_class in _form_classes() if form_class not in bare]


def _leaves(fields: Any) -> list[wtforms.Field]:
    """The fields that hold data, inside FieldLists and FormFields too."""
    leaves: list[wtforms.Field] = []
    for field in fields:
        if isinstance(field, FormField):
            leaves += _leaves(field.form)
        elif isinstance(field, FieldList):
            leaves += _leaves(field.entries)
        else:
            leaves.append(field)
    return leaves


def test_every_form_derives_from_the_cleaning_bases():
    classes = _form_classes()
    assert len(classes) > 10
    for form_class in classes:
        assert issubclass(form_class, BlogForm | SubForm), form_class


@pytest.mark.parametrize(
    "form_class", _forms_with_fields(), ids=lambda form_class: form_class.__qualname__
)
def test_every_field_of_every_form_is_cleaned(app, form_class):
    """NUL and other control characters never reach a service (PostgreSQL
    refuses NUL); line breaks arrive as "\\n"; passwords stay as typed."""
    with app.test_request_context():
        names = [field.name for field in _leaves(form_class())]
    assert names
    data = MultiDict([(name, DIRTY) for name in names])
    with app.test_request_context(method="POST"):
        form = form_class(formdata=data)  # rows (SubForm) are not request-bound
        leaves = {field.name: field for field in _leaves(form)}
        for name in names:
            field = leaves[name]
            if isinstance(field, PasswordField):
                assert field.data == DIRTY
            elif isinstance(field.data, str) and field.data:
                assert field.data == CLEAN, name
            elif isinstance(field.data, list) and field.data:
                assert field.data == [CLEAN], name


def test_rows_of_a_field_list_are_cleaned_and_checked(app):
    data = {
        "speakers-0-name": "Ada\x00\x85 Lovelace",
        "speakers-1-name": "Two\r\nlines",
    }
    with app.test_request_context(method="POST", data=data):
        form = EventForm()
        assert form.speakers[0].form.name.data == "Ada Lovelace"
        assert form.speakers[1].form.name.data == "Two\nlines"
        form.validate()
        assert form.speakers[1].form.name.errors == [ONE_LINE_MESSAGE]
        assert form.speakers[0].form.name.errors == []


@pytest.mark.parametrize("value", ["Two\r\nlines", "Two\nlines", "Two\u2028lines"])
def test_one_line_inputs_refuse_line_breaks_and_keep_the_text(app, value):
    with app.test_request_context(method="POST", data={"title": value, "body": value}):
        form = PostForm()
        assert not form.validate()
        assert list(form.title.errors) == [ONE_LINE_MESSAGE]
        assert form.title.data == value.replace("\r\n", "\n")  # shown again
        assert list(form.body.errors) == []  # a text area takes lines


def test_a_field_with_its_own_message_gets_no_second_one(app):
    with app.test_request_context(
        method="POST", data={"name": "Eve\r\nBcc: x@evil.example", "comment": "Hi"}
    ):
        form = CommentForm()
        form.validate()
        assert list(form.name.errors) == ["Your name must fit on one line."]


def test_hidden_fields_are_cleaned_but_not_refused(app):
    with app.test_request_context(
        method="POST",
        data={"login": "ann", "password": "pw\n", "next": "/dashboard/\r\n\x00"},
    ):
        form = LoginForm()
        assert form.validate()
        assert form.next.data == "/dashboard/\n"
        assert form.password.data == "pw\n"  # passwords are checked as typed


def test_a_form_field_must_wrap_a_cleaning_subform(app):
    class Plain(wtforms.Form):
        name = StringField("Name")

    class Outer(BlogForm):
        inner = FormField(Plain)

    with app.test_request_context(), pytest.raises(TypeError, match="SubForm"):
        Outer()


def test_uploaded_file_names_are_cleaned(app):
    upload = FileStorage(io.BytesIO(b"x"), filename="a\x00b\r\n.png")
    with app.test_request_context(method="POST"):
        form = PostForm(formdata=MultiDict({"featured_image": upload}))
        assert uploaded(form.featured_image) is not None
        assert uploaded(form.featured_image)[1] == "ab\n.png"  # type: ignore[index]
