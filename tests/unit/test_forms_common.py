"""blog.forms.common.show_errors: a service's field errors shown on the form."""

from __future__ import annotations

import pytest

from blog.errors import FieldError
from blog.forms.common import show_errors
from blog.forms.events import EventForm
from blog.forms.posts import PostForm


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
