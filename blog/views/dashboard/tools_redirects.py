"""Tools → Redirects (admins, ``/dashboard/tools/redirects/``): the old
addresses that answer with a 301, listed and searched, added, edited and
deleted. The rules are :mod:`blog.site.redirects`'; admin-only is checked by
the Tools blueprint and again by each service."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms import StringField
from wtforms.validators import DataRequired

from blog.extensions import csrf, db
from blog.forms.common import BlogForm
from blog.models import Redirect
from blog.site.redirects import (
    ORIGIN_LABELS,
    create_redirect,
    delete_redirect,
    readable,
    redirect_page,
    update_redirect,
)
from blog.views.arguments import page_number, text_arg
from blog.views.form_page import form_page

bp = Blueprint("redirects", __name__, url_prefix="/redirects")


class RedirectForm(BlogForm):
    """The fields "Old address" and "New address". The service checks them
    (lengths too, so that each message says what to do)."""

    source = StringField(
        "Old address", validators=[DataRequired(message="Give the old address.")]
    )
    target = StringField(
        "New address", validators=[DataRequired(message="Give the new address.")]
    )


def load_redirect(redirect_id: int) -> Redirect:
    """The redirect with ``redirect_id``, or 404."""
    return db.session.get(Redirect, redirect_id) or abort(404)


@bp.route("/", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def index() -> ResponseReturnValue:
    form = RedirectForm()
    search = text_arg("q")
    return form_page(
        form,
        lambda: create_redirect(
            current_user, form.source.data or "", form.target.data or ""
        ),
        template="dashboard/tools/redirects/index.html",
        done="Redirect added.",
        then=url_for(".index"),
        pagination=redirect_page(current_user, search, page_number()),
        search=search,
        origins=ORIGIN_LABELS,
        readable=readable,
    )


@bp.route("/<int:redirect_id>/edit", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def edit(redirect_id: int) -> ResponseReturnValue:
    found = load_redirect(redirect_id)
    form = RedirectForm(
        data={"source": readable(found.source), "target": readable(found.target)}
    )
    return form_page(
        form,
        lambda: update_redirect(
            current_user, found, form.source.data or "", form.target.data or ""
        ),
        template="dashboard/tools/redirects/edit.html",
        done="Redirect saved.",
        then=url_for(".index"),
        redirect=found,
        origins=ORIGIN_LABELS,
        readable=readable,
    )


@bp.post("/<int:redirect_id>/delete")
def delete(redirect_id: int) -> ResponseReturnValue:
    found = load_redirect(redirect_id)
    source = readable(found.source)
    delete_redirect(current_user, found)
    flash(f"Deleted the redirect from {source}.", "success")
    return redirect(url_for(".index"))
