"""Settings → Menu (admins only): the site menu's items, saved together by
"Save Menu"; "Use the Default Menu" forgets the saved one."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from blog.extensions import csrf
from blog.forms.common import ActionForm
from blog.forms.menu import MenuForm
from blog.site.menu import default_items, stored_menu
from blog.site.menu_editor import MenuError, menu_targets, reset_menu, save_menu
from blog.views.context import current_settings
from blog.views.dashboard.access import abort_unless
from blog.views.dashboard.settings import require_admin

bp = Blueprint("menu", __name__, url_prefix="/settings/menu")
bp.before_request(require_admin)


@bp.route("/", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the rows
def edit() -> ResponseReturnValue:
    saved = stored_menu(current_settings())
    if request.method == "POST":
        form = MenuForm()
    else:  # before a menu is saved, the default one is there to start from
        form = MenuForm.for_items(default_items() if saved is None else saved)
    form.offer(menu_targets())
    if form.validate_on_submit():
        try:
            save_menu(current_user, form.to_rows())
        except MenuError as error:
            form.show(error)
        else:
            flash("Menu saved.", "success")
            return redirect(url_for(".edit"))
    return render_template(
        "dashboard/menu/edit.html",
        form=form,
        is_default=saved is None,
        action_form=ActionForm(),
    )


@bp.post("/reset")
def reset() -> ResponseReturnValue:
    abort_unless(ActionForm().validate_on_submit())
    reset_menu(current_user)
    flash("The site shows the default menu again.", "success")
    return redirect(url_for(".edit"))
