"""The Discussion settings (admins): the comments' rules, the Akismet key
and its check, and the privacy page's text."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from blog.comments.akismet import verify_site_key
from blog.extensions import csrf
from blog.forms.common import ActionForm, show_errors
from blog.forms.site import DiscussionForm
from blog.site import SettingsError, can_manage_settings, save_discussion
from blog.views.context import comment_settings, current_settings
from blog.views.dashboard.access import abort_unless

bp = Blueprint("discussion", __name__, url_prefix="/settings/discussion")

KEY_CHECKED = {
    True: ("Akismet accepted the key.", "success"),
    False: ("Akismet refused the key. Check it and save again.", "error"),
    None: ("Akismet could not be reached; try again later.", "error"),
}


@bp.before_request
def require_admin() -> None:
    abort_unless(can_manage_settings(current_user))


@bp.route("/", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def edit_discussion() -> ResponseReturnValue:
    form = DiscussionForm(data=current_settings())
    if form.validate_on_submit():
        try:
            save_discussion(current_user, form.values(), current_settings())
        except SettingsError as error:
            show_errors(form, error)
        else:
            flash("Discussion settings saved.", "success")
            return redirect(url_for(".edit_discussion"))
    return render_template(
        "dashboard/settings/discussion.html",
        form=form,
        action_form=ActionForm(),
        key_from_config=bool(current_app.config.get("AKISMET_API_KEY")),
    )


@bp.post("/verify-key")
def verify_key() -> ResponseReturnValue:
    abort_unless(ActionForm().validate_on_submit())
    conf = comment_settings().akismet
    if not conf.key:
        flash("There is no Akismet key to check yet.", "error")
    else:
        flash(*KEY_CHECKED[verify_site_key(current_user, conf)])
    return redirect(url_for(".edit_discussion"))
