"""Site settings (admins only): General, and the promotional block."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from blog.extensions import csrf
from blog.forms.common import show_errors
from blog.forms.site import PromoForm, SettingsForm
from blog.site import (
    SettingsError,
    can_manage_settings,
    change_settings,
    current_promo,
    save_promo,
)
from blog.views.context import current_settings, uploads
from blog.views.dashboard.access import abort_unless

bp = Blueprint("settings", __name__, url_prefix="/settings")
promo_bp = Blueprint("promo", __name__, url_prefix="/settings/promo")


@bp.before_request
@promo_bp.before_request
def require_admin() -> None:
    abort_unless(can_manage_settings(current_user))


@bp.route("/", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def general() -> ResponseReturnValue:
    form = SettingsForm(data=current_settings())
    if form.validate_on_submit():
        try:
            change_settings(current_user, form.values())
        except SettingsError as error:
            show_errors(form, error)
        else:
            flash("Settings saved.", "success")
            return redirect(url_for(".general"))
    return render_template("dashboard/settings/general.html", form=form)


@promo_bp.route("/", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def edit() -> ResponseReturnValue:
    settings = current_settings()
    form = PromoForm.for_settings(settings)
    if form.validate_on_submit():
        try:
            save_promo(
                current_user, form.to_input(), current=settings, uploads=uploads()
            )
        except SettingsError as error:
            show_errors(form, error)
        else:
            flash("Promotional block saved.", "success")
            return redirect(url_for(".edit"))
    return render_template(
        "dashboard/settings/promo.html",
        form=form,
        image=settings["promo_image"],
        preview=current_promo(settings),
    )
