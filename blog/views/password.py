"""Forgotten passwords: ``/password/reset`` asks for a link by mail, and
``/password/reset/<token>`` (from the mail) sets a new password. Invitations
use the same page to choose a first password.

Every page here is private (``no-store``), kept out of search engines, and
sends no ``Referer``: the token in the address must not leak to another
site through a link or to a shared cache.
"""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue

from blog.accounts import LoginThrottled, recovery
from blog.accounts.mailing import mail_enabled
from blog.dates import wait_text
from blog.errors import FieldError
from blog.extensions import csrf
from blog.forms.accounts import NewPasswordForm, PasswordResetRequestForm
from blog.forms.common import show_errors
from blog.views.hooks import secret_link_page

bp = Blueprint("password", __name__, url_prefix="/password")

TOO_MANY = "Too many requests from your address. Wait {wait} and try again."
SAVED = "Your password has been saved. Log in with it."
#: The link cannot be used: 410, the address is gone for good.
GONE = 410
#: A request for a link is answered this long after it arrived, whether a
#: mail was queued or not, so the time taken does not tell that an account
#: exists (the work for one takes a few milliseconds more).
ANSWER_SECONDS = 0.25


bp.after_request(secret_link_page)


@bp.route("/reset", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def request_reset() -> ResponseReturnValue:
    """Ask for a link; the answer never tells whether the account exists."""
    if not mail_enabled():
        return render_template("auth/password_reset_request.html", mail_off=True)
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        settings = recovery.ResetSettings.from_config(current_app.config)
        started = time.monotonic()
        try:
            recovery.request_reset(
                form.login.data or "", request.remote_addr or "unknown", settings
            )
        except LoginThrottled as throttled:
            form.form_errors.append(TOO_MANY.format(wait=wait_text(throttled.seconds)))
            page = render_template("auth/password_reset_request.html", form=form)
            return page, 429, {"Retry-After": str(throttled.seconds)}
        _answer_no_sooner_than(started + ANSWER_SECONDS)
        return render_template(
            "auth/password_reset_request.html",
            sent=True,
            valid_for=recovery.duration_text(settings.lifetime),
        )
    return render_template("auth/password_reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the page
def reset(token: str) -> ResponseReturnValue:
    """Choose a new (or, from an invitation, a first) password. Opening the
    page uses nothing; saving a password uses the link."""
    link = recovery.find_link(token)
    if link is None:
        return _link_invalid()
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            recovery.complete_reset(token, form.password.data or "")
        except recovery.LinkInvalid:
            return _link_invalid()
        except FieldError as error:
            show_errors(form, error)
        else:
            flash(SAVED, "success")
            return redirect(url_for("auth.login"))
    return render_template(
        "auth/password_reset.html",
        form=form,
        token=token,
        user=link.user,
        invitation=link.invitation,
    )


def _answer_no_sooner_than(moment: float) -> None:
    """Wait until ``moment`` (``time.monotonic()``); requests are rare and
    throttled per address, so the worker is seldom held."""
    delay = moment - time.monotonic()
    if delay > 0:
        time.sleep(delay)


def _link_invalid() -> ResponseReturnValue:
    return render_template("auth/password_link_invalid.html"), GONE
