"""The site's settings screens (admins only): General, Reading (revisions
to keep), Discussion (with the Akismet key check) and the promotional block."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from blog.extensions import csrf
from blog.forms.common import ActionForm
from blog.forms.site import DiscussionForm, PromoForm, ReadingForm, SettingsForm
from blog.site import (
    can_manage_settings,
    change_settings,
    check_akismet_key,
    current_promo,
    save_discussion,
    save_promo,
)
from blog.views.context import comment_settings, current_settings, uploads
from blog.views.dashboard.access import abort_unless
from blog.views.form_page import form_page

bp = Blueprint("settings", __name__, url_prefix="/settings")
discussion_bp = Blueprint("discussion", __name__, url_prefix="/settings/discussion")
promo_bp = Blueprint("promo", __name__, url_prefix="/settings/promo")
BLUEPRINTS = (bp, discussion_bp, promo_bp)

KEY_CHECKED = {
    True: ("Akismet accepted the key.", "success"),
    False: ("Akismet refused the key. Check it and save again.", "error"),
    None: ("Akismet could not be reached; try again later.", "error"),
}


def require_admin() -> None:
    abort_unless(can_manage_settings(current_user))


for blueprint in BLUEPRINTS:
    blueprint.before_request(require_admin)


@bp.route("/", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def general() -> ResponseReturnValue:
    form = SettingsForm(data=current_settings())
    return form_page(
        form,
        lambda: change_settings(current_user, form.values()),
        template="dashboard/settings/general.html",
        done="Settings saved.",
        then=url_for(".general"),
    )


@bp.route("/reading/", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def reading() -> ResponseReturnValue:
    form = ReadingForm.for_settings(current_settings())
    return form_page(
        form,
        lambda: change_settings(current_user, form.values()),
        template="dashboard/settings/reading.html",
        done="Reading settings saved.",
        then=url_for(".reading"),
    )


@discussion_bp.route("/", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def edit_discussion() -> ResponseReturnValue:
    form = DiscussionForm(data=current_settings())
    return form_page(
        form,
        lambda: save_discussion(current_user, form.values(), current_settings()),
        template="dashboard/settings/discussion.html",
        done="Discussion settings saved.",
        then=url_for(".edit_discussion"),
        action_form=ActionForm(),
        key_from_config=bool(current_app.config.get("AKISMET_API_KEY")),
    )


@discussion_bp.post("/verify-key")
def verify_key() -> ResponseReturnValue:
    abort_unless(ActionForm().validate_on_submit())
    conf = comment_settings().akismet
    if not conf.key:
        flash("There is no Akismet key to check yet.", "error")
    else:
        flash(*KEY_CHECKED[check_akismet_key(current_user, conf)])
    return redirect(url_for(".edit_discussion"))


@promo_bp.route("/", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def edit() -> ResponseReturnValue:
    settings = current_settings()
    form = PromoForm.for_settings(settings)
    return form_page(
        form,
        lambda: save_promo(
            current_user, form.to_input(), current=settings, uploads=uploads()
        ),
        template="dashboard/settings/promo.html",
        done="Promotional block saved.",
        then=url_for(".edit"),
        image=settings["promo_image"],
        preview=current_promo(settings),
    )
