"""Site settings (admins only)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from blog import site_settings
from blog.extensions import csrf, db
from blog.forms import SettingsForm
from blog.permissions import abort_unless, can_manage_settings
from blog.views.hooks import current_settings

bp = Blueprint("settings", __name__, url_prefix="/settings")


@bp.route("/", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def general():  # type: ignore[no-untyped-def]
    abort_unless(can_manage_settings(current_user))
    form = SettingsForm(data=current_settings())
    if form.validate_on_submit():
        values = {
            name: form[name].data
            for name in ("title", "tagline", "timezone", "posts_per_page")
        }
        try:
            site_settings.change_settings(current_user, values)
        except site_settings.SettingsError as error:
            db.session.rollback()
            form[error.field].errors.append(str(error))
        else:
            db.session.commit()
            flash("Settings saved.", "success")
            return redirect(url_for(".general"))
    return render_template("dashboard/settings.html", form=form)
