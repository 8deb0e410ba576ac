"""Categories and tags: create, rename, delete."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from blog import taxonomy
from blog.extensions import csrf, db
from blog.forms import ActionForm, TermForm
from blog.models import Term
from blog.models.term import post_terms
from blog.permissions import abort_unless, can_manage_terms

bp = Blueprint("terms", __name__, url_prefix="/terms")

TITLES = {
    "category": "Categories",
    "tag": "Tags",
    "audience": "Audiences",
    "unit": "Organising units",
}


def _taxonomy(name: str) -> str:
    if name not in TITLES:
        abort(404)
    abort_unless(can_manage_terms(current_user))
    return name


def _term(taxonomy_name: str, term_id: int) -> Term:
    term = db.session.get(Term, term_id)
    if term is None or term.taxonomy != taxonomy_name:
        abort(404)
    return term


@bp.route("/<any(category, tag, audience, unit):kind>/", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def index(kind: str):  # type: ignore[no-untyped-def]
    _taxonomy(kind)
    form = TermForm()
    if form.validate_on_submit():
        try:
            taxonomy.create_term(
                current_user, kind, form.name.data, form.description.data or ""
            )
        except taxonomy.TermError as error:
            form.name.errors.append(str(error))
        else:
            flash(f"Added “{form.name.data}”.", "success")
            return redirect(url_for(".index", kind=kind))
    usage = (
        select(Term, func.count(post_terms.c.post_id))
        .outerjoin(post_terms, post_terms.c.term_id == Term.id)
        .where(Term.taxonomy == kind)
        .group_by(Term.id)
        .order_by(Term.name)
    )
    return render_template(
        "dashboard/terms.html",
        kind=kind,
        title=TITLES[kind],
        taxonomies=TITLES,
        rows=db.session.execute(usage).all(),
        form=form,
        action_form=ActionForm(),
    )


@bp.route(
    "/<any(category, tag, audience, unit):kind>/<int:term_id>/edit",
    methods=["GET", "POST"],
)
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def edit(kind: str, term_id: int):  # type: ignore[no-untyped-def]
    term = _term(_taxonomy(kind), term_id)
    form = TermForm(obj=term)
    if form.validate_on_submit():
        try:
            taxonomy.rename_term(
                current_user,
                term,
                form.name.data,
                form.slug.data or "",
                form.description.data or "",
            )
        except taxonomy.TermError as error:
            db.session.rollback()
            form.name.errors.append(str(error))
        else:
            flash("Saved.", "success")
            return redirect(url_for(".index", kind=kind))
    return render_template("dashboard/term_edit.html", kind=kind, term=term, form=form)


@bp.post("/<any(category, tag, audience, unit):kind>/<int:term_id>/delete")
def delete(kind: str, term_id: int):  # type: ignore[no-untyped-def]
    term = _term(_taxonomy(kind), term_id)
    taxonomy.delete_term(current_user, term)
    flash(f"Deleted “{term.name}”.", "success")
    return redirect(url_for(".index", kind=kind))
