"""Readers' follow-up subscriptions: confirm (the double opt-in link), the
one-click unsubscribe (RFC 8058: a POST without a session), and the page
that lists and ends all of a reader's subscriptions."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("subscriptions", __name__, url_prefix="/comments/subscriptions")
