"""``/dashboard/users/``: every account, for admins (list, invite, edit,
deactivate, delete). The rules are the services' (``blog.accounts``):
each one checks the permission again, and the last active administrator
cannot be demoted, deactivated or deleted."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from blog.accounts import audit
from blog.accounts.directory import user_details, user_page
from blog.accounts.invitations import Invitation, invite_user, resend_invitation
from blog.accounts.lifecycle import (
    deactivate_user,
    delete_user,
    reactivate_user,
    reassign_choices,
    reset_user_two_factor,
    update_user,
)
from blog.accounts.permissions import can_manage_users
from blog.accounts.users import ROLE_LABELS
from blog.errors import FieldError
from blog.extensions import csrf, db
from blog.forms.common import ActionForm, show_errors
from blog.forms.users import DeleteUserForm, EditUserForm, NewUserForm, UserFilterForm
from blog.models import User
from blog.views.arguments import page_number
from blog.views.dashboard.access import abort_unless

bp = Blueprint("users", __name__, url_prefix="/users")


@bp.before_request
def require_admin() -> None:
    abort_unless(can_manage_users(current_user))


def load_user(user_id: int) -> User:
    """The user with ``user_id``, or 404."""
    return db.session.get(User, user_id) or abort(404)


@bp.get("/")
def index() -> ResponseReturnValue:
    form = UserFilterForm(request.args)
    return render_template(
        "dashboard/users/index.html",
        form=form,
        pagination=user_page(current_user, form.filters(), page_number()),
        roles=ROLE_LABELS,
    )


@bp.route("/new", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def new() -> ResponseReturnValue:
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            invitation = invite_user(
                actor=current_user,
                username=form.username.data or "",
                email=form.email.data or "",
                display_name=form.display_name.data or "",
                role=form.role.data or "",
            )
        except FieldError as error:
            show_errors(form, error)
        else:
            return _invited(invitation, f"Added {invitation.user.username}.")
    return render_template("dashboard/users/new.html", form=form)


def _invited(invitation: Invitation, done: str) -> ResponseReturnValue:
    """Back to the user's page when the invitation was mailed; else the
    link, shown this once (not stored, not cached) to pass on privately."""
    if invitation.mailed:
        sent = f"An invitation was emailed to {invitation.user.email}."
        flash(f"{done} {sent}", "success")
        return redirect(url_for(".edit", user_id=invitation.user.id))
    page = render_template(
        "dashboard/users/invitation_link.html", invitation=invitation, done=done
    )
    return page, 200, {"Cache-Control": "no-store"}


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def edit(user_id: int) -> ResponseReturnValue:
    user = load_user(user_id)
    form = EditUserForm.for_user(user if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            changed = update_user(user, actor=current_user, **form.values())
        except FieldError as error:
            show_errors(form, error)
        else:
            flash("User updated." if changed else "Nothing changed.", "success")
            if not can_manage_users(current_user):  # they demoted themselves
                return redirect(url_for("dashboard.home"))
            return redirect(url_for(".edit", user_id=user.id))
    return render_template(
        "dashboard/users/edit.html",
        form=form,
        details=user_details(current_user, user),
        action_form=ActionForm(),
        roles=ROLE_LABELS,
        describe=audit.label,
    )


def _button(
    user_id: int, action: Callable[[User], object], done: str
) -> ResponseReturnValue:
    """Run a button's service on the user; its refusal is flashed."""
    user = load_user(user_id)
    username = user.username
    try:
        action(user)
    except FieldError as error:
        flash(str(error), "error")
    else:
        flash(done.format(username=username), "success")
    return redirect(url_for(".edit", user_id=user_id))


@bp.post("/<int:user_id>/deactivate")
def deactivate(user_id: int) -> ResponseReturnValue:
    return _button(
        user_id,
        lambda user: deactivate_user(user, actor=current_user),
        "{username} is deactivated: they cannot log in, and were logged out.",
    )


@bp.post("/<int:user_id>/reactivate")
def reactivate(user_id: int) -> ResponseReturnValue:
    return _button(
        user_id,
        lambda user: reactivate_user(user, actor=current_user),
        "{username} is active again.",
    )


@bp.post("/<int:user_id>/reset-two-factor")
def reset_two_factor(user_id: int) -> ResponseReturnValue:
    return _button(
        user_id,
        lambda user: reset_user_two_factor(user, actor=current_user),
        "Two-factor login is off for {username}: they log in with their "
        "password alone until they turn it on again.",
    )


@bp.post("/<int:user_id>/resend-invitation")
def resend(user_id: int) -> ResponseReturnValue:
    user = load_user(user_id)
    try:
        invitation = resend_invitation(user, actor=current_user)
    except FieldError as error:
        flash(str(error), "error")
        return redirect(url_for(".edit", user_id=user_id))
    return _invited(invitation, "A new invitation replaces the old one.")


@bp.route("/<int:user_id>/delete", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the choice
def delete(user_id: int) -> ResponseReturnValue:
    user = load_user(user_id)
    form = DeleteUserForm().offer(reassign_choices(user))
    if form.validate_on_submit():
        username = user.username
        try:
            outcome = delete_user(
                user,
                actor=current_user,
                fate=form.fate.data or "",
                reassign_to=form.heir_id(),
            )
        except FieldError as error:
            show_errors(form, error)
        else:
            flash(f"Deleted {username}: {outcome}.", "success")
            return redirect(url_for(".index"))
    return render_template(
        "dashboard/users/delete.html",
        form=form,
        details=user_details(current_user, user),
    )
