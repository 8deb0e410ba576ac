"""blog.comments.subscription_mail: the subscriptions page's key, and the
comment form's follow-up choice (no database)."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from blog.comments.subscription_mail import email_for_key, manage_key
from blog.forms.comments import CommentForm
from blog.models import SubscriptionScope

pytestmark = pytest.mark.engine_independent


def test_the_key_is_the_address_signed_whatever_its_case():
    key = manage_key("secret", "Ann@Example.NET")
    assert key == manage_key("secret", "ann@example.net")
    assert email_for_key("secret", key) == "ann@example.net"
    assert email_for_key("another secret", key) is None
    assert email_for_key("secret", key[:-2]) is None
    assert email_for_key("secret", "not a key") is None
    other = manage_key("secret", "bob@example.net")
    assert (
        email_for_key("secret", key.split(".")[0] + "." + other.split(".")[1]) is None
    )


@pytest.mark.parametrize(
    ("sent", "scope"),
    [
        ({}, None),
        ({"subscribe_scope": "all"}, None),  # the box unticked
        ({"subscribe": "y"}, SubscriptionScope.REPLIES),
        ({"subscribe": "y", "subscribe_scope": "all"}, SubscriptionScope.ALL),
        ({"subscribe": "y", "subscribe_scope": "bogus"}, SubscriptionScope.REPLIES),
    ],
)
def test_the_follow_up_choice(app, sent, scope):  # type: ignore[no-untyped-def]
    app.config["MAIL_SERVER"] = "127.0.0.1"
    with app.test_request_context(method="POST", data=MultiDict(sent)):
        form = CommentForm.for_reader()
        assert form.follow_ups == scope
        assert form.to_submission(
            ip="", user_agent="", referrer="", permalink="", form_age=None
        ).subscribe == (scope.value if scope else None)


def test_no_follow_up_fields_without_mail_or_for_staff(app):  # type: ignore[no-untyped-def]
    with app.test_request_context(method="POST", data={"subscribe": "y"}):
        form = CommentForm.for_reader()  # MAIL_SERVER is empty
        assert "subscribe" not in form and form.follow_ups is None
        app.config["MAIL_SERVER"] = "127.0.0.1"
        staff = CommentForm().for_staff()
        assert "subscribe_scope" not in staff and staff.follow_ups is None
