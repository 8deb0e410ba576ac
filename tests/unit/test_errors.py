"""blog.errors: the field errors and permission errors services raise."""

from __future__ import annotations

import pytest

from blog.errors import FieldError, PermissionDenied, require


def test_field_error_with_one_field():
    error = FieldError("Give the post a title.", "title")
    assert error.errors == {"title": "Give the post a title."}
    assert error.field == "title"
    assert str(error) == "Give the post a title."
    assert isinstance(error, ValueError)


def test_field_error_without_a_field_is_about_the_whole_form():
    error = FieldError("Something went wrong.")
    assert error.errors == {"": "Something went wrong."}
    assert error.field == ""


def test_field_error_with_several_fields():
    given = {"start_time": "Give a start time.", "end_time": "End after the start."}
    error = FieldError(errors=given)
    assert error.errors == given
    assert error.field == "start_time"  # the first one
    assert str(error) == "Give a start time.; End after the start."
    given["timezone"] = "later change"
    assert "timezone" not in error.errors  # a copy, not the caller's dict


def test_field_error_errors_take_precedence_over_message_and_field():
    error = FieldError("ignored", "title", errors={"slug": "Taken."})
    assert error.errors == {"slug": "Taken."} and error.field == "slug"


def test_require():
    assert require(True) is None
    with pytest.raises(PermissionDenied):
        require(False)
