"""Categories, tags, audiences and organising units: create, rename, delete."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from blog.extensions import csrf, db
from blog.forms.common import ActionForm
from blog.forms.posts import TermForm
from blog.models import Taxonomy, Term
from blog.posts.permissions import can_manage_terms
from blog.posts.taxonomy import create_term, delete_term, rename_term, usage
from blog.views.dashboard.access import abort_unless
from blog.views.form_page import form_page

bp = Blueprint("terms", __name__, url_prefix="/terms")
KINDS = "<any(category, tag, audience, unit):kind>"

TITLES = {
    Taxonomy.CATEGORY: "Categories",
    Taxonomy.TAG: "Tags",
    Taxonomy.AUDIENCE: "Audiences",
    Taxonomy.UNIT: "Organising units",
}


@bp.before_request
def require_editor() -> None:
    abort_unless(can_manage_terms(current_user))


def load_term(kind: str, term_id: int) -> Term:
    """The term of this taxonomy with ``term_id``, or 404."""
    term = db.session.get(Term, term_id)
    if term is None or term.taxonomy != kind:
        abort(404)
    return term


@bp.route(f"/{KINDS}/", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def index(kind: str) -> ResponseReturnValue:
    taxonomy, form = Taxonomy(kind), TermForm()
    return form_page(
        form,
        lambda: create_term(
            current_user, taxonomy, form.name.data or "", form.description.data or ""
        ),
        template="dashboard/terms/index.html",
        done=f"Added “{form.name.data}”.",
        then=url_for(".index", kind=kind),
        kind=kind,
        title=TITLES[taxonomy],
        taxonomies=TITLES,
        rows=usage(taxonomy),
        action_form=ActionForm(),
    )


@bp.route(f"/{KINDS}/<int:term_id>/edit", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def edit(kind: str, term_id: int) -> ResponseReturnValue:
    term = load_term(kind, term_id)
    form = TermForm(obj=term)
    return form_page(
        form,
        lambda: rename_term(current_user, term, **form.values()),
        template="dashboard/terms/edit.html",
        done="Saved.",
        then=url_for(".index", kind=kind),
        kind=kind,
        term=term,
    )


@bp.post(f"/{KINDS}/<int:term_id>/delete")
def delete(kind: str, term_id: int) -> ResponseReturnValue:
    term = load_term(kind, term_id)
    delete_term(current_user, term)
    flash(f"Deleted “{term.name}”.", "success")
    return redirect(url_for(".index", kind=kind))
