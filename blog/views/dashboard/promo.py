"""The promotional block shown on article and event pages (admins only)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from blog import promo
from blog.extensions import csrf, db
from blog.forms.events import PromoForm
from blog.permissions import abort_unless, can_manage_settings
from blog.site_settings import SettingsError
from blog.views.hooks import current_settings
from blog.views.media import upload_dir

bp = Blueprint("promo", __name__, url_prefix="/settings/promo")


@bp.route("/", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def edit():  # type: ignore[no-untyped-def]
    abort_unless(can_manage_settings(current_user))
    settings = current_settings()
    form = PromoForm(
        data={
            "title": settings["promo_title"],
            "text": settings["promo_text"],
            "link": settings["promo_link"],
            "image_alt": settings["promo_image_alt"],
        }
    )
    if form.validate_on_submit():
        upload = form.image.data
        has_upload = upload is not None and bool(getattr(upload, "filename", ""))
        data = promo.PromoInput(
            title=form.title.data or "",
            text=form.text.data or "",
            link=form.link.data or "",
            image_alt=form.image_alt.data or "",
            upload=upload.stream if has_upload else None,
            filename=upload.filename if has_upload else "",
            remove_image=form.remove_image.data,
        )
        try:
            promo.save_promo(current_user, data, current=settings, folder=upload_dir())
        except SettingsError as error:
            db.session.rollback()
            form[error.field].errors = [*form[error.field].errors, str(error)]
        else:
            flash("Promotional block saved.", "success")
            return redirect(url_for(".edit"))
    return render_template(
        "dashboard/promo.html",
        form=form,
        image=settings["promo_image"],
        preview=promo.current_promo(settings),
    )
